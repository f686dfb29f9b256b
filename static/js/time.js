// Local and relative times. The server writes UTC into <time datetime> so that post HTML and the
// visitors' page cache stay the same for everyone; here each reader sees their own zone: the
// member's setting (data-time-zone on <html>) or else the browser's. Without scripts, UTC stays.
(function () {
  "use strict";
  var root = document.documentElement;
  var lang = root.lang || undefined;
  var zone = root.getAttribute("data-time-zone") || undefined;
  var WEEK = 7 * 24 * 3600;

  function formatter(options) {
    try {
      return new Intl.DateTimeFormat(lang, Object.assign({ timeZone: zone }, options));
    } catch (e) {  // an unknown zone: the browser's own
      return new Intl.DateTimeFormat(lang, options);
    }
  }

  var full = formatter({ dateStyle: "medium", timeStyle: "short" });
  var dayOnly = formatter({ dateStyle: "medium" });
  var long = formatter({ dateStyle: "long", timeStyle: "long" });
  var relative = Intl.RelativeTimeFormat ? new Intl.RelativeTimeFormat(lang, { numeric: "auto" }) : null;
  var UNITS = [["day", 86400], ["hour", 3600], ["minute", 60]];

  // "2 hours ago", "in 3 days"; null beyond a week, where a date reads better.
  function ago(seconds) {
    if (!relative || Math.abs(seconds) >= WEEK) return null;
    if (Math.abs(seconds) < 60) return "just now";
    for (var i = 0; i < UNITS.length; i++) {
      var count = Math.trunc(seconds / UNITS[i][1]);
      if (Math.abs(count) >= 1) return relative.format(-count, UNITS[i][0]);
    }
    return null;
  }

  function update() {
    var now = Date.now();
    document.querySelectorAll("time[datetime]").forEach(function (el) {
      var when = new Date(el.getAttribute("datetime"));
      if (isNaN(when.getTime())) return;
      if (!el.hasAttribute("data-utc")) {
        el.setAttribute("data-utc", el.textContent);
        el.title = long.format(when);
      }
      var text = ago((now - when.getTime()) / 1000) ||
        (el.hasAttribute("data-day") ? dayOnly : full).format(when);
      if (el.textContent !== text) el.textContent = text;
    });
  }

  // Sign-up: guess the member's zone from the browser (the server checks it, UTC otherwise).
  function guessZone() {
    var guess = Intl.DateTimeFormat().resolvedOptions().timeZone;
    document.querySelectorAll("input[data-time-zone-guess]").forEach(function (input) {
      if (!input.value && guess) input.value = guess;
    });
  }

  guessZone();
  update();
  window.setInterval(update, 60 * 1000);
  // Posts swapped in without a reload (app.js) get their times too.
  new MutationObserver(function () {
    if (document.querySelector("time[datetime]:not([data-utc])")) update();
  }).observe(document.body, { childList: true, subtree: true });
})();
