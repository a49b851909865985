"""Demo data of the portal app: the "Mairie de Démonstration" of the user guide."""

from tenant_apps.core.services import town_profile_ensure, town_profile_update

WELCOME_BODY = """<p>Pour faciliter votre quotidien, la Mairie de Démonstration modernise ses services avec le portail famille.</p>
<p>Grâce à ce service en ligne personnalisé disponible 24h/24 et 7j/7 vous pouvez :</p>
<ul>
<li>Inscrire vos enfants, réserver ou annuler des présences aux services de restauration</li>
<li>Gérer les informations de votre compte et vos factures</li>
</ul>"""


def load(town) -> None:
    profile = town_profile_ensure(display_name=town.name)
    town_profile_update(
        profile=profile,
        display_name="Mairie de Démonstration",
        address_line="1 place de la mairie",
        postcode="22300",
        city="Lannion",
        phone="02 02 02 02 02",
        fax="01 01 01 01 01",
        website="https://www.3douest.com",
        welcome_title="Bienvenue sur votre portail famille",
        welcome_body=WELCOME_BODY,
    )
