"""HTML → PDF bytes with WeasyPrint, in whichever process renders: the run's worker processes
(services.pdfs) or the web/job process itself (a PDF made on download).

No Django here: a rendering process gets HTML and the stylesheet's text, gives bytes. The fonts
(WeasyPrint's FontConfiguration) and the parsed stylesheet are built once per process and kept for
every later PDF, instead of once per PDF; the HTML refers to no URL (the logo is inlined), so
nothing is fetched while rendering.
"""

from __future__ import annotations

import signal
from typing import Any

_state: dict[str, Any] = {}


def _prepared(css_text: str) -> dict[str, Any]:
    if _state.get("css_text") != css_text:
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        fonts = FontConfiguration()
        _state.update(css_text=css_text, fonts=fonts, css=CSS(string=css_text, font_config=fonts))
    return _state


def worker_start(css_text: str) -> None:
    """A pool process's initializer: leave stopping to the parent, and get fonts and stylesheet ready."""
    for number in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, signal.SIG_DFL)  # not the job worker's handlers, inherited by the fork
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _prepared(css_text)


def document(html: str, css_text: str) -> Any:
    """The laid-out WeasyPrint document (pages and boxes), as the PDF will print it."""
    from weasyprint import HTML

    state = _prepared(css_text)
    return HTML(string=html, base_url=None).render(stylesheets=[state["css"]], font_config=state["fonts"])


def render(html: str, css_text: str) -> bytes:
    from weasyprint import HTML

    state = _prepared(css_text)
    return HTML(string=html, base_url=None).write_pdf(stylesheets=[state["css"]], font_config=state["fonts"])


def render_task(key: int, html: str, css_text: str) -> tuple[int, bytes]:
    """What a pool process runs: (the caller's key, the PDF)."""
    return key, render(html, css_text)
