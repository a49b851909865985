/* The register on a tablet: a tap that fails (network down, server error, timeout) leaves the page
   usable, says so in French, and offers to send the same tap again. */
(function () {
  "use strict";
  var failed = null;

  function banner() { return document.getElementById("register-error"); }

  function showFailure(event, kind) {
    var box = banner();
    if (!box) { return; }
    failed = event.detail.elt;
    box.querySelector("[data-register-message]").textContent = box.dataset[kind];
    box.hidden = false;
    var row = failed && failed.closest ? failed.closest("tr") : null;
    if (row) { row.classList.add("register-failed"); }
  }

  document.addEventListener("htmx:sendError", function (event) { showFailure(event, "network"); });
  document.addEventListener("htmx:timeout", function (event) { showFailure(event, "network"); });
  document.addEventListener("htmx:responseError", function (event) { showFailure(event, "server"); });
  document.addEventListener("click", function (event) {
    var retry = event.target.closest ? event.target.closest("[data-register-retry]") : null;
    if (!retry || !failed) { return; }
    var row = failed.closest ? failed.closest("tr") : null;
    if (row) { row.classList.remove("register-failed"); }
    banner().hidden = true; /* shown again if the retry fails too */
    var again = failed;
    failed = null;
    if (again.tagName === "FORM") { htmx.trigger(again, "submit"); } else { htmx.trigger(again, "click"); }
  });
}());
