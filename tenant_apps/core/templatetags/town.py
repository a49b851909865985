"""`{% load town %}`: filters every town page shares — the town's clock, and the one policy for showing
formatted text people wrote (welcome text, messages)."""

from django import template
from django.utils import dateformat, timezone
from django.utils.safestring import mark_safe

from tenant_apps.core.clock import town_zone
from tenant_apps.core.french import au, de
from tenant_apps.core.html import sanitize_html

register = template.Library()


@register.filter
def town_datetime(value, fmt: str = "j N Y H:i"):
    """An aware datetime in the town's own zone, as the guide shows it: "24 avr. 2019 09:12"."""
    if not value:
        return ""
    return dateformat.format(timezone.localtime(value, town_zone()), fmt)


@register.filter
def clean_html(value):
    """Stored formatted text, sanitised once more on the way out (it already was on save).

    The only way a template shows HTML people wrote: never `|safe` on such a field.
    """
    return mark_safe(sanitize_html(value))  # noqa: S308 - nh3 output


@register.filter(name="de")
def de_filter(value):
    """`{{ town.name|de }}` → "de la Mairie de Lannion"; `{{ child.first_name|de }}` → "d'Anna"."""
    return de(str(value or ""))


@register.filter(name="au")
def au_filter(value):
    """`{{ service.name|au }}` → "à la Restauration scolaire", "au Service enfance"."""
    return au(str(value or ""))
