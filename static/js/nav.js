// The phone header's Menu button. Loaded in <head> without defer: the .js class must be on <html>
// before the header is drawn, or the menu would flash open. Without scripts the links stay shown.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function setUp() {
    var button = document.querySelector(".menu-button");
    var header = button && button.closest(".site-header");
    if (!header) return;

    function show(open) {
      header.classList.toggle("menu-open", open);
      button.setAttribute("aria-expanded", open ? "true" : "false");
    }

    button.addEventListener("click", function () {
      show(button.getAttribute("aria-expanded") !== "true");
    });
    // Escape closes the menu from anywhere inside it and gives focus back to the button.
    header.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        show(false);
        button.focus();
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
