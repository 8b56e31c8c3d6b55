// Record an oral answer in the browser (MediaRecorder) and put it in the form's file
// input, so the same form works with or without JavaScript.
(function () {
  "use strict";
  var box = document.querySelector(".recorder");
  if (!box || !window.MediaRecorder || !navigator.mediaDevices || !window.DataTransfer) return;
  var input = box.querySelector("input[type=file]");
  var seconds = box.querySelector("input[name=seconds]");
  var controls = box.querySelector(".recorder-controls");
  var start = box.querySelector(".rec-start");
  var stop = box.querySelector(".rec-stop");
  var status = box.querySelector(".rec-status");
  var playback = box.querySelector(".rec-playback");
  var max = parseInt(box.dataset.max, 10) || 120;
  var min = parseInt(box.dataset.min, 10) || 0;
  var recorder, chunks, began, timer, ticker;
  controls.hidden = false;

  function clear() {
    input.value = "";
    seconds.value = "0";
    playback.removeAttribute("src");
    playback.hidden = true;
  }

  function finish() {
    if (recorder && recorder.state === "recording") recorder.stop();
  }

  start.addEventListener("click", function () {
    navigator.mediaDevices.getUserMedia({ audio: true }).then(function (stream) {
      chunks = [];
      recorder = new MediaRecorder(stream);
      recorder.ondataavailable = function (e) { if (e.data.size) chunks.push(e.data); };
      recorder.onstop = function () {
        stream.getTracks().forEach(function (t) { t.stop(); });
        clearTimeout(timer);
        clearInterval(ticker);
        status.setAttribute("aria-live", "polite");
        stop.hidden = true;
        start.hidden = false;
        var length = (Date.now() - began) / 1000;
        if (length + 0.5 < min) { // the server refuses it too: say so now
          clear();
          status.textContent = box.dataset.tooShort;
          return;
        }
        var type = (recorder.mimeType || "audio/webm").split(";")[0];
        var ext = type.indexOf("ogg") >= 0 ? "ogg" : type.indexOf("mp4") >= 0 ? "m4a" : "webm";
        var blob = new Blob(chunks, { type: type });
        var list = new DataTransfer();
        list.items.add(new File([blob], "enregistrement." + ext, { type: type }));
        input.files = list.files;
        seconds.value = length.toFixed(1);
        playback.src = URL.createObjectURL(blob);
        playback.hidden = false;
        status.textContent = box.dataset.done || "✓";
      };
      recorder.start();
      began = Date.now();
      timer = setTimeout(finish, max * 1000);
      clear();
      start.hidden = true;
      stop.hidden = false;
      function show() {
        var n = Math.floor((Date.now() - began) / 1000);
        status.textContent = "● " + (box.dataset.recording || "{n} s").replace("{n}", n);
      }
      status.setAttribute("aria-live", "off"); // a clock read every second is noise
      show();
      ticker = setInterval(show, 1000);
    }).catch(function () {
      controls.hidden = true; // no microphone access: the file field stays
    });
  });
  stop.addEventListener("click", finish);
})();
