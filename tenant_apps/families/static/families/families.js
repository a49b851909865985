// Family record: let htmx swap in forms answered with 400 (they carry the French error
// messages), and keep the keyboard focus where the user is working after each swap.
document.addEventListener("htmx:beforeSwap", function (event) {
  if (event.detail.xhr.status === 400) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});

var FIELDS = "input:not([type=hidden]), select, textarea";

document.addEventListener("htmx:afterSettle", function (event) {
  var target = event.detail.target;
  var swapped = target && target.id ? document.getElementById(target.id) : null;
  if (!swapped) { return; }
  var focusable = null;
  var errors = swapped.querySelector(".errorlist");
  if (errors) {
    var holder = errors.closest("div, fieldset, form");
    focusable = holder ? holder.querySelector(FIELDS) : null;
  } else if (swapped.classList.contains("editing")) {
    focusable = swapped.querySelector(FIELDS);
  } else {
    focusable = swapped.querySelector("[role=status]") || swapped.querySelector(".icon-button");
  }
  if (!focusable) { return; }
  if (focusable.getAttribute("role") === "status") { focusable.setAttribute("tabindex", "-1"); }
  focusable.focus();
});
