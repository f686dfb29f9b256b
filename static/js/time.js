// Times: the server writes UTC into <time datetime> (so shared post HTML and the visitors' cache
// stay shared); here each reader sees their own zone, and "2 hours ago" within the last week.
// Without scripts the UTC text stays.
(function () {
  "use strict";
  var WEEK = 7 * 24 * 3600 * 1000;
  var units = [["year", 31536000], ["month", 2592000], ["week", 604800], ["day", 86400], ["hour", 3600], ["minute", 60]];
  var relative = window.Intl && Intl.RelativeTimeFormat ? new Intl.RelativeTimeFormat(undefined, { numeric: "auto" }) : null;
  var absolute = new Intl.DateTimeFormat(undefined, { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });

  function say(when, now) {
    var seconds = Math.round((when - now) / 1000);
    if (!relative || Math.abs(when - now) >= WEEK) return absolute.format(when);
    if (Math.abs(seconds) < 60) return relative.format(0, "second");
    for (var i = 0; i < units.length; i++) {
      if (Math.abs(seconds) >= units[i][1]) return relative.format(Math.round(seconds / units[i][1]), units[i][0]);
    }
    return absolute.format(when);
  }

  function show() {
    var now = Date.now();
    document.querySelectorAll("time[datetime]").forEach(function (el) {
      var when = new Date(el.getAttribute("datetime"));
      if (isNaN(when)) return;
      if (!el.hasAttribute("data-utc")) {
        el.setAttribute("data-utc", el.textContent);
        el.title = absolute.format(when) + " (" + el.textContent.trim() + ")";
      }
      el.textContent = say(when.getTime(), now);
    });
  }

  // Sign-up: a default guessed from the browser; Settings change it.
  document.querySelectorAll("[data-guess-time-zone]").forEach(function (input) {
    try { input.value = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC"; } catch (e) { /* stays UTC */ }
  });

  show();
  window.setInterval(show, 60000);
})();
