"""Each hub person gets a short child identifier for statutory returns (CIN LAchildID, Ofsted
Child Unique ID); existing persons are given one here."""

from django.db import migrations, models

import openmash.people.models


def backfill(apps, schema_editor):
    Person = apps.get_model("people", "Person")
    used = set()
    batch = []
    for person in Person.objects.filter(reference__isnull=True).only("pk").iterator():
        reference = openmash.people.models.person_reference_new()
        while reference in used:
            reference = openmash.people.models.person_reference_new()
        used.add(reference)
        person.reference = reference
        batch.append(person)
        if len(batch) >= 1000:
            Person.objects.bulk_update(batch, ["reference"])
            batch = []
    Person.objects.bulk_update(batch, ["reference"])


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="person",
            name="reference",
            field=models.CharField(max_length=11, null=True),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="person",
            name="reference",
            field=models.CharField(
                default=openmash.people.models.person_reference_new, max_length=11, unique=True
            ),
        ),
    ]
