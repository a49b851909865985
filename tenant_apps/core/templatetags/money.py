"""`{% load money %}`: `{{ invoice.total|money }}` → "79,20 €", the one money format of every
page, PDF and e-mail (see tenant_apps.core.money)."""

from django import template

from tenant_apps.core.money import format_money

register = template.Library()


@register.filter
def money(value) -> str:
    return format_money(value)
