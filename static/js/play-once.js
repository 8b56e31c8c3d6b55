// Mock exam: a recording plays once, as in the test. The button fetches the audio
// (the server serves it only once), plays it without controls, then stays disabled.
(function () {
  "use strict";
  var box = document.querySelector(".play-once");
  if (!box) return;
  var button = box.querySelector(".play-once-button");
  var status = box.querySelector(".play-once-status");
  button.addEventListener("click", function () {
    if (button.disabled) return;
    button.disabled = true;
    status.textContent = box.dataset.playing;
    fetch(box.dataset.src, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error("refused");
        return response.blob();
      })
      .then(function (blob) {
        var url = URL.createObjectURL(blob);
        var audio = new Audio(url);
        audio.addEventListener("ended", function () {
          status.textContent = box.dataset.ended;
          URL.revokeObjectURL(url);
        });
        return audio.play();
      })
      .catch(function () {
        status.textContent = box.dataset.refused;
      });
  });
})();
