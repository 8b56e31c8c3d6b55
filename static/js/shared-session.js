// The idle countdown of a shared-computer session (the server ends the session
// after the same idle time even without this script).
// - #shared-session[data-remaining]: seconds left, counted by the server from the
//   session's last activity; data-template: "… {time}." (translated by the page);
//   data-warning: the sentence announced a minute before (data-warn seconds).
// - [data-warning-region]: a live region (role=alert), empty until the warning.
// - [data-still-here]: the « Je suis encore là » form; sent in the background, it
//   starts the idle time again. At zero, the page's sign-out form is sent, so
//   that the browser also forgets the site's storage.
(function () {
  "use strict";

  var box = document.getElementById("shared-session");
  if (!box) { return; }
  var remaining = parseInt(box.getAttribute("data-remaining"), 10);
  var warnAt = parseInt(box.getAttribute("data-warn"), 10) || 60;
  if (!(remaining > 0)) { return; }
  var template = box.getAttribute("data-template") || "{time}";
  var countdown = box.querySelector("[data-countdown]");
  var region = box.querySelector("[data-warning-region]");
  var form = box.querySelector("[data-still-here]");
  var signOut = document.getElementById("sign-out");
  var deadline = Date.now() + remaining * 1000;
  var warned = false;
  var leaving = false;

  function clock(seconds) {
    var m = Math.floor(seconds / 60);
    var s = seconds % 60;
    return m + ":" + (s < 10 ? "0" : "") + s;
  }

  function warn(on) {
    if (on === warned) { return; }
    warned = on;
    region.textContent = on ? box.getAttribute("data-warning") : "";
    form.hidden = !on;
    box.classList.toggle("warning", on);
  }

  function tick() {
    var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    countdown.textContent = template.replace("{time}", clock(left));
    countdown.hidden = false;
    warn(left <= warnAt);
    if (left <= 2 && !leaving && signOut) {
      leaving = true;
      signOut.submit();
    }
  }

  form.addEventListener("submit", function (event) {
    if (!window.fetch) { return; }  // the form posts and comes back to the page
    event.preventDefault();
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.json();
    }).then(function (data) {
      deadline = Date.now() + data.remaining * 1000;
      warn(false);
      tick();
    }, function () { form.submit(); });
  });

  tick();
  window.setInterval(tick, 1000);
}());
