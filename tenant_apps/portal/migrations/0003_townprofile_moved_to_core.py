# The town profile now belongs to the core app (same table); the portal app keeps no model.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("portal", "0002_townprofile_logo_townprofile_logo_content_type"),
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="TownProfile")],
            database_operations=[],
        ),
    ]
