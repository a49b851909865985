"""The setup checklist of a town "en préparation": what is done, what is missing, where to do it."""

from dataclasses import dataclass

from django.apps import apps
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from shared_apps.payments.selectors import online_payment_enabled
from tenant_apps.accounts.models import AccessLink
from tenant_apps.billing.models import Tariff
from tenant_apps.catalog.models import Enrolment, Service
from tenant_apps.core.models import TownProfile
from tenant_apps.families.models import Household
from tenant_apps.messaging.models import TownService

ACCOUNTING_APP = "tenant_apps.accounting"


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    label: str
    done: bool
    url: str
    hint: str = ""


def _url(name: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


def _accounting_item() -> ChecklistItem | None:
    """The accounting settings, when the town has the accounting app (known through the registry only:
    it sits above the back office's reach). Done once one of its settings models has a row."""
    if not apps.is_installed(ACCOUNTING_APP):
        return None
    config = next(c for c in apps.get_app_configs() if c.name == ACCOUNTING_APP)
    settings_models = [m for m in config.get_models() if "setting" in m.__name__.lower()
                       or "config" in m.__name__.lower()]
    done = any(m._default_manager.exists() for m in settings_models)
    return ChecklistItem("accounting", str(_("Paramètres comptables")), done,
                         _url(f"{config.label}_staff:settings") or _url(f"{config.label}:settings"))


def _welcome_done() -> bool:
    profile = TownProfile.objects.first()
    return bool(profile and profile.welcome_body.strip() and (profile.phone or profile.email))


def setup_checklist() -> list[ChecklistItem]:
    """Every step of setting a town up, in the order staff usually take them."""
    services = Service.objects.filter(is_active=True)
    items = [
        ChecklistItem("services", str(_("Prestations et dates butoirs")), services.exists(),
                      reverse("services_staff:list")),
        ChecklistItem("tariffs", str(_("Tarifs")), Tariff.objects.exists(), reverse("billing_staff:tariffs")),
        ChecklistItem("messaging", str(_("Services joignables par la messagerie")),
                      TownService.objects.filter(is_active=True).exists(), reverse("messaging_staff:services")),
        ChecklistItem("welcome", str(_("Texte d'accueil et coordonnées de la mairie")), _welcome_done(),
                      reverse("portal_staff:profile")),
        ChecklistItem("payment", str(_("Paiement en ligne")), online_payment_enabled(), reverse("billing_staff:rules"),
                      hint=str(_("Le prestataire de paiement est configuré par l'opérateur de la plateforme."))),
    ]
    accounting = _accounting_item()
    if accounting is not None:
        items.append(accounting)
    items += [
        ChecklistItem("families", str(_("Familles importées")), Household.objects.exists(),
                      reverse("families_staff:import")),
        ChecklistItem("enrolments", str(_("Inscriptions aux prestations")), Enrolment.objects.exists(),
                      reverse("services_staff:enrolments")),
        ChecklistItem("invitations", str(_("Invitations envoyées aux familles")),
                      AccessLink.objects.filter(purpose=AccessLink.Purpose.INVITATION, user__is_staff=False).exists(),
                      reverse("backoffice:invitations")),
    ]
    return items
