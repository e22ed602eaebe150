"""Applications link to the registered business they name (core.parties).

Existing files are linked when their NIB is a registered business's and their applicant represents, or
once represented, that business: a file whose applicant never acted for the business is left unlinked,
so that it does not appear to that business's representatives.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def link_registered_businesses(apps, schema_editor):
    Application = apps.get_model("permits", "Application")
    LegalEntity = apps.get_model("parties", "LegalEntity")
    Representative = apps.get_model("parties", "Representative")
    nibs = (
        Application.objects.filter(legal_entity__isnull=True).exclude(business_nib="").values("business_nib")
    )
    entities = LegalEntity.objects.filter(kind="business", nib__in=nibs).values_list("pk", "nib")
    for entity_id, nib in entities.iterator():
        people = Representative.objects.filter(entity_id=entity_id).values("user_id")
        Application.objects.filter(
            legal_entity__isnull=True, business_nib=nib, applicant_id__in=people
        ).update(legal_entity_id=entity_id)


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0001_initial"),
        ("parties", "0001_initial"),
        ("payments", "0001_initial"),
        ("permits", "0005_sla_starts"),
        ("tenants", "0001_initial"),
        ("workflow", "0002_clock_starts_on"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="application",
            name="legal_entity",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="parties.legalentity",
                verbose_name="badan usaha terdaftar",
            ),
        ),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(fields=["tenant", "legal_entity", "created_at"], name="permits_app_entity"),
        ),
        migrations.RunPython(link_registered_businesses, migrations.RunPython.noop),
    ]
