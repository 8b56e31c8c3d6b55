// Speaker buttons: play a phrase's clips (French, then the learner's language) with one
// audio element for the whole page, so only one clip sounds at a time. The clips are
// files of the site (static/audio/ui), never the browser's speech synthesis.
(function () {
  "use strict";
  var player = document.createElement("audio");
  player.className = "speaker-audio";
  player.preload = "none";
  player.hidden = true;
  var queue = [];
  var current = null;

  function stop() {
    queue = [];
    player.pause();
    if (current) {
      current.classList.remove("playing");
      current.setAttribute("aria-pressed", "false");
    }
    current = null;
  }

  function playNext() {
    if (!queue.length) {
      stop();
      return;
    }
    player.src = queue.shift();
    var started = player.play();
    if (started && started.catch) {
      started.catch(function () { stop(); });
    }
  }

  player.addEventListener("ended", playNext);
  player.addEventListener("error", playNext);

  function pauseOthers(except) {
    var players = document.querySelectorAll("audio");
    for (var i = 0; i < players.length; i++) {
      if (players[i] !== except && !players[i].paused) {
        players[i].pause();
      }
    }
  }

  // Another player of the page starts: the speaker stops, and the other way round.
  document.addEventListener("play", function (event) {
    if (event.target === player) {
      pauseOthers(player);
    } else if (current) {
      stop();
    }
  }, true);

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button.speaker") : null;
    if (!button) {
      return;
    }
    event.preventDefault();
    var again = button === current;
    stop();
    if (again) {
      return; // a second press stops it
    }
    queue = (button.getAttribute("data-clips") || "").split(" ").filter(Boolean);
    current = button;
    button.classList.add("playing");
    button.setAttribute("aria-pressed", "true");
    playNext();
  });

  function ready() {
    document.body.appendChild(player);
    var buttons = document.querySelectorAll("button.speaker");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].setAttribute("aria-pressed", "false");
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
}());
