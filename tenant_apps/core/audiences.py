"""Groups of households other apps can contribute to the staff's group messages.

An app of the same layer as messaging (billing: "households with an unpaid invoice") cannot be
imported by messaging; it registers a selector here from its AppConfig.ready() instead:

    from tenant_apps.core.audiences import register_group
    register_group("unpaid", _("Foyers avec une facture impayée"), households_with_unpaid_invoice)

A selector returns the ids of the town's households in the group (a queryset of ids or any
iterable of ints); it is called in the town being served, as any selector.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class Audience:
    code: str
    label: str | Promise  # gettext_lazy
    household_ids: Callable[[], Iterable[int]]


_audiences: dict[str, Audience] = {}


def register_group(code: str, label: str | Promise, household_ids: Callable[[], Iterable[int]]) -> None:
    _audiences[code] = Audience(code, label, household_ids)


def registered() -> list[Audience]:
    return sorted(_audiences.values(), key=lambda a: a.code)


def get(code: str) -> Audience | None:
    return _audiences.get(code)
