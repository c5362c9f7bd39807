/* Terang's one small script: progressive enhancement only, every page works without it.
   Served from app/static (the Content-Security-Policy allows 'self' scripts, no inline code).
   - A form that comes back with errors: its error summary takes the focus (screen readers
     read it first), also when htmx swaps such a form in. A step that asks to confirm
     (data-takes-focus) takes it the same way.
   - "Salin kode" buttons copy a code and say so in a status region.
   - The resolution answer reveals its reason field once "Belum" is chosen.
   - On the report form, Enter in a one-line field does not post the whole form back (which
     would reload the page at its top); in the agency search box it searches.
   - The officers' list filters, folded on a phone, start open on a wide screen.
   - Files chosen on the report form are checked at once (size, type, how many; the server's
     own messages), and photos over about 2 MB are made smaller, before anything is sent.
     Videos have their own, larger limit (data-max-video-bytes) and are never made smaller. */
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

  // --- files on the report form: checked when chosen, before anything is sent ---------------
  var PHOTO_TARGET_BYTES = 2 * 1024 * 1024;
  var PHOTO_LONG_SIDE = 2560;

  function say(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_all, key) { return values[key]; });
  }

  function megabytes(bytes) {
    return (bytes / (1024 * 1024)).toFixed(1).replace(".", ",") + " MB";
  }

  // A photo over about 2 MB becomes a JPEG of at most 2560 px on its long side (what a phone
  // camera's "medium" size gives): quicker on a slow connection, still sharp as evidence.
  function shrinkPhoto(file) {
    return createImageBitmap(file).then(function (bitmap) {
      var scale = Math.min(1, PHOTO_LONG_SIDE / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      var attempt = function (quality) {
        return new Promise(function (resolve) { canvas.toBlob(resolve, "image/jpeg", quality); })
          .then(function (blob) {
            if (blob && blob.size > PHOTO_TARGET_BYTES && quality > 0.5) { return attempt(quality - 0.15); }
            return blob;
          });
      };
      return attempt(0.85);
    }).then(function (blob) {
      if (!blob || blob.size >= file.size) { return file; }
      var name = file.name.replace(/\.[^.]*$/, "") + ".jpg";
      return new File([blob], name, { type: "image/jpeg", lastModified: Date.now() });
    });
  }

  function checkChosenFiles(input) {
    var data = input.dataset;
    var maxBytes = parseInt(data.maxBytes, 10);
    var maxVideoBytes = parseInt(data.maxVideoBytes, 10) || maxBytes;
    var maxFiles = parseInt(data.maxFiles, 10);
    var accepted = (input.getAttribute("accept") || "").split(",");
    var out = document.getElementById(input.id + "-check");
    var problems = [];
    var notes = [];
    var chosen = Array.prototype.slice.call(input.files);
    if (chosen.length > maxFiles) {
      problems.push(data.msgCount);
      chosen = chosen.slice(0, maxFiles);
    }
    var canShrink = window.createImageBitmap && window.DataTransfer && window.File;
    var work = chosen.map(function (file) {
      if (accepted.indexOf(file.type) === -1) {
        problems.push(say(data.msgType, { name: file.name }));
        return Promise.resolve(null);
      }
      if (file.type.indexOf("video/") === 0) {
        // A video is sent as it was filmed: the server removes its metadata, nothing here.
        if (file.size > maxVideoBytes) {
          problems.push(say(data.msgVideoTooLarge || data.msgTooLarge, { name: file.name }));
          return Promise.resolve(null);
        }
        return Promise.resolve(file);
      }
      var photo = file.type === "image/jpeg" || file.type === "image/png";
      if (photo && canShrink && file.size > PHOTO_TARGET_BYTES) {
        return shrinkPhoto(file).then(function (smaller) {
          if (smaller.size > maxBytes) {
            problems.push(say(data.msgTooLarge, { name: file.name }));
            return null;
          }
          if (smaller !== file) {
            notes.push(say(data.msgShrunk, { name: file.name, size: megabytes(smaller.size) }));
          }
          return smaller;
        }, function () { return file.size > maxBytes ? null : file; });
      }
      if (file.size > maxBytes) {
        problems.push(say(data.msgTooLarge, { name: file.name }));
        return Promise.resolve(null);
      }
      return Promise.resolve(file);
    });
    Promise.all(work).then(function (kept) {
      if (window.DataTransfer) {
        var transfer = new DataTransfer();
        kept.forEach(function (file) { if (file) { transfer.items.add(file); } });
        input.files = transfer.files;
      } else if (problems.length) {
        input.value = "";  // no way to keep only the good ones: nothing refused is sent
      }
      if (!out) { return; }
      out.textContent = "";
      problems.concat(notes).forEach(function (text, index) {
        var line = document.createElement("p");
        line.className = index < problems.length ? "field-error" : "hint";
        line.textContent = text;
        out.appendChild(line);
      });
      var described = (input.getAttribute("aria-describedby") || "").split(" ").filter(function (id) {
        return id && id !== out.id;
      });
      if (problems.length) {
        input.setAttribute("aria-invalid", "true");
        described.push(out.id);
      } else {
        input.removeAttribute("aria-invalid");
      }
      input.setAttribute("aria-describedby", described.join(" "));
    });
  }

  function checkFilesOnChoice(root) {
    (root || document).querySelectorAll("input[type=file][data-max-bytes]").forEach(function (input) {
      if (input.dataset.checkBound) { return; }
      input.dataset.checkBound = "1";
      input.addEventListener("change", function () { checkChosenFiles(input); });
    });
  }

  function enhance(root) {
    checkFilesOnChoice(root);
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
