// The header's unread count and panel. The count is asked for when the tab regains focus and every
// 60 s while it is visible; a hidden tab makes no requests. The panel's list is fetched when opened.
(function () {
  "use strict";
  var REFRESH_MS = 60000;

  function setUp() {
    var panel = document.querySelector(".notif-panel");
    if (!panel) return;
    var counter = panel.querySelector("[data-unread]");
    var summary = panel.querySelector("summary");
    var list = panel.querySelector("[data-panel-list]");
    var timer = null;

    function show(count) {
      var label = count > 99 ? "99+" : String(count);
      if (counter.textContent !== label) counter.textContent = label;
      summary.setAttribute("aria-label", "Notifications, " + label + " unread");
    }

    function refresh() {
      if (document.visibilityState !== "visible") return;
      fetch(panel.dataset.countUrl, {credentials: "same-origin", headers: {"Accept": "application/json"}})
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) { if (data && typeof data.unread === "number") show(data.unread); })
        .catch(function () {});
    }

    function schedule() {
      clearInterval(timer);
      timer = document.visibilityState === "visible" ? setInterval(refresh, REFRESH_MS) : null;
    }

    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible") refresh();
      schedule();
    });
    window.addEventListener("focus", refresh);
    schedule();

    panel.addEventListener("toggle", function () {
      if (!panel.open) return;
      fetch(panel.dataset.panelUrl, {credentials: "same-origin"})
        .then(function (r) { return r.ok ? r.text() : ""; })
        .then(function (html) {
          if (!html) return;
          var doc = new DOMParser().parseFromString(html, "text/html");
          list.replaceChildren.apply(list, Array.prototype.slice.call(doc.body.childNodes));
        })
        .catch(function () {});
    });
    // Escape, or a click elsewhere, closes the panel, as menus do.
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && panel.open) {
        panel.open = false;
        summary.focus();
      }
    });
    document.addEventListener("click", function (event) {
      if (panel.open && !panel.contains(event.target)) panel.open = false;
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
