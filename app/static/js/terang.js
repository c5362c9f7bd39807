/* Terang's one small script: progressive enhancement only, every page works without it.
   Served from app/static (the Content-Security-Policy allows 'self' scripts, no inline code).
   - A form that comes back with errors: its error summary takes the focus (screen readers
     read it first), also when htmx swaps such a form in. A step that asks to confirm
     (data-takes-focus) takes it the same way.
   - "Salin kode" buttons copy a code and say so in a status region.
   - The resolution answer reveals its reason field once "Belum" is chosen.
   - On the report form, Enter in a one-line field does not post the whole form back (which
     would reload the page at its top); in the agency search box it searches.
   - The officers' list filters, folded on a phone, start open on a wide screen. */
(function () {
  "use strict";

  function focusErrorSummary(root) {
    var summary = (root || document).querySelector("#error-summary, [data-takes-focus]");
    if (summary && document.activeElement !== summary) {
      summary.focus();
    }
  }

  function enableCopyButtons(root) {
    (root || document).querySelectorAll("button[data-copy]").forEach(function (button) {
      if (!navigator.clipboard) { return; }
      button.hidden = false;
      button.addEventListener("click", function () {
        var target = document.getElementById(button.getAttribute("data-copy"));
        var status = document.getElementById("copy-status");
        if (!target) { return; }
        navigator.clipboard.writeText(target.textContent.trim()).then(function () {
          if (status) { status.textContent = button.getAttribute("data-copied"); }
        });
      });
    });
  }

  function enableReveal(root) {
    (root || document).querySelectorAll("form.decision").forEach(function (form) {
      form.classList.add("js-reveal");
    });
  }

  function keepEnterInPlace(root) {
    (root || document).querySelectorAll("form[data-enter-refines]").forEach(function (form) {
      if (form.dataset.enterBound) { return; }
      form.dataset.enterBound = "1";
      form.addEventListener("keydown", function (event) {
        var field = event.target;
        if (event.key !== "Enter" || field.tagName !== "INPUT") { return; }
        if (["submit", "button", "checkbox", "radio", "file"].indexOf(field.type) !== -1) { return; }
        event.preventDefault();
        if (field.type === "search") {
          field.dispatchEvent(new Event("search", { bubbles: true }));
        }
      });
    });
  }

  // Filters folded for phones (details[data-open-wide]) start open where there is room.
  function openWhereWide(root) {
    if (!window.matchMedia || !window.matchMedia("(min-width: 60rem)").matches) { return; }
    (root || document).querySelectorAll("details[data-open-wide]").forEach(function (details) {
      details.open = true;
    });
  }

  function enhance(root) {
    openWhereWide(root);
    keepEnterInPlace(root);
    focusErrorSummary(root);
    enableCopyButtons(root);
    enableReveal(root);
  }

  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  // A page opened at a fragment (a form that comes back where the user was) is scrolled there
  // after it has loaded, and the browser then drops the focus: give it to the summary again.
  window.addEventListener("load", function () {
    if (document.activeElement === document.body) {
      window.setTimeout(function () { focusErrorSummary(document); }, 0);
    }
  });
  document.addEventListener("htmx:afterSettle", function (event) { enhance(event.target); });
})();
