"""Plan titles no longer carry "Focused intervention:": the flag alone says it (issue 7, section 5).

The demo used to write the designation into titles; a year closed with the flag
cleared then kept a title that claimed it. Pages show the designation from the
flag, so the prefix is taken off stored titles (data only; no schema change).
"""

from django.db import migrations

PREFIX = "Focused intervention: "


def strip_prefix(apps, schema_editor):
    Plan = apps.get_model("planning", "Plan")
    for plan in Plan.objects.filter(title__startswith=PREFIX).only("pk", "title"):
        rest = plan.title[len(PREFIX):]
        plan.title = rest[:1].upper() + rest[1:]
        plan.save(update_fields=["title"])


class Migration(migrations.Migration):
    dependencies = [("planning", "0001_plans")]

    operations = [migrations.RunPython(strip_prefix, migrations.RunPython.noop)]
