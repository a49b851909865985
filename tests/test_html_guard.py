"""Guard: formatted text people wrote reaches a page only through `clean_html` (one rendering
policy, `tenant_apps.core.html`); a template never marks a value safe with `|safe` or autoescape off."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The only trusted HTML: the payment provider's redirect form, built by eopayment from our own values.
ALLOWED = {("tenant_apps/billing/templates/billing/payment_redirect.html", "payment.html|safe")}
UNSAFE = re.compile(r"\{\{\s*([^}]*?\|\s*safe)\s*\}\}|\{%\s*autoescape\s+off\s*%\}")


def unsafe_spots(text: str) -> list[str]:
    return [match.group(1) or match.group(0) for match in UNSAFE.finditer(text)]


def test_templates_render_peoples_html_only_through_clean_html():
    offending = []
    for template in sorted((ROOT / "tenant_apps").glob("*/templates/**/*.html")) + sorted(
            (ROOT / "templates").glob("**/*.html")):
        relative = str(template.relative_to(ROOT))
        for spot in unsafe_spots(template.read_text()):
            if (relative, spot.replace(" ", "")) not in ALLOWED:
                offending.append(f"{relative}: {spot}")
    assert offending == []


def test_the_guard_sees_a_safe_filter_and_autoescape_off():
    assert unsafe_spots("<div>{{ message.body|safe }}</div>") == ["message.body|safe"]
    assert unsafe_spots("{% autoescape off %}{{ x }}{% endautoescape %}") == ["{% autoescape off %}"]
    assert unsafe_spots("{{ message.body|clean_html }}") == []
