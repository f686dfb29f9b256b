// Review queue keyboard shortcuts: j/k move between items, a approves (or acknowledges),
// o opens the item; h and r put the cursor in the reason box, and Enter there hides or rejects
// (whichever key armed it). Enter in a reason box can never approve: the reason has its own
// form. Every action is also a plain button, so nothing needs this script.
(function () {
  "use strict";
  var queue = document.querySelector("[data-shortcuts]");
  if (!queue) return;
  var items = Array.prototype.slice.call(queue.querySelectorAll("[data-item]"));
  var current = -1;
  var armed = null;

  function select(i) {
    if (!items.length) return;
    current = Math.max(0, Math.min(items.length - 1, i));
    items.forEach(function (el, n) { el.classList.toggle("selected", n === current); });
    items[current].focus();
  }

  function button(key) {
    return current >= 0 ? items[current].querySelector('button[data-key="' + key + '"]') : null;
  }

  function arm(key, event) {
    var target = button(key);
    var field = target && target.form.querySelector("[data-reason]");
    if (!field) return;
    event.preventDefault();   // the key itself is not typed into the box
    armed = {field: field, button: target};
    field.focus();
  }

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (target.matches("input, textarea, select")) {
      if (event.key === "Enter" && armed && target === armed.field) {
        event.preventDefault();
        if (target.value.trim()) armed.button.click();
      } else if (event.key === "Escape") {
        armed = null;
        target.blur();
      }
      return;
    }
    if (event.key === "j") select(current + 1);
    else if (event.key === "k") select(current - 1);
    else if (event.key === "a" && button("a")) button("a").click();
    else if (event.key === "h" || event.key === "r") arm(event.key, event);
    else if (event.key === "o" && current >= 0) {
      var link = items[current].querySelector("[data-open]");
      if (link) link.click();
    }
  });
})();
