"""CSV import of households, guardians and children from a previous system: all or nothing."""

import io
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection

from tests.support.database import database_url

from .. import imports
from ..models import Child, Guardian, Household

pytestmark = pytest.mark.django_db

HEADER = "foyer;type;nom;prenom;date_naissance;ville_naissance;sexe;regime;civilite;lien;email;telephone_portable;adresse;code_postal;commune;quotient_familial\n"
GOOD = HEADER + (
    "F001;responsable;ALAIN;Marie;;;;;mme;mere;marie.alain@exemple.fr;0612345678;1 rue des Écoles;22300;Lannion;850\n"
    "F001;responsable;ALAIN;Pierre;;;;;m;pere;pierre.alain@exemple.fr;;;;;\n"
    "F001;enfant;ALAIN;Théo;12/03/2019;Lannion;M;sans_porc;;;;;;;;\n"
    "F001;enfant;ALAIN;Anna;03/06/2021;Lannion;F;;;;;;;;;\n"
    "F002;responsable;BERNARD;Paul;;;;;m;pere;paul.bernard@exemple.fr;+32470123456;3 place du Marché;22700;Perros-Guirec;\n"
    "F002;enfant;BERNARD;Lou;01/09/2020;Brest;F;vegetarien;;;;;;;;\n"
)


def as_file(text: str, encoding="utf-8"):
    return io.BytesIO(text.encode(encoding))


def counts():
    return (Household.objects.count(), Guardian.objects.count(), Child.objects.count(),
            get_user_model().objects.count())


def test_a_good_file_imports_every_household_guardian_child_and_login(town):
    report = imports.families_import_csv(file=as_file(GOOD))
    assert report.ok, report.errors
    assert (report.households, report.guardians, report.children, report.accounts) == (2, 3, 3, 3)
    alain = Household.objects.get(external_ref="F001")
    assert (alain.name, alain.postcode, alain.family_quotient) == ("ALAIN", "22300", 850)
    marie = Guardian.objects.get(email="marie.alain@exemple.fr")
    assert marie.mobile_phone == "06 12 34 56 78" and marie.get_relationship_display() == "Mère"
    # Guardians get a login without password: they use "Nouveau mot de passe"
    assert marie.user.email == "marie.alain@exemple.fr" and not marie.user.has_usable_password()
    assert Child.objects.get(first_name="Théo").get_diet_display() == "Sans porc"
    assert Guardian.objects.get(last_name="BERNARD").mobile_phone == "+32 470 12 34 56"


def test_a_windows_comma_separated_file_is_read_too(town):
    text = GOOD.replace(";", ",")
    assert imports.families_import_csv(file=as_file(text, "cp1252")).ok


def test_one_bad_line_rolls_everything_back_and_errors_are_reported_line_by_line(town):
    bad = GOOD + (
        "F003;responsable;CAMUS;Léa;;;;;;;pas-un-email;0612;;2230;;\n"
        "F003;enfant;CAMUS;Noé;31/02/2020;;X;;;;;;;;;\n"
        "F001;responsable;ALAIN;Jean;;;;;;;marie.alain@exemple.fr;;;;;\n"
        "F004;enfant;DURAND;Zoé;01/01/2030;;;;;;;;;;;\n"
    )
    before = counts()
    report = imports.families_import_csv(file=as_file(bad))
    assert not report.ok
    assert counts() == before  # nothing imported
    errors = "\n".join(report.errors)
    assert "Ligne 8 : adresse e-mail invalide « pas-un-email »." in errors
    assert "Ligne 8 : numéro de téléphone invalide dans « telephone_portable »." in errors
    assert "Ligne 8 : le code postal doit comporter 5 chiffres." in errors
    assert "Ligne 9 : « date_naissance » n'est pas une date valide (jj/mm/aaaa)." in errors
    assert "Ligne 9 : le sexe doit être F ou M." in errors
    assert "Ligne 10 : l'adresse e-mail marie.alain@exemple.fr figure déjà à la ligne 2." in errors
    assert "Ligne 11 : la date de naissance ne peut pas être dans le futur." in errors
    assert "le foyer « F004 » n'a aucun responsable." in errors
    assert report.summary().startswith("Import refusé")


def test_an_email_already_used_in_the_town_is_refused(town):
    get_user_model().objects.create_user("paul.bernard@exemple.fr")
    report = imports.families_import_csv(file=as_file(GOOD))
    assert report.errors == ["Ligne 6 : l'adresse e-mail paul.bernard@exemple.fr est déjà utilisée dans la commune."]
    assert not Household.objects.exists()


def test_missing_columns_are_reported(town):
    report = imports.families_import_csv(file=as_file("nom;prenom\nALAIN;Marie\n"))
    assert report.errors == ["Colonnes obligatoires absentes : foyer, type."]


def test_the_command_imports_a_good_file(town, tmp_path):
    path = tmp_path / "familles.csv"
    path.write_text(GOOD, encoding="utf-8")
    out = io.StringIO()
    call_command("import_families", "ville-a", str(path), stdout=out)
    assert "Importés : 2 foyers, 3 responsables et 3 enfants." in out.getvalue()
    connection.set_tenant(town)
    assert Household.objects.count() == 2


def run_command(*args):
    """Run manage.py in a real process against the test database (committed towns only)."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test",
           "DATABASE_URL": database_url()}
    return subprocess.run([sys.executable, "manage.py", "import_families", *args], cwd=settings.BASE_DIR, env=env,
                          capture_output=True, text=True, timeout=120, check=False)


def test_the_command_exits_non_zero_with_the_line_errors(town_a, tmp_path):
    path = tmp_path / "familles.csv"
    path.write_text(GOOD + "F009;enfant;X;Y;;;;;;;;;;;;\n", encoding="utf-8")
    result = run_command("ville-a", str(path))
    assert result.returncode == 1
    assert "Ligne 8 : la date de naissance d'un enfant est obligatoire." in result.stderr
    assert "rien n'a été importé" in result.stderr
    assert run_command("nulle-part", str(path)).returncode == 1


def test_staff_import_through_their_upload_page(staff_client):
    page = staff_client.get("/ville-a/gestion/familles/import/")
    assert "telephone_portable" in page.content.decode()  # the columns are documented
    bad = staff_client.post("/ville-a/gestion/familles/import/",
                            {"file": SimpleUploadedFile("f.csv", (GOOD + "F009;parent;X;Y\n").encode())})
    assert bad.status_code == 400
    assert "Ligne 8 : le type doit être « responsable » ou « enfant »." in bad.content.decode()
    assert not Household.objects.exists()
    good = staff_client.post("/ville-a/gestion/familles/import/", {"file": SimpleUploadedFile("f.csv", GOOD.encode())})
    # The result page sums it up and offers to invite the imported guardians
    assert good.status_code == 200
    assert "Importés : 2 foyers" in good.content.decode()
    assert "Inviter les responsables importés" in good.content.decode()
    assert Household.objects.count() == 2
