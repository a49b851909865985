# The town profile moved from the portal app to the core app; its table stays where it is.

from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("portal", "0002_townprofile_logo_townprofile_logo_content_type"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="TownProfile",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("display_name", models.CharField(max_length=200, verbose_name="nom affiché")),
                        ("address_line", models.CharField(blank=True, max_length=200, verbose_name="adresse")),
                        ("postcode", models.CharField(blank=True, max_length=5, verbose_name="code postal")),
                        ("city", models.CharField(blank=True, max_length=100, verbose_name="commune")),
                        ("phone", models.CharField(blank=True, max_length=30, verbose_name="téléphone")),
                        ("fax", models.CharField(blank=True, max_length=30, verbose_name="fax")),
                        ("email", models.EmailField(blank=True, max_length=254, verbose_name="e-mail")),
                        ("website", models.URLField(blank=True, verbose_name="site web")),
                        ("welcome_title", models.CharField(default="Bienvenue sur votre portail famille", max_length=200, verbose_name="titre d'accueil")),
                        ("welcome_body", models.TextField(blank=True, verbose_name="texte d'accueil (HTML simple)")),
                        ("logo", models.FileField(blank=True, max_length=200, upload_to="portal", verbose_name="logo")),
                        ("logo_content_type", models.CharField(blank=True, max_length=50)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                    ],
                    options={
                        "db_table": "portal_townprofile",
                        "verbose_name": "profil de la ville",
                        "verbose_name_plural": "profil de la ville",
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
