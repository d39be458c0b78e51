"""Result imports record which worker took them and when, so a dead worker's import is recovered."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("evidence", "0003_result_school_index_from_unique_key"),
    ]

    operations = [
        migrations.AddField(
            model_name="resultimport",
            name="claimed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="started"),
        ),
        migrations.AddField(
            model_name="resultimport",
            name="claimed_by",
            field=models.CharField(blank=True, help_text="host:process id", max_length=200, verbose_name="worker"),
        ),
        migrations.AddField(
            model_name="resultimport",
            name="attempts",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="attempts"),
        ),
    ]
