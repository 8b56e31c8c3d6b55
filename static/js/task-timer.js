// The examiner's timer of a live speaking task: preparation (if any), then the
// exchange; the end of each phase is announced once to screen readers.
(function () {
  "use strict";
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function show(box, seconds) {
    box.querySelector(".timer-left").textContent =
      Math.floor(seconds / 60) + ":" + pad(seconds % 60);
  }
  document.querySelectorAll(".task-timer").forEach(function (box) {
    var button = box.querySelector(".timer-start");
    var phase = box.querySelector(".timer-phase");
    var status = box.querySelector(".timer-status");
    var prep = parseInt(box.dataset.preparation, 10) || 0;
    var talk = parseInt(box.dataset.seconds, 10) || 0;
    button.addEventListener("click", function () {
      button.disabled = true;
      var phases = [];
      if (prep) phases.push([prep, box.dataset.prepLabel, box.dataset.prepOver]);
      phases.push([talk, box.dataset.talkLabel, box.dataset.over]);
      function run(index) {
        var current = phases[index];
        var end = Date.now() + current[0] * 1000;
        phase.textContent = current[1];
        (function tick() {
          var left = Math.max(0, Math.round((end - Date.now()) / 1000));
          show(box, left);
          if (left > 0) { setTimeout(tick, 250); return; }
          status.textContent = current[2];
          if (index + 1 < phases.length) run(index + 1);
        })();
      }
      run(0);
    });
  });
})();
