"""Demo data of the home, documents and messaging sections: the guide's "Mairie de Démonstration"."""

import io

from django.db import connection
from pypdf import PdfReader

from tenant_apps.core.models import TownProfile
from tenant_apps.core.templatetags.town import town_datetime
from tenant_apps.documents import demo as documents_demo
from tenant_apps.documents.models import Document
from tenant_apps.messaging import demo as messaging_demo
from tenant_apps.messaging.models import Conversation, GroupMessage, TownService
from tenant_apps.portal import demo as portal_demo


def load_all():
    for module in (portal_demo, documents_demo, messaging_demo):
        module.load(connection.tenant)


def test_the_demo_town_has_the_guides_contact_details_menu_and_conversations(town, family):
    load_all()

    profile = TownProfile.current()
    assert (profile.display_name, profile.address_line, profile.postcode, profile.city) == (
        "Mairie de Démonstration", "1 place de la mairie", "22300", "Lannion")
    assert (profile.phone, profile.fax, profile.website) == ("02 02 02 02 02", "01 01 01 01 01",
                                                             "https://www.3douest.com")
    assert "<li>Gérer les informations de votre compte et vos factures</li>" in profile.welcome_body

    menu = Document.objects.get()
    assert menu.title == "Menus de décembre" and menu.content_type == "application/pdf"
    with menu.file.open("rb") as handle:
        assert "Menus de décembre" in PdfReader(io.BytesIO(handle.read())).pages[0].extract_text()

    assert list(TownService.objects.values_list("name", flat=True)) == [
        "Service enfance", "Restauration scolaire", "Accueil de loisirs"]
    attestation = Conversation.objects.get(subject="Attestation")
    first, second = attestation.messages.all()
    assert "pouvez vous me transmettre une attestation fiscale?" in first.body
    assert town_datetime(first.created_at) == "24 avr. 2019 09:12"
    assert (second.subject, second.body) == ("Re", "Pour les trois enfants bien sûr")
    assert town_datetime(Conversation.objects.get(subject="Test").created_at) == "23 avr. 2019 10:37"
    strike = GroupMessage.objects.get()
    assert (strike.subject, strike.recipient_count, strike.sent_count) == ("Grève jeudi : pas de cantine", 1, 1)
    assert Conversation.objects.get(group=strike).household == family.household


def test_without_the_alain_family_the_messaging_demo_only_creates_the_services(town):
    load_all()
    assert TownService.objects.count() == 3
    assert not Conversation.objects.exists()
