// Review queue keyboard shortcuts: j/k move between items, a approves (or acknowledges),
// h hides, r focuses the reason and rejects on Enter, o opens the item. Keys typed into a
// field are left alone, and every action is also a plain button, so nothing needs this script.
(function () {
  "use strict";
  var queue = document.querySelector("[data-shortcuts]");
  if (!queue) return;
  var items = Array.prototype.slice.call(queue.querySelectorAll("[data-item]"));
  var current = -1;
  var rejectArmed = null;

  function select(i) {
    if (!items.length) return;
    current = Math.max(0, Math.min(items.length - 1, i));
    items.forEach(function (el, n) { el.classList.toggle("selected", n === current); });
    items[current].focus();
  }

  function press(key) {
    if (current < 0) return;
    var button = items[current].querySelector('button[data-key="' + key + '"]');
    if (button) button.click();
  }

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (target.matches("input, textarea, select")) {
      if (event.key === "Enter" && rejectArmed && target === rejectArmed.field && target.value.trim()) {
        event.preventDefault();
        rejectArmed.button.click();
      } else if (event.key === "Escape") {
        target.blur();
      }
      return;
    }
    if (event.key === "j") select(current + 1);
    else if (event.key === "k") select(current - 1);
    else if (event.key === "a") press("a");
    else if (event.key === "h") {
      var reason = current >= 0 && items[current].querySelector("[data-reason]");
      if (reason && !reason.value.trim()) { reason.focus(); return; }
      press("h");
    } else if (event.key === "r" && current >= 0) {
      var field = items[current].querySelector("[data-reason]");
      var button = items[current].querySelector('button[data-key="r"]');
      if (field && button) {
        event.preventDefault();
        rejectArmed = {field: field, button: button};
        field.focus();
      }
    } else if (event.key === "o" && current >= 0) {
      var link = items[current].querySelector("[data-open]");
      if (link) link.click();
    } else return;
  });
})();
