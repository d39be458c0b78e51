"""The system side's tasks become the seed's nine (planning/cycle.py): the old "plan.support"
("support the plan's development with guidelines and protocols") is split into "plan.support"
and "plan.protocols", so a plan that had it checked keeps both checked; "reflect.advise"
(support the current approach or suggest another) folds into "reflect.co", whose wording now
says both."""

from django.db import migrations


def forwards(apps, schema_editor):
    TaskDone = apps.get_model("planning", "TaskDone")
    for done in TaskDone.objects.filter(task="plan.support"):
        TaskDone.objects.get_or_create(
            plan_id=done.plan_id,
            task="plan.protocols",
            defaults={"done_by_id": done.done_by_id, "done_at": done.done_at},
        )
    for done in TaskDone.objects.filter(task="reflect.advise"):
        if TaskDone.objects.filter(plan_id=done.plan_id, task="reflect.co").exists():
            done.delete()
        else:
            done.task = "reflect.co"
            done.save(update_fields=["task"])


def backwards(apps, schema_editor):
    # "reflect.co" cannot be told apart again; the split task folds back into "plan.support".
    TaskDone = apps.get_model("planning", "TaskDone")
    TaskDone.objects.filter(task="plan.protocols").delete()


class Migration(migrations.Migration):
    dependencies = [("planning", "0007_themes_lessons_circumstances")]

    operations = [migrations.RunPython(forwards, backwards)]
