// Sends the parent on to the provider's form at once; without JavaScript they click the button.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("provider-form");
  if (form) { form.submit(); }
});
