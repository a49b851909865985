from django import template
from django.urls import NoReverseMatch, reverse

from tenant_apps.core.menu import entries
from tenant_apps.core.permissions import has_household as _has_household

register = template.Library()


@register.inclusion_tag("backoffice/_menu.html", takes_context=True)
def staff_menu(context):
    request = context.get("request")
    current = request.resolver_match.view_name if request and request.resolver_match else ""
    items = []
    for entry in entries():
        try:
            items.append({"label": entry.label, "url": reverse(entry.url_name), "current": entry.url_name == current})
        except NoReverseMatch:
            continue
    return {"items": items}


@register.filter
def has_household(user) -> bool:
    """`{% if user|has_household %}`: the parents' navigation is for accounts with a family."""
    return _has_household(user)
