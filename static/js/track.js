// The « Numérique » track's items (templates/content/_track_answer.html). Every page
// works without this script: a click answers, a list per element replaces the drag,
// the time does not count. Texts come from the page (data attributes), in its language.
// - [data-double]: a double click (or a double tap) answers; a single one says so.
//   The keyboard's Enter or Space on a button is its double click.
// - [data-drag]: drag each element onto its box with Pointer Events (mouse, pen,
//   finger), or choose an element then its box (click, tap, Enter, Space).
// - .timed[data-seconds]: a countdown; a warning at 10 s; at 0 the answer goes empty.
(function () {
  "use strict";

  function each(root, selector, fn) {
    Array.prototype.forEach.call(root.querySelectorAll(selector), fn);
  }

  function say(region, text) {
    if (!region) { return; }
    region.textContent = "";
    window.setTimeout(function () { region.textContent = text; }, 60);
  }

  var coarse = window.matchMedia && window.matchMedia("(hover: none) and (pointer: coarse)").matches;

  each(document, "[data-double]", function (group) {
    var status = group.parentNode.querySelector(".track-status");
    var last = null;
    var lastTime = 0;
    var lastType = "";
    group.addEventListener("pointerdown", function (event) { lastType = event.pointerType; });
    group.addEventListener("click", function (event) {
      var button = event.target.closest("button.target");
      if (!button) { return; }
      if (event.detail === 0) { return; } // Enter or Space: answers at once
      var now = Date.now();
      var twice = event.detail >= 2 || (last === button && now - lastTime < 600);
      last = button;
      lastTime = now;
      if (twice) { return; } // the second click sends this button's value
      event.preventDefault();
      each(group, "button.target", function (other) { other.classList.toggle("selected", other === button); });
      var touch = lastType === "touch" || (lastType === "" && coarse);
      say(status, touch ? group.getAttribute("data-once-touch") : group.getAttribute("data-once"));
    });
  });

  each(document, "[data-drag]", function (area) {
    var fallback = area.querySelector(".drag-fallback");
    var things = area.querySelector(".drag-things");
    var boxes = area.querySelector(".drag-boxes");
    var status = area.querySelector(".track-status");
    var selects = fallback.querySelectorAll("select");
    fallback.hidden = true;
    things.hidden = false;
    boxes.hidden = false;
    area.querySelector(".drag-hint").hidden = false;
    var chosen = null;
    var drag = null;
    var dragged = false;

    function thing(index) { return things.querySelector('[data-thing="' + index + '"]'); }
    function boxName(box) { return box.querySelector(".box-name").textContent; }

    function render() {
      each(boxes, ".drag-box", function (box) {
        var names = [];
        Array.prototype.forEach.call(selects, function (select) {
          if (select.value === box.getAttribute("data-box")) { names.push(thing(select.getAttribute("data-thing")).textContent); }
        });
        box.querySelector(".box-content").textContent = names.join(", ");
        box.classList.toggle("filled", names.length > 0);
        box.setAttribute("aria-label", boxName(box) + " – " + (names.length
          ? area.getAttribute("data-in-box").replace("{things}", names.join(", "))
          : area.getAttribute("data-empty")));
      });
      each(things, ".drag-thing", function (button) {
        button.classList.toggle("placed", selects[button.getAttribute("data-thing")].value !== "");
      });
    }

    function choose(button) {
      if (chosen) { chosen.setAttribute("aria-pressed", "false"); }
      chosen = button;
      button.setAttribute("aria-pressed", "true");
      say(status, area.getAttribute("data-chosen").replace("{thing}", button.textContent));
    }

    function place(button, box) {
      selects[button.getAttribute("data-thing")].value = box.getAttribute("data-box");
      button.setAttribute("aria-pressed", "false");
      chosen = null;
      render();
      say(status, area.getAttribute("data-placed").replace("{thing}", button.textContent).replace("{box}", boxName(box)));
    }

    things.addEventListener("click", function (event) {
      var button = event.target.closest(".drag-thing");
      if (button && !dragged) { choose(button); }
    });
    boxes.addEventListener("click", function (event) {
      var box = event.target.closest(".drag-box");
      if (!box || dragged) { return; }
      if (chosen) { place(chosen, box); } else { say(status, area.getAttribute("data-first")); }
    });

    function boxAt(x, y) {
      var element = document.elementFromPoint(x, y);
      var box = element && element.closest(".drag-box");
      return box && boxes.contains(box) ? box : null;
    }

    function stop() {
      if (drag && drag.ghost) { drag.ghost.parentNode.removeChild(drag.ghost); }
      each(boxes, ".drag-box", function (box) { box.classList.remove("over"); });
      drag = null;
      window.setTimeout(function () { dragged = false; }, 0);
    }

    things.addEventListener("pointerdown", function (event) {
      var button = event.target.closest(".drag-thing");
      if (!button || event.button !== 0) { return; }
      drag = { button: button, id: event.pointerId, x: event.clientX, y: event.clientY, ghost: null };
    });
    document.addEventListener("pointermove", function (event) {
      if (!drag || event.pointerId !== drag.id) { return; }
      if (!drag.ghost) {
        if (Math.abs(event.clientX - drag.x) + Math.abs(event.clientY - drag.y) < 8) { return; }
        var rect = drag.button.getBoundingClientRect();
        drag.dx = drag.x - rect.left;
        drag.dy = drag.y - rect.top;
        drag.ghost = drag.button.cloneNode(true);
        drag.ghost.removeAttribute("data-thing");
        drag.ghost.setAttribute("aria-hidden", "true");
        drag.ghost.classList.add("drag-ghost");
        drag.ghost.style.width = rect.width + "px";
        document.body.appendChild(drag.ghost);
        dragged = true;
      }
      event.preventDefault();
      drag.ghost.style.left = (event.clientX - drag.dx) + "px";
      drag.ghost.style.top = (event.clientY - drag.dy) + "px";
      var over = boxAt(event.clientX, event.clientY);
      each(boxes, ".drag-box", function (box) { box.classList.toggle("over", box === over); });
    });
    document.addEventListener("pointerup", function (event) {
      if (!drag || event.pointerId !== drag.id) { return; }
      if (drag.ghost) {
        var button = drag.button;
        drag.ghost.style.display = "none";
        var box = boxAt(event.clientX, event.clientY);
        if (box) { place(button, box); }
      }
      stop();
    });
    document.addEventListener("pointercancel", stop);
    render();
  });

  each(document, ".timed[data-seconds]", function (box) {
    var form = box.closest("form");
    var value = box.querySelector(".timer-value");
    var warning = box.querySelector(".timed-warning");
    var more = box.querySelector(".more-time");
    var end = Date.now() + parseInt(box.getAttribute("data-seconds"), 10) * 1000;
    var warned = false;
    var over = false;
    var timer = null;
    box.querySelector(".timed-nojs").hidden = true;
    more.hidden = false;

    function tick() {
      window.clearTimeout(timer);
      var seconds = Math.max(0, Math.ceil((end - Date.now()) / 1000));
      value.textContent = Math.floor(seconds / 60) + ":" + ("0" + (seconds % 60)).slice(-2);
      box.classList.toggle("timer-low", seconds <= 10);
      if (seconds <= 10 && !warned) {
        warned = true;
        warning.textContent = box.getAttribute("data-warning");
      }
      if (seconds > 0) {
        timer = window.setTimeout(tick, 250);
        return;
      }
      over = true;
      more.disabled = true;
      warning.textContent = box.getAttribute("data-over");
      each(form, 'input[name="choice"]', function (radio) { radio.checked = false; radio.disabled = true; });
      var empty = document.createElement("input");
      empty.type = "hidden";
      empty.name = "choice";
      empty.value = "";
      form.appendChild(empty);
      window.setTimeout(function () { form.submit(); }, 1500);
    }

    more.addEventListener("click", function () {
      if (over) { return; }
      end = Math.max(end, Date.now()) + 20000;
      warned = false;
      warning.textContent = "";
      tick();
    });
    tick();
  });
})();
