/* Live checklist of the password rules, "show passwords" and "copy" on the password creation page.
 * The page lists the lines the server's validators declare (password_policy.py); each check here
 * repeats the server's algorithm. A line whose code has no check here, or whose data has not
 * arrived, is shown as checked on submit: never green on a guess. Loaded as a static file: the
 * CSP forbids inline scripts. */
(function () {
  "use strict";

  // Python's str.strip() whitespace (str.isspace), which JavaScript's trim() does not match exactly.
  var PY_SPACE = "\\t\\n\\x0b\\x0c\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
  var PY_STRIP = new RegExp("^[" + PY_SPACE + "]+|[" + PY_SPACE + "]+$", "g");

  // difflib.SequenceMatcher(a=a, b=b).quick_ratio(), on arrays of code points.
  function quickRatio(a, b) {
    var full = new Map(), avail = new Map(), matches = 0;
    b.forEach(function (c) { full.set(c, (full.get(c) || 0) + 1); });
    a.forEach(function (c) {
      var n = avail.has(c) ? avail.get(c) : (full.get(c) || 0);
      avail.set(c, n - 1);
      if (n > 0) { matches += 1; }
    });
    var length = a.length + b.length;
    return length ? 2.0 * matches / length : 1.0;
  }

  // Django's UserAttributeSimilarityValidator, on the parts the server sent.
  function notLikeAccount(p, data) {
    if (!data || !data.parts) { return null; }
    var password = Array.from(p.toLowerCase()), max = data.max_similarity;
    return !data.parts.some(function (part) {
      var value = Array.from(part);
      if (password.length >= 10 * value.length && value.length < max / 2 * password.length) { return false; }
      return quickRatio(password, value) >= max;
    });
  }

  var common = null;  // Set of the server's common passwords, once fetched

  // Each check answers true (met), false (not met) or null (cannot tell here: checked on submit).
  var CHECKS = {
    length: function (p) { return Array.from(p).length >= 8; },
    lower: function (p) { return /\p{Ll}/u.test(p); },
    upper: function (p) { return /\p{Lu}/u.test(p); },
    special: function (p) { return /[^\p{L}\p{Nd}]/u.test(p); },
    digit: function (p) { return /\p{Nd}/u.test(p); },
    not_like_account: notLikeAccount,
    not_common: function (p) { return common ? !common.has(p.toLowerCase().replace(PY_STRIP, "")) : null; }
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

    function check(item, p1, p2) {
      var code = item.getAttribute("data-rule");
      if (code === "same") { return p1.length > 0 && p1 === p2; }
      var data = item.getAttribute("data-rule-data");
      return CHECKS[code] ? CHECKS[code](p1, data ? JSON.parse(data) : null) : null;
    }

    function update() {
      var p1 = first.value, p2 = second.value, met = 0;
      items.forEach(function (item) {
        var ok = check(item, p1, p2);
        var state = item.querySelector(".rule-state");
        if (ok === true) { met += 1; }
        item.classList.toggle("rule-met", ok === true);
        item.classList.toggle("rule-on-submit", ok === null);
        state.classList.toggle("visually-hidden", ok !== null);
        state.textContent = ok === null ? " (vérifié à l'envoi)" : (ok ? " : respecté" : " : non respecté");
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

    var commonUrl = list.getAttribute("data-common-passwords");
    if (commonUrl && list.querySelector('li[data-rule="not_common"]') && window.fetch) {
      fetch(commonUrl, {credentials: "omit"})
        .then(function (response) { if (!response.ok) { throw new Error(response.status); } return response.json(); })
        .then(function (passwords) { common = new Set(passwords); update(); })
        .catch(function () { /* stays "vérifié à l'envoi" */ });
    }

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
