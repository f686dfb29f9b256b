// Small progressive enhancements; every page works without them.
(function () {
  "use strict";

  // Ask before destructive actions.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var button = event.submitter;
    var question = (button && button.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });

  // The author's own pending post: swap in the published version when moderation finishes.
  function watch(article, attempt) {
    var url = article.getAttribute("data-pending-url");
    if (!url || attempt > 40) return;
    window.setTimeout(function () {
      fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } })
        .then(function (response) {
          if (!response.ok) return null;
          var status = response.headers.get("X-Moderation-Status");
          return response.text().then(function (html) { return { status: status, html: html }; });
        })
        .then(function (result) {
          if (!result) return;
          if (result.status === "pending") { watch(article, attempt + 1); return; }
          var holder = document.createElement("div");
          holder.innerHTML = result.html;
          var fresh = holder.firstElementChild;
          if (fresh) { article.replaceWith(fresh); }
        })
        .catch(function () { watch(article, attempt + 1); });
    }, Math.min(1000 + attempt * 500, 5000));
  }

  document.querySelectorAll("[data-pending-url]").forEach(function (article) { watch(article, 0); });
})();
