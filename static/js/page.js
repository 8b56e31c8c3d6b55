// Small helpers of the pages; every page works without them.
// - [data-print]: a button that opens the browser's print dialog.
// - [data-copy="id"]: a button that copies the text of the field with that id.
// - #period / #value: the period form puts a value of the chosen type in the field.
(function () {
  "use strict";

  function each(selector, fn) {
    Array.prototype.forEach.call(document.querySelectorAll(selector), fn);
  }

  each("[data-print]", function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });

  each("[data-copy]", function (button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    var status = document.getElementById(button.getAttribute("data-copy") + "-statut");
    if (!field) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var text = field.value !== undefined ? field.value : field.textContent;
      function done(ok) {
        if (status) { status.textContent = ok ? button.getAttribute("data-copied") : button.getAttribute("data-failed"); }
      }
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(function () { done(true); }, function () { done(false); });
      } else {
        if (field.select) { field.select(); }
        var ok = false;
        try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
        done(ok);
      }
    });
  });

  each("[data-count-of]", function (counter) {
    var field = document.getElementById(counter.getAttribute("data-count-of"));
    var max = parseInt(counter.getAttribute("data-max"), 10);
    var template = counter.getAttribute("data-template");
    if (!field) { return; }
    function update() {
      var n = field.value.length;
      counter.textContent = template.replace("{n}", String(n));
      counter.classList.toggle("error", n > max);
    }
    field.addEventListener("input", update);
    update();
  });

  var period = document.getElementById("period");
  var value = document.getElementById("value");
  if (period && value) {
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    period.addEventListener("change", function () {
      var match = /^(\d{4})/.exec(value.value);
      var today = new Date();
      var year = match ? match[1] : String(today.getFullYear());
      var sameYear = year === String(today.getFullYear());
      if (period.value === "year") {
        value.value = year;
      } else if (period.value === "quarter") {
        value.value = year + "-T" + (sameYear ? Math.floor(today.getMonth() / 3) + 1 : 1);
      } else if (period.value === "month") {
        value.value = year + "-" + pad(sameYear ? today.getMonth() + 1 : 1);
      }
    });
  }
}());
