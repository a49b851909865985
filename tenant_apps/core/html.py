"""Formatted text written by people (welcome text, messages): sanitised server-side with nh3.

Only a handful of tags survive, links only to http, https or mailto; scripts, styles,
event handlers and `javascript:` links are removed. Sanitise on save, so what is stored
is what is shown.
"""

import html as html_module
import re

import nh3

ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "h2", "h3"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

_BLOCK = r"(?:p|ul|ol|li|h2|h3)"
_NEWLINE_BEFORE_BLOCK = re.compile(rf"\s*\n\s*(?=</?{_BLOCK}\b)", re.IGNORECASE)
_NEWLINE_AFTER_BLOCK = re.compile(rf"(</?{_BLOCK}\b[^>]*>)\s*\n\s*", re.IGNORECASE)


def sanitize_html(text: str) -> str:
    """The safe subset of `text` (HTML), as stored and rendered."""
    return nh3.clean(
        text or "",
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style"},
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        url_relative="deny",
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    ).strip()


def format_message(text: str) -> str:
    """A message typed in a textarea (plain text with a few tags from the toolbar) as safe HTML.

    Line breaks typed by the parent are kept (as <br>), except around lists and paragraphs.
    """
    text = (text or "").replace("\r\n", "\n").strip()
    text = _NEWLINE_BEFORE_BLOCK.sub("", text)
    text = _NEWLINE_AFTER_BLOCK.sub(r"\1", text)
    text = text.replace("\n", "<br>")
    return sanitize_html(text)


def plain_text(html: str) -> str:
    """The text of sanitised HTML, for e-mails and previews."""
    text = re.sub(r"<br\s*/?>|</(?:p|h2|h3|ul|ol)>|<(?:ul|ol)>", "\n", html or "", flags=re.IGNORECASE)
    text = re.sub(r"<li>", "\n- ", text, flags=re.IGNORECASE)
    text = nh3.clean(text, tags=set())
    text = re.sub(r"\n{3,}", "\n\n", html_module.unescape(text))
    return text.strip()


def format_plain_message(text: str) -> str:
    """A message typed as plain text: every character shown as typed (no tags), line breaks kept.

    Stored as the same safe HTML as older formatted messages (escaped text and <br>), so both
    render through the `clean_html` filter.
    """
    text = (text or "").replace("\r\n", "\n").strip()
    escaped = html_module.escape(text, quote=False)
    return sanitize_html(escaped.replace("\n", "<br>"))
