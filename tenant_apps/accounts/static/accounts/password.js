/* Live checklist of the password rules, "show passwords" and "copy" on the password creation page.
 * The rules mirror tenant_apps/accounts/password_policy.py (same Unicode classes); the server
 * checks them again on submit. Loaded as a static file: the CSP forbids inline scripts. */
(function () {
  "use strict";

  var RULES = {
    length: function (p) { return Array.from(p).length >= 8; },
    lower: function (p) { return /\p{Ll}/u.test(p); },
    upper: function (p) { return /\p{Lu}/u.test(p); },
    special: function (p) { return /[^\p{L}\p{Nd}]/u.test(p); },
    digit: function (p) { return /\p{Nd}/u.test(p); }
  };

  function setup() {
    var first = document.getElementById("id_password1");
    var second = document.getElementById("id_password2");
    var list = document.getElementById("password-rules");
    var status = document.getElementById("password-rules-status");
    if (!first || !second || !list) { return; }
    list.classList.add("is-live");
    var items = list.querySelectorAll("li[data-rule]");
    var announceTimer = null;

    function update() {
      var p1 = first.value, p2 = second.value, met = 0;
      items.forEach(function (item) {
        var code = item.getAttribute("data-rule");
        var ok = code === "same" ? (p1.length > 0 && p1 === p2) : RULES[code](p1);
        if (ok) { met += 1; }
        item.classList.toggle("rule-met", ok);
        item.querySelector(".rule-state").textContent = ok ? " : respecté" : " : non respecté";
      });
      window.clearTimeout(announceTimer);
      announceTimer = window.setTimeout(function () {
        status.textContent = met + " règles sur " + items.length + " respectées.";
      }, 700);
    }
    first.addEventListener("input", update);
    second.addEventListener("input", update);
    update();
    status.textContent = "";

    var toggle = document.getElementById("show-passwords");
    if (toggle) {
      toggle.addEventListener("change", function () {
        var type = toggle.checked ? "text" : "password";
        first.type = type;
        second.type = type;
      });
    }
  }

  function revealJsOnly(root) {
    root.querySelectorAll("[data-js-only]").forEach(function (el) { el.hidden = false; });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest(".js-copy");
    if (!button || !navigator.clipboard) { return; }
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (!source) { return; }
    navigator.clipboard.writeText(source.textContent).then(function () {
      button.textContent = "Copié";
    });
  });

  document.addEventListener("htmx:afterSwap", function (event) { revealJsOnly(event.target); });
  document.addEventListener("DOMContentLoaded", function () {
    revealJsOnly(document);
    setup();
  });
})();
