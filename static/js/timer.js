// Count the minutes left of a timed exam; the server enforces the deadline anyway.
(function () {
  "use strict";
  var box = document.querySelector("[data-deadline]");
  if (!box) return;
  var end = Date.parse(box.dataset.deadline);
  var template = box.textContent.replace(/\d+/, "{n}");
  function tick() {
    var minutes = Math.max(0, Math.ceil((end - Date.now()) / 60000));
    box.textContent = template.replace("{n}", minutes);
    if (minutes > 0) setTimeout(tick, 15000);
  }
  tick();
})();
