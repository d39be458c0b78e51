"""Roles read from a roster keep their source identifier and their dates (OneRoster beginDate/endDate)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("directory", "0003_api_token_expiry"),
    ]

    operations = [
        migrations.AddField(
            model_name="membership",
            name="source_id",
            field=models.CharField(
                blank=True,
                help_text="For example the OneRoster sourcedId of the role; blank for roles granted in Capacity.",
                max_length=200,
                verbose_name="identifier in the source system",
            ),
        ),
        migrations.AddField(
            model_name="membership",
            name="begins",
            field=models.DateField(blank=True, null=True, verbose_name="begins"),
        ),
        migrations.AddField(
            model_name="membership",
            name="ends",
            field=models.DateField(blank=True, null=True, verbose_name="ends"),
        ),
        migrations.AddConstraint(
            model_name="membership",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("begins__isnull", True), ("ends__isnull", True), ("ends__gte", models.F("begins")),
                    _connector="OR",
                ),
                name="membership_ends_after_it_begins",
            ),
        ),
    ]
