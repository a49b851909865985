"""Formatted text from people (welcome text, messages) keeps its formatting and loses anything active."""

import pytest

from tenant_apps.core.html import format_message, plain_text, sanitize_html


@pytest.mark.parametrize("dangerous", [
    "<script>alert('x')</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<style>body{display:none}</style>",
    '<img src=x onerror="alert(1)">',
    '<iframe src="https://evil.example"></iframe>',
    '<svg onload="alert(1)"></svg>',
])
def test_active_content_is_removed_entirely(dangerous):
    assert sanitize_html(f"<p>Bonjour{dangerous}</p>") == "<p>Bonjour</p>"


def test_event_handlers_and_styles_are_stripped_but_the_text_stays():
    cleaned = sanitize_html('<p onclick="steal()" style="color:red" class="x">Bonjour <strong onmouseover="x()">'
                            "Madame</strong></p>")
    assert cleaned == "<p>Bonjour <strong>Madame</strong></p>"


@pytest.mark.parametrize("href", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)",
                                  "data:text/html;base64,PHNjcmlwdD4=", "vbscript:msgbox", "/gestion/admin/"])
def test_links_only_keep_http_https_and_mailto_targets(href):
    cleaned = sanitize_html(f'<a href="{href}">cliquez</a>')
    assert "href" not in cleaned and "cliquez" in cleaned


@pytest.mark.parametrize("href", ["https://www.3douest.com", "http://example.org/a?b=c", "mailto:enfance@mairie.fr"])
def test_safe_links_survive_with_noopener(href):
    cleaned = sanitize_html(f'<a href="{href}" target="_blank">lien</a>')
    assert f'href="{href.replace("&", "&amp;")}"' in cleaned
    assert 'rel="noopener noreferrer nofollow"' in cleaned and "target" not in cleaned


def test_the_allowed_formatting_is_kept():
    html = "<h2>Titre</h2><h3>Sous-titre</h3><p>a<br>b</p><ul><li><em>un</em></li></ul><ol><li>deux</li></ol>"
    assert sanitize_html(html) == html


def test_a_typed_message_keeps_its_line_breaks_and_toolbar_lists():
    html = format_message("Bonjour Madame,\n<ul>\n<li>Théo</li>\n<li>Anna</li>\n</ul>\nMerci. <b>Bien</b> <script>x</script>")
    assert html == "Bonjour Madame,<ul><li>Théo</li><li>Anna</li></ul>Merci. Bien"
    assert plain_text(html) == "Bonjour Madame,\n\n- Théo\n- Anna\nMerci. Bien"


def test_a_message_of_only_markup_is_empty():
    assert format_message("<script>alert(1)</script>  ") == ""
