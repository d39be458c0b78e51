"""API tokens expire. Tokens made before this get 90 days from their creation.

The column is added nullable, filled, then made required, in one migration
because the three steps only make sense together (a required column cannot be
added to a table that has rows without a value for them).
"""

import datetime

from django.db import migrations, models


def _expire_existing_tokens(apps, schema_editor):  # type: ignore[no-untyped-def]
    ApiToken = apps.get_model("directory", "ApiToken")
    ApiToken.objects.filter(expires__isnull=True).update(expires=models.F("created") + datetime.timedelta(days=90))


class Migration(migrations.Migration):

    dependencies = [
        ("directory", "0002_api_tokens"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="expires",
            field=models.DateTimeField(null=True, db_index=True, verbose_name="expires"),
        ),
        migrations.RunPython(_expire_existing_tokens, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken",
            name="expires",
            field=models.DateTimeField(db_index=True, verbose_name="expires"),
        ),
        migrations.AlterModelOptions(
            name="apitoken",
            options={"ordering": ["user__username", "-created", "-id"], "verbose_name": "API token",
                     "verbose_name_plural": "API tokens"},
        ),
    ]
