// topofmind: the little script the pages need. Every feature also works without it
// (forms post and redirect); this only makes the common paths quicker.
(function () {
  "use strict";

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  function say(text) {
    var live = document.getElementById("live");
    if (live) {
      live.textContent = "";
      window.setTimeout(function () { live.textContent = text; }, 30);
    }
  }

  // --- copy a draft to the clipboard -------------------------------------------------
  function copyDraft(button) {
    var form = button.closest("form");
    if (!form) return;
    var subject = form.querySelector("[name=subject]");
    var body = form.querySelector("[name=body]");
    var text = (subject && subject.value ? subject.value + "\n\n" : "") + (body ? body.value : "");
    var done = function () {
      var note = form.querySelector(".copied");
      if (note) { note.textContent = "Copied to the clipboard."; }
      say("Draft copied to the clipboard.");
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { fallbackCopy(text); done(); });
    } else {
      fallbackCopy(text);
      done();
    }
  }

  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "absolute";
    area.style.left = "-9999px";
    document.body.appendChild(area);
    area.select();
    try { document.execCommand("copy"); } catch (e) { /* nothing more we can do */ }
    document.body.removeChild(area);
  }

  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target.closest("[data-copy-draft]") : null;
    if (target) {
      event.preventDefault();
      copyDraft(target);
    }
    var mail = event.target instanceof Element ? event.target.closest("a[data-mailto]") : null;
    if (mail) mailtoFromForm(mail);
  });

  // --- open the draft in the mail app as it reads now (the link was made from the saved one) --
  function mailtoFromForm(link) {
    var form = link.closest("form");
    if (!form) return;
    var subject = form.querySelector("[name=subject]");
    var body = form.querySelector("[name=body]");
    var lines = (body ? body.value : "").split(/\r?\n/).join("\r\n");
    link.setAttribute("href", "mailto:" + encodeURIComponent(link.dataset.mailto || "").replace("%40", "@") +
      "?subject=" + encodeURIComponent(subject ? subject.value : "") + "&body=" + encodeURIComponent(lines));
  }

  // --- ask before deleting: a deleted touch takes its follow-ups with it --------------
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  }, true);

  // --- quick log: show key points for conversations; Escape closes the panel ---------
  function syncPoints(form) {
    var kind = form.querySelector("[name=kind]");
    var points = form.querySelector("[data-points]");
    if (!kind || !points) return;
    // the kinds with key points come from the server (engine.types.CONVERSATIONS)
    var kinds = (form.dataset.pointsKinds || "interview intake_call call").split(" ");
    var textarea = points.querySelector("textarea");
    // a box that already holds points (a touch being corrected) stays in sight
    points.hidden = kinds.indexOf(kind.value) < 0 && !(textarea && textarea.value);
  }
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el instanceof HTMLSelectElement && el.name === "kind") {
      var form = el.closest("form");
      if (form) syncPoints(form);
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      var open = document.querySelector("details.quicklog[open]");
      if (open) {
        open.removeAttribute("open");
        var summary = open.querySelector("summary");
        if (summary) summary.focus();
      }
    }
  });
  document.addEventListener("toggle", function (event) {
    var details = event.target;
    if (details instanceof HTMLDetailsElement && details.classList.contains("quicklog") && details.open) {
      var first = details.querySelector("input, select, textarea");
      if (first) first.focus();
    }
  }, true);

  // --- Today's count follows the one-click actions (an acted-on item leaves the list) --
  function recount() {
    var count = document.getElementById("today-count");
    var list = document.querySelector("ol.agenda");
    if (!count || !list) return;
    var left = list.querySelectorAll(":scope > li.item").length;
    count.textContent = left === 0 ? "Nothing left to do right now." :
      left + (left === 1 ? " thing" : " things") + " to do, most urgent first.";
  }
  document.addEventListener("htmx:afterSettle", recount);

  function init(root) {
    root.querySelectorAll("form[data-log-form]").forEach(syncPoints);
    root.querySelectorAll("[data-board]").forEach(initBoard);
  }

  // --- the board: drag a card to another column -------------------------------------
  function initBoard(board) {
    if (board.dataset.ready) return;
    board.dataset.ready = "1";
    board.addEventListener("dragstart", function (event) {
      var card = event.target instanceof Element ? event.target.closest("[data-card]") : null;
      if (!card || !event.dataTransfer) return;
      event.dataTransfer.setData("text/plain", card.getAttribute("data-card") || "");
      event.dataTransfer.effectAllowed = "move";
      card.classList.add("dragging");
    });
    board.addEventListener("dragend", function (event) {
      var card = event.target instanceof Element ? event.target.closest("[data-card]") : null;
      if (card) card.classList.remove("dragging");
      board.querySelectorAll(".drop-target").forEach(function (c) { c.classList.remove("drop-target"); });
    });
    board.addEventListener("dragover", function (event) {
      var column = event.target instanceof Element ? event.target.closest("[data-stage]") : null;
      if (!column) return;
      event.preventDefault();
      board.querySelectorAll(".drop-target").forEach(function (c) {
        if (c !== column) c.classList.remove("drop-target");
      });
      column.classList.add("drop-target");
    });
    board.addEventListener("drop", function (event) {
      var column = event.target instanceof Element ? event.target.closest("[data-stage]") : null;
      if (!column || !event.dataTransfer) return;
      event.preventDefault();
      column.classList.remove("drop-target");
      var id = event.dataTransfer.getData("text/plain");
      var card = board.querySelector('[data-card="' + id + '"]');
      if (!card) return;
      var stage = column.getAttribute("data-stage");
      var form = card.querySelector("form.move");
      if (!form || !stage) return;
      var select = form.querySelector("select[name=stage]");
      if (select) select.value = stage;
      if (window.htmx) {
        window.htmx.trigger(form, "submit");
      } else {
        form.submit();
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.target instanceof Element) init(event.target.ownerDocument || document);
  });
  // A failed htmx request says what went wrong in words rather than doing nothing.
  document.addEventListener("htmx:responseError", function (event) {
    var detail = event.detail || {};
    var xhr = detail.xhr;
    var text = "That did not work";
    if (xhr && xhr.status === 403) text = "Your session has ended or the form was stale: reload the page and try again.";
    else if (xhr && xhr.status === 404) text = "That item no longer exists: reload the page.";
    else if (xhr && xhr.status >= 500) text = "Something broke on our side; nothing was changed. Reload and try again.";
    say(text);
    var box = document.getElementById("flash");
    if (box) { box.textContent = text; box.hidden = false; }
  });
  document.addEventListener("htmx:sendError", function () {
    say("The app is not reachable. Is it still running?");
    var box = document.getElementById("flash");
    if (box) { box.textContent = "The app is not reachable. Is it still running?"; box.hidden = false; }
  });
  window.topofmind = { csrfToken: csrfToken };
})();

// --- first start: the time zone the browser is in, filled in for the user to confirm ----
(function () {
  var select = document.querySelector("select[data-browser-zone]");
  if (!select || select.dataset.touched) return;
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && (select.value === "UTC" || !select.value) && select.querySelector('option[value="' + zone + '"]')) {
      select.value = zone;
    }
  } catch (e) { /* an old browser: the user picks it */ }
})();
