"""`{% grid_cell cell row %}` and `{% grid_row_head row %}`: the parents' week grid, written in Python.

A week of three children in seven services is a hundred cells; as an included template each cell cost
some forty variable lookups, two URL reversals and three localised dates, most of the page's time. Here
the URL, the CSRF field and each day's labels are worked out once per page (kept on the request) and the
cell's markup is put together directly, escaped as the template escaped it. The grid page and the
htmx answer to a click both render cells through this tag, so they cannot drift apart.
"""

import datetime as dt

from django import template
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

register = template.Library()

LOCK_ICON = ('<svg class="lock" viewBox="0 0 16 16" width="16" height="16" focusable="false"><path d="M4 7V5a4 4 0 1 1 '
             '8 0v2h1v8H3V7h1zm2 0h4V5a2 2 0 1 0-4 0v2z" fill="currentColor"/></svg>')


def _page(context) -> dict:
    """What every cell of the page shares, worked out at the first cell (kept on the request: each
    included row template has a render context of its own)."""
    request = context.get("request")
    holder = request if request is not None else context.render_context
    shared = getattr(holder, "_grid_cells", None) if request is not None else holder.get("grid_cells")
    if shared is None:
        token = context.get("csrf_token")
        if not token:
            csrf = ""
        elif token == "NOTPROVIDED":
            csrf = format_html("")
        else:
            csrf = format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)
        shared = {"toggle": conditional_escape(reverse("bookings:toggle")),
                  "book_week": conditional_escape(reverse("bookings:book_week")), "csrf": csrf, "days": {}}
        if request is not None:
            request._grid_cells = shared
        else:
            holder["grid_cells"] = shared
    return shared


def _day(shared: dict, day: dt.date) -> tuple[str, str, str]:
    labels = shared["days"].get(day)
    if labels is None:
        labels = shared["days"][day] = (day.strftime("%Y%m%d"), day.isoformat(),
                                        conditional_escape(date_format(day, "l j F")))
    return labels


@register.simple_tag(takes_context=True)
def grid_cell(context, cell, row) -> SafeString:
    shared = _page(context)
    compact, iso, spoken = _day(shared, cell.day)
    child, service = row.child.pk, row.service.pk
    booked = cell.state == "booked"
    label = conditional_escape(cell.label)
    locked = "" if cell.can_toggle else " cell-locked"
    head = (f'<td id="cell-{child}-{service}-{compact}" class="cell cell-{conditional_escape(cell.state)}{locked}" '
            f'title="{label}" data-state="{conditional_escape(cell.state)}">\n')
    if cell.can_toggle:
        names = {"service_name": conditional_escape(row.service.name), "day": spoken,
                 "child_first_name": conditional_escape(row.child.first_name)}
        if booked:
            spoken_label = _("Réservé, annuler : %(service_name)s, %(day)s, %(child_first_name)s") % names
        else:
            spoken_label = _("Réserver : %(service_name)s, %(day)s, %(child_first_name)s") % names
        body = (
            f'  <form method="post" action="{shared["toggle"]}" hx-post="{shared["toggle"]}" hx-target="closest td" '
            f'hx-swap="outerHTML">\n'
            f'    {shared["csrf"]}\n'
            f'    <input type="hidden" name="child" value="{child}">\n'
            f'    <input type="hidden" name="service" value="{service}">\n'
            f'    <input type="hidden" name="date" value="{iso}">\n'
            f'    <input type="hidden" name="action" value="{"unset" if booked else "set"}">\n'
            f'    <button type="submit" class="cell-button" id="toggle-{child}-{service}-{compact}" title="{label}"\n'
            f'            aria-label="{spoken_label}"\n'
            f'            aria-pressed="{"true" if booked else "false"}">\n'
            f'      <span aria-hidden="true">{"✓" if booked else "+"}</span>\n'
            f'    </button>\n'
            f'  </form>\n'
        )
    else:
        if booked:
            icon = "✓"
        elif cell.state == "full":
            icon = conditional_escape(_("Complet"))
        else:
            icon = LOCK_ICON
        body = (f'  <span aria-hidden="true" class="cell-icon">{icon}</span>\n'
                f'  <span class="visually-hidden">{label}</span>\n')
    return mark_safe(head + body + "</td>")  # noqa: S308 - every value above is escaped


@register.simple_tag(takes_context=True)
def grid_row_head(context, row) -> SafeString:
    """The row's heading: the service, its deadline and the "book the whole week" button."""
    shared = _page(context)
    child, service = row.child.pk, row.service.pk
    deadline = _("Fin de réservation: %(row_deadline_text)s") % {
        "row_deadline_text": conditional_escape(row.deadline_text)}
    spoken = _("Réserver pour la semaine : %(service_name)s, %(child_first_name)s") % {
        "service_name": conditional_escape(row.service.name), "child_first_name": conditional_escape(row.child.first_name)}
    disabled = "" if row.has_available else (
        f' disabled title="{conditional_escape(_("Aucun jour à réserver cette semaine"))}"')
    return mark_safe(  # noqa: S308 - every value below is escaped
        f'<th scope="row" class="service-cell">\n'
        f'    <span class="service-name">{conditional_escape(row.service.name)}</span>\n'
        f'    <span class="deadline">{deadline}</span>\n'
        f'    <form method="post" action="{shared["book_week"]}" hx-post="{shared["book_week"]}" hx-target="closest tr" '
        f'hx-swap="outerHTML" class="week-form">\n'
        f'      {shared["csrf"]}\n'
        f'      <input type="hidden" name="child" value="{child}">\n'
        f'      <input type="hidden" name="service" value="{service}">\n'
        f'      <input type="hidden" name="semaine" value="{conditional_escape(context.get("semaine", ""))}">\n'
        f'      <button type="submit" class="button-small" id="week-{child}-{service}" aria-label="{spoken}"{disabled}>'
        f'{conditional_escape(_("Réserver pour la semaine"))}</button>\n'
        f'    </form>\n'
        f'  </th>'
    )
