"""Rules for town slugs and INSEE codes."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .territories import department_of, is_overseas, overseas_territory

# First path segments that belong to the platform, never to a town.
RESERVED_SLUGS = frozenset(
    {
        "static", "media", "ops", "api", "admin", "healthz", "favicon.ico", "robots.txt",
        "sitemap.xml", "well-known", ".well-known", "www", "public", "assets", "login",
        "logout", "accounts", "auth", "status", "metrics", "health", "docs", "schema",
        "town-template", "template",
    }
)
SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
# INSEE commune code: 5 characters, digits, or 2A/2B for Corsica, 97x/98x overseas.
INSEE_RE = re.compile(r"^(?:\d{5}|2[AB]\d{3})$")


def validate_town_slug(value: str) -> None:
    if value in RESERVED_SLUGS:
        raise ValidationError(_("« %(slug)s » est un mot réservé."), code="reserved", params={"slug": value})
    if not (2 <= len(value) <= 63) or not SLUG_RE.match(value) or "--" in value:
        raise ValidationError(
            _("L'identifiant doit faire de 2 à 63 caractères : lettres minuscules sans accent, chiffres et tirets."),
            code="invalid",
        )


def validate_insee_code(value: str) -> None:
    if value and not INSEE_RE.match(value):
        raise ValidationError(_("Code INSEE invalide (5 caractères, ex. 22113 ou 2A004)."), code="invalid")
    if is_overseas(value) and overseas_territory(value) is None:
        raise ValidationError(
            _("Le code INSEE %(code)s désigne un territoire d'outre-mer (%(department)s) dont le portail ne connaît"
              " pas les jours fériés."),
            code="unsupported_territory", params={"code": value, "department": department_of(value)},
        )
