"""Urgent notices on the parents' home page until their last day (town time), and the parents'
composer: plain text shown as typed, line breaks kept, no formatting buttons inserting tags."""

import datetime as dt
from pathlib import Path

import time_machine

from tenant_apps.messaging.models import Message, Notice, TownService

NOTICES = "/ville-a/gestion/messagerie/avis/"
MESSAGING = Path(__file__).resolve().parent.parent
# Thursday 2 April 2026, 10:00 in the town (UTC+2)
THURSDAY = dt.datetime(2026, 4, 2, 8, 0, tzinfo=dt.UTC)


def test_an_urgent_notice_shows_on_the_home_page_until_its_last_day_and_not_after(
        staff_client, parent_client, family):
    with time_machine.travel(THURSDAY, tick=False):
        # When staff publish a notice until Friday
        response = staff_client.post(NOTICES, {"title": "Grève vendredi, pas de cantine",
                                               "body": "Prévoyez un pique-nique.\nMerci.", "ends_on": "2026-04-03"},
                                     follow=True)
        assert "Avis publié sur la page d&#x27;accueil des familles." in response.content.decode()
        # Then parents see it on their home page, and in the API
        page = parent_client.get("/ville-a/").content.decode()
        assert "Grève vendredi, pas de cantine" in page and "Prévoyez un pique-nique.<br>Merci." in page
        assert [n["title"] for n in parent_client.get("/ville-a/api/v1/notices/").json()] == [
            "Grève vendredi, pas de cantine"]

    # Friday 23:59 in the town (21:59 UTC): still shown (signed in again: a day-old session is over)
    with time_machine.travel(dt.datetime(2026, 4, 3, 21, 59, tzinfo=dt.UTC), tick=False):
        parent_client.force_login(family.user)
        assert "Grève vendredi" in parent_client.get("/ville-a/").content.decode()
    # Saturday 00:01 in the town (Friday 22:01 UTC): gone
    with time_machine.travel(dt.datetime(2026, 4, 3, 22, 1, tzinfo=dt.UTC), tick=False):
        parent_client.force_login(family.user)
        assert "Grève vendredi" not in parent_client.get("/ville-a/").content.decode()
        assert parent_client.get("/ville-a/api/v1/notices/").json() == []


def test_staff_take_a_notice_down_and_cannot_publish_one_already_over(staff_client, parent_client, family):
    with time_machine.travel(THURSDAY, tick=False):
        page = staff_client.post(NOTICES, {"title": "Hier", "ends_on": "2026-04-01"}).content.decode()
        assert "La date de fin d&#x27;affichage est déjà passée." in page
        staff_client.post(NOTICES, {"title": "Piscine fermée", "ends_on": "2026-04-30"})
        notice = Notice.objects.get()
        staff_client.post(f"{NOTICES}{notice.pk}/retirer/")
        assert "Piscine fermée" not in parent_client.get("/ville-a/").content.decode()


def test_the_composer_has_no_button_inserting_html_tags(parent_client, family):
    service = TownService.objects.create(name="Service enfance")
    page = parent_client.get(f"/ville-a/messagerie/ecrire/{service.pk}/").content.decode()
    assert "toolbar.js" not in page and "data-format-toolbar" not in page
    assert "retours à la ligne compris" in page
    for template in (MESSAGING / "templates").rglob("*.html"):
        assert "toolbar.js" not in template.read_text(), template
    for script in (MESSAGING / "static").rglob("*.js"):
        if "toolbar" not in script.name:  # kept for the staff's welcome-text editor only
            assert "<strong>" not in script.read_text()


def test_a_message_with_line_breaks_shows_them_and_older_formatted_messages_still_render(parent_client, family):
    service = TownService.objects.create(name="Service enfance")
    parent_client.post(f"/ville-a/messagerie/ecrire/{service.pk}/", {
        "subject": "Absence", "body": "Bonjour,\nThéo sera absent.\n\nMerci"})
    message = Message.objects.get()
    page = parent_client.get(f"/ville-a/messagerie/conversations/{message.conversation_id}/").content.decode()
    assert "Bonjour,<br>Théo sera absent.<br><br>Merci" in page

    # A message stored formatted, before plain text, is still shown through the sanitising filter
    Message.objects.filter(pk=message.pk).update(body="<p>Merci <strong>beaucoup</strong></p><script>x()</script>")
    page = parent_client.get(f"/ville-a/messagerie/conversations/{message.conversation_id}/").content.decode()
    assert "<p>Merci <strong>beaucoup</strong></p>" in page and "x()" not in page
