"""Guard: every interface text goes through gettext, so locale/fr can adjust any wording.

Templates: no text outside {% translate %} / {% blocktranslate %} (nor in a title, aria-label, alt
or placeholder attribute). Python: no bare literal where the interface shows it (messages, admin
messages and actions, form labels, verbose names, the staff menu, error pages). And no catalogue of
Django or a library silently rewords one of our French msgids.
"""

import ast
import re
from pathlib import Path

from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent
LETTERS = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿŒœ]")

# --- templates -------------------------------------------------------------------------------------

NOT_TEXT = re.compile(
    r"{%\s*(blocktranslate|blocktrans|comment|verbatim)\b.*?{%\s*end\1\s*%}"  # translated or not shown
    r"|<(script|style|code)\b.*?</\2\s*>|<!--.*?-->|{#.*?#}",  # <code>: identifiers, never reworded
    re.DOTALL,
)
TEMPLATE_TAG = re.compile(r"{%.*?%}|{{.*?}}")
HTML_TAG = re.compile(r"<[^>]*>")
ENTITY = re.compile(r"&#?\w+;")
SHOWN_ATTRIBUTE = re.compile(r"\s(?:title|aria-label|alt|placeholder)=\"([^\"]*)\"")


def untranslated_template_text(source: str) -> list[str]:
    source = NOT_TEXT.sub(" ", source)
    found = [value for value in SHOWN_ATTRIBUTE.findall(source)
             if LETTERS.search(ENTITY.sub("", TEMPLATE_TAG.sub("", value)))]
    text = HTML_TAG.sub("\n", TEMPLATE_TAG.sub("\n", source))
    found += [line.strip() for line in text.splitlines() if LETTERS.search(ENTITY.sub("", line))]
    return found


def templates():
    for folder in (ROOT / "templates", *ROOT.glob("*/templates"), *ROOT.glob("*/*/templates")):
        yield from (path for path in folder.rglob("*") if path.suffix in (".html", ".txt"))


def test_templates_show_no_text_outside_translate_tags():
    offending = [f"{path.relative_to(ROOT)}: {text!r}" for path in templates()
                 for text in untranslated_template_text(path.read_text())]
    assert offending == []


def test_the_template_guard_sees_bare_text_and_attributes():
    assert untranslated_template_text("<p>Bonjour {{ name }}</p>") == ["Bonjour"]
    assert untranslated_template_text('<a title="Modifier {{ x }}">✎</a>') == ["Modifier {{ x }}"]
    assert untranslated_template_text(
        '{% load i18n %}<p title="{% translate \'Modifier\' %}">{% translate "Bonjour" %}&nbsp;'
        "{% blocktranslate with n=name %}Bonjour {{ n }}{% endblocktranslate %}</p>"
        "<script>let a = 'x';</script><!-- note -->") == []


# --- Python ----------------------------------------------------------------------------------------

GETTEXT = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy", "format_lazy"}
SHOWN_BY_CALLS = {"message_user", "Http404", "HttpResponseBadRequest", "register", "add_error"}
MESSAGES = {"success", "error", "warning", "info"}  # messages.<level>(request, text); not a logger's
SHOWN_KEYWORDS = {"label", "help_text", "verbose_name", "verbose_name_plural", "empty_label"}
SHOWN_ATTRIBUTES = {"verbose_name", "verbose_name_plural", "site_header", "site_title", "index_title"}
# The API's own documentation (English, for developers) and operators' command-line texts are not UI.
NOT_UI = ("/api/", "tenants/api.py", "/management/", "/migrations/", "/tests/", "/demo.py")


def _name(func) -> str:
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def _bare_texts(node) -> list[str]:
    """Literal texts in `node` not inside a gettext call (the values put into a message are data)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        words = "".join(part.value for part in node.values if isinstance(part, ast.Constant) and isinstance(part.value, str))
        return [ast.unparse(node)] if LETTERS.search(words) else []
    if isinstance(node, ast.BinOp):  # "…" % values: only the text; "a" + "b": both
        return _bare_texts(node.left) + (_bare_texts(node.right) if isinstance(node.op, ast.Add) else [])
    if isinstance(node, ast.IfExp):
        return _bare_texts(node.body) + _bare_texts(node.orelse)
    return []  # gettext calls, names, other calls: not a bare literal


def untranslated_python_texts(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            is_message = (_name(node.func) in MESSAGES and isinstance(node.func, ast.Attribute)
                          and isinstance(node.func.value, ast.Name) and node.func.value.id == "messages")
            if _name(node.func) in SHOWN_BY_CALLS or is_message:
                # add_error(field, message) and register(label, url_name): the field and URL names are not text
                arguments = node.args[1:] if _name(node.func) == "add_error" else node.args[:1] \
                    if _name(node.func) == "register" else node.args
                found += [text for argument in arguments for text in _bare_texts(argument)]
            found += [text for keyword in node.keywords if keyword.arg in SHOWN_KEYWORDS
                      for text in _bare_texts(keyword.value)]
            if _name(node.func) in ("action", "display"):
                found += [text for keyword in node.keywords if keyword.arg == "description"
                          for text in _bare_texts(keyword.value)]
        elif isinstance(node, ast.Assign) and any(
                isinstance(target, ast.Name) and target.id in SHOWN_ATTRIBUTES for target in node.targets):
            found += _bare_texts(node.value)
    return [text for text in found if LETTERS.search(text)]


def test_python_shows_no_bare_literal_text():
    offending = []
    for package in ("tenants", "shared_apps", "tenant_apps", "provisioning"):
        for path in (ROOT / package).rglob("*.py"):
            if any(part in f"/{path.relative_to(ROOT)}" for part in NOT_UI):
                continue
            offending += [f"{path.relative_to(ROOT)}: {text!r}" for text in untranslated_python_texts(path.read_text())]
    assert offending == []


def test_the_python_guard_sees_bare_messages_labels_and_menu_entries():
    source = '''
messages.success(request, "Période enregistrée.")
messages.error(request, _("Date invalide."))
label = forms.CharField(label="Prénom")
register("Prestations", "services_staff:list", order=20)
register(_("Fermetures"), "services_staff:closures")
form.add_error("email", error.message)
raise Http404(f"Enfant {pk} introuvable.")
'''
    assert untranslated_python_texts(source) == ["Période enregistrée.", "Prénom", "Prestations",
                                                 "f'Enfant {pk} introuvable.'"]


# --- the catalogue ---------------------------------------------------------------------------------

ENTRY = re.compile(r'^msgid ((?:"(?:[^"\\]|\\.)*"\n)+)msgstr ((?:"(?:[^"\\]|\\.)*"\n)+)', re.MULTILINE)


def _po_string(block: str) -> str:
    return "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', block)).replace('\\"', '"').replace("\\n", "\n") \
        .replace("\\\\", "\\")


def test_no_other_catalogue_rewords_our_french_texts():
    catalogue = (ROOT / "locale" / "fr" / "LC_MESSAGES" / "django.po").read_text()
    reworded = []
    with translation.override("fr"):
        for msgid_block, msgstr_block in ENTRY.findall(catalogue):
            msgid, msgstr = _po_string(msgid_block), _po_string(msgstr_block)
            if msgid and "%" not in msgid and translation.gettext(msgid) != (msgstr or msgid):
                reworded.append(f"{msgid!r} -> {translation.gettext(msgid)!r}")
    assert reworded == []  # pin the wording in locale/fr (msgstr = msgid), as for "Email" and "active"
