"""An import that stops with an error is audited as failed (not as rejected)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0004_plans"),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditentry",
            name="action",
            field=models.CharField(
                choices=[
                    ("sign_in", "Signed in"),
                    ("sign_in_failed", "Failed sign-in"),
                    ("sign_out", "Signed out"),
                    ("locked_out", "Locked out after repeated failures"),
                    ("user_created", "Person created"),
                    ("membership_granted", "Role granted"),
                    ("membership_revoked", "Role removed"),
                    ("import_applied", "Import applied"),
                    ("import_rejected", "Import rejected"),
                    ("import_failed", "Import failed"),
                    ("demo_loaded", "Demo province loaded"),
                    ("token_created", "API token created"),
                    ("plan_created", "Improvement plan started"),
                    ("plans_created", "Focused-intervention plans started"),
                    ("plan_submitted", "Improvement plan submitted"),
                    ("plan_accepted", "Improvement plan accepted"),
                    ("plan_returned", "Improvement plan returned"),
                ],
                db_index=True,
                max_length=32,
                verbose_name="action",
            ),
        ),
    ]
