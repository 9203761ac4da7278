"""Each agency check carries its contact's receipt time, so a period's checks are an indexed
range (see AgencyCheckFact.contact_received_at); existing facts are filled from the contacts."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill(apps, schema_editor):
    AgencyCheckFact = apps.get_model("reporting", "AgencyCheckFact")
    Contact = apps.get_model("contacts", "Contact")
    AgencyCheckFact.objects.update(
        contact_received_at=Subquery(
            Contact.objects.filter(pk=OuterRef("contact_id")).values("received_at")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0003_contactperson_disabilities"),
        ("reporting", "0004_facts_follow_the_audit_trail"),
    ]

    operations = [
        migrations.AddField(
            model_name="agencycheckfact",
            name="contact_received_at",
            field=models.DateTimeField(null=True),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="agencycheckfact",
            name="contact_received_at",
            field=models.DateTimeField(),
        ),
        migrations.AddIndex(
            model_name="agencycheckfact",
            index=models.Index(
                fields=["hub", "contact_received_at"], name="check_hub_contact_received"
            ),
        ),
    ]
