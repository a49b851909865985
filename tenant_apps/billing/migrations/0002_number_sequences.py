from django.db import migrations


def create_sequences(apps, schema_editor):
    NumberSequence = apps.get_model("billing", "NumberSequence")
    for kind in ("invoice", "credit_note"):
        NumberSequence.objects.get_or_create(kind=kind)


class Migration(migrations.Migration):
    """Counters exist from the start: allocating a number is always a locked update of one row."""

    dependencies = [("billing", "0001_initial")]

    operations = [migrations.RunPython(create_sequences, migrations.RunPython.noop)]
