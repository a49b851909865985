"""The town's welcome text has a size limit, enforced by the service and explained on the page."""

from tenant_apps.core.models import TownProfile
from tenant_apps.core.text import WELCOME_TEXT_MAX_CHARS


def test_a_welcome_text_over_the_limit_is_explained_and_not_saved(client, staff):
    client.force_login(staff)
    before = TownProfile.current().welcome_body if TownProfile.current() else ""
    response = client.post("/ville-a/gestion/portail/", {
        "display_name": "Mairie de Ville-A", "welcome_title": "Bienvenue",
        "welcome_body": "<p>" + "x" * WELCOME_TEXT_MAX_CHARS + "</p>",
    })
    assert response.status_code == 200
    assert "Ce texte dépasse 20\u202f000 caractères." in response.content.decode()
    assert TownProfile.current().welcome_body == before
