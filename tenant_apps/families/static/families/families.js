// Family record: let htmx swap in forms answered with 400 (they carry the French error
// messages), and keep the keyboard focus where the user is working after each swap.
document.addEventListener("htmx:beforeSwap", function (event) {
  if (event.detail.xhr.status === 400) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});

document.addEventListener("htmx:afterSwap", function (event) {
  var target = event.detail.target;
  if (!target || !target.id) { return; }
  var swapped = document.getElementById(target.id);
  if (!swapped) { return; }
  var focusable = swapped.querySelector(".errorlist") ? swapped.querySelector("[aria-invalid=true], input, select, textarea")
    : swapped.querySelector(".field-form input, .field-form select, .field-form textarea");
  if (!focusable) { focusable = swapped.querySelector(".icon-button, [role=status]"); }
  if (focusable) {
    if (!focusable.hasAttribute("tabindex") && focusable.getAttribute("role") === "status") { focusable.setAttribute("tabindex", "-1"); }
    focusable.focus();
  }
});
