/* `specgen serve` only: reloads this page when the server has rewritten it, and replaces
   the panel of lint findings when they change (no reload needed for that). The server
   answers /__specgen__/wait when this page's token or the findings' status changes. */
(function () {
  "use strict";
  var box = document.getElementById("sg-serve");
  if (!box || !window.fetch) return;
  var page = box.dataset.sgPage || "";
  var token = box.dataset.sgToken || "";
  var status = box.dataset.sgStatus || "0";
  var shown = location.pathname;
  var CLOSED = "specgen-serve-closed";

  function pageOf(path) {
    return path.replace(/^\//, "").replace(/index\.html$/, "");
  }

  // A closed panel stays closed across reloads until the findings change.
  function keepClosed() {
    var details = box.querySelector("details");
    if (!details) return;
    var what = box.querySelector("[data-sg-status-text]");
    var key = what ? what.getAttribute("data-sg-status-text") : "";
    if (sessionStorage.getItem(CLOSED) === key) details.open = false;
    details.addEventListener("toggle", function () {
      if (details.open) sessionStorage.removeItem(CLOSED);
      else sessionStorage.setItem(CLOSED, key);
    });
  }

  function refreshPanel() {
    return fetch("/__specgen__/panel", { cache: "no-store" })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        // The server's template escaped every value; nothing in it runs as script.
        box.innerHTML = html;
        keepClosed();
      });
  }

  function wait() {
    if (location.pathname !== shown) {  // Material's instant navigation changed page
      shown = location.pathname;
      page = pageOf(shown);
      token = "";  // answered at once with the new page's token
    }
    var query = "page=" + encodeURIComponent(page) + "&token=" + encodeURIComponent(token) +
      "&status=" + encodeURIComponent(status);
    fetch("/__specgen__/wait?" + query, { cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (answer) {
        if (token === "") token = answer.token;
        else if (answer.token !== token) { location.reload(); return; }
        if (String(answer.status) !== status) {
          status = String(answer.status);
          return refreshPanel().then(wait);
        }
        wait();
      })
      .catch(function () { setTimeout(wait, 1000); });  // the server restarts: try again
  }

  keepClosed();
  wait();
})();
