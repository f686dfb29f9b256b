// Composers and forms: a character count near the limit and a plain word when a paste goes over it
// (nothing is cut: the server refuses what is too long, keeping the text), the error summary
// focused after a refused post, and each form sent once. Every page works without it.
(function () {
  "use strict";

  // Code points, as the server counts: an emoji is one character, not two.
  function length(text) {
    var pairs = text.match(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g);
    return text.length - (pairs ? pairs.length : 0);
  }

  function number(n) { return n.toLocaleString("en-US"); }

  function counter(box) {
    var input = document.getElementById(box.getAttribute("data-count-for"));
    var max = parseInt(box.getAttribute("data-max"), 10);
    var count = box.querySelector(".count");
    var alert = box.querySelector(".count-alert");
    if (!input || !max) return;
    var wasOver = false;
    var pasting = false;

    function update(pasted) {
      var n = length(input.value);
      var over = n - max;
      if (n >= max * 0.9) {
        count.hidden = false;
        count.textContent = number(n) + " / " + number(max) + " characters" +
          (over > 0 ? " (" + number(over) + " too many)" : "");
      } else {
        count.hidden = true;
      }
      box.classList.toggle("over", over > 0);
      // Said once when the state changes (or on a paste), not on every key.
      if (pasted && over > 0) {
        alert.textContent = "What you pasted makes this " + number(over) + " characters too long (the limit is " +
          number(max) + "). Nothing was cut: shorten it before sending.";
      } else if (over > 0 && !wasOver) {
        alert.textContent = "This is longer than " + number(max) + " characters. Shorten it before sending.";
      } else if (over <= 0 && wasOver) {
        alert.textContent = "Now within the " + number(max) + " character limit.";
      }
      wasOver = over > 0;
    }

    input.addEventListener("paste", function () { pasting = true; });
    input.addEventListener("input", function (event) {
      update(pasting || event.inputType === "insertFromPaste");
      pasting = false;
    });
    update(false);
  }

  document.querySelectorAll(".char-count[data-count-for]").forEach(counter);

  // After a refused post the page comes back with a summary at the form: take the reader there.
  // The browser's own jump to #reply can take the focus back once the page has loaded: focus again
  // then, unless the reader has already moved on.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
    window.addEventListener("load", function () {
      window.setTimeout(function () {
        if (document.activeElement === document.body || !document.activeElement) summary.focus();
      }, 0);
    });
  }

  function submitButtons(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return (el.tagName === "BUTTON" && (el.type || "submit") === "submit") ||
        (el.tagName === "INPUT" && el.type === "submit");
    });
  }

  function release(form) {
    form.removeAttribute("data-sending");
    form.removeAttribute("aria-busy");
    submitButtons(form).forEach(function (button) {
      if (button.hasAttribute("data-was-enabled")) {
        button.disabled = false;
        button.removeAttribute("data-was-enabled");
      }
    });
  }

  // Runs after app.js's confirmation (loaded first): a cancelled submit is left alone.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || (form.getAttribute("method") || "").toLowerCase() !== "post") return;
    var tooLong = form.querySelector(".char-count.over");
    if (tooLong) {
      event.preventDefault();
      tooLong.querySelector(".count-alert").textContent =
        "This is longer than " + number(parseInt(tooLong.getAttribute("data-max"), 10)) +
        " characters. Shorten it before sending.";
      document.getElementById(tooLong.getAttribute("data-count-for")).focus();
      return;
    }
    if (form.hasAttribute("data-sending")) {
      event.preventDefault();  // a second tap while the first is on its way
      return;
    }
    form.setAttribute("data-sending", "");
    form.setAttribute("aria-busy", "true");
    // Disabled after this event: a disabled submitter would drop its own name and value from the post.
    window.setTimeout(function () {
      submitButtons(form).forEach(function (button) {
        if (!button.disabled) {
          button.setAttribute("data-was-enabled", "");
          button.disabled = true;
        }
      });
    }, 0);
    // A response that never navigates (a download, a stalled network) must not lock the form for good;
    // a retry carries the same key, so the server still runs it once.
    window.setTimeout(function () { release(form); }, 15000);
  });

  // Back/forward cache: the page comes back as it was left, buttons disabled; give them back.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      document.querySelectorAll("form[data-sending]").forEach(release);
    }
  });
})();
