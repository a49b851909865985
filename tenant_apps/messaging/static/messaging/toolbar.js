/* A small formatting toolbar for message textareas: inserts the few tags the server keeps
   (bold, lists, links). Without JavaScript the textarea still accepts them typed by hand. */
(function () {
  "use strict";
  function wrap(textarea, before, after, placeholder) {
    var start = textarea.selectionStart, end = textarea.selectionEnd;
    var value = textarea.value;
    var selected = value.slice(start, end) || placeholder;
    textarea.value = value.slice(0, start) + before + selected + after + value.slice(end);
    textarea.focus();
    textarea.setSelectionRange(start + before.length, start + before.length + selected.length);
  }
  function listOf(text, tag) {
    var items = text.split(/\n/).filter(function (line) { return line.trim() !== ""; });
    if (!items.length) { items = ["élément"]; }
    return "<" + tag + ">\n" + items.map(function (line) { return "<li>" + line.trim() + "</li>"; }).join("\n") + "\n</" + tag + ">";
  }
  function list(textarea, tag) {
    var start = textarea.selectionStart, end = textarea.selectionEnd;
    var value = textarea.value;
    var markup = listOf(value.slice(start, end), tag);
    textarea.value = value.slice(0, start) + markup + value.slice(end);
    textarea.focus();
    textarea.setSelectionRange(start + markup.length, start + markup.length);
  }
  var actions = [
    ["Gras", function (t) { wrap(t, "<strong>", "</strong>", "texte en gras"); }],
    ["Italique", function (t) { wrap(t, "<em>", "</em>", "texte en italique"); }],
    ["Liste à puces", function (t) { list(t, "ul"); }],
    ["Liste numérotée", function (t) { list(t, "ol"); }],
    ["Lien", function (t) {
      var url = window.prompt("Adresse du lien (https://…)", "https://");
      if (url && /^(https?:\/\/|mailto:)/i.test(url)) { wrap(t, '<a href="' + url.replace(/"/g, "%22") + '">', "</a>", "texte du lien"); }
    }]
  ];
  document.querySelectorAll("textarea[data-format-toolbar]").forEach(function (textarea) {
    var bar = document.createElement("div");
    bar.className = "format-toolbar";
    bar.setAttribute("role", "toolbar");
    bar.setAttribute("aria-label", "Mise en forme du message");
    bar.setAttribute("aria-controls", textarea.id);
    actions.forEach(function (action) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button-secondary format-button";
      button.textContent = action[0];
      button.addEventListener("click", function () { action[1](textarea); });
      bar.appendChild(button);
    });
    textarea.parentNode.insertBefore(bar, textarea);
  });
})();
