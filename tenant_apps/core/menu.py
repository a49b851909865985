"""The staff navigation: each app registers its screens from its AppConfig.ready().

    from tenant_apps.core.menu import register
    register(_("Pointage"), "bookings_staff:attendance", order=30)  # _ = gettext_lazy
"""

from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class MenuEntry:
    label: str | Promise  # gettext_lazy: read in the language of each request
    url_name: str
    order: int


_entries: dict[str, MenuEntry] = {}


def register(label: str | Promise, url_name: str, *, order: int = 50) -> None:
    _entries[url_name] = MenuEntry(label, url_name, order)


def entries() -> list[MenuEntry]:
    return sorted(_entries.values(), key=lambda e: (e.order, e.label))
