"""Seed EQAO's assessments and the identification policies Capacity ships.

The shipped policies are read from capacity/evidence/policies/*.toml at the
time of migration; later versions are added as new rows, never edited in place.
"""

from pathlib import Path

from django.db import migrations

# EQAO's provincial assessments (Education Quality and Accountability Office):
# primary (Grade 3) and junior (Grade 6) reading, writing and mathematics,
# Grade 9 mathematics and the Grade 10 Ontario Secondary School Literacy Test.
ASSESSMENTS = [
    ("G3-READ", "EQAO primary", 3, "reading", "Grade 3 reading", 1),
    ("G3-WRITE", "EQAO primary", 3, "writing", "Grade 3 writing", 2),
    ("G3-MATH", "EQAO primary", 3, "mathematics", "Grade 3 mathematics", 3),
    ("G6-READ", "EQAO junior", 6, "reading", "Grade 6 reading", 4),
    ("G6-WRITE", "EQAO junior", 6, "writing", "Grade 6 writing", 5),
    ("G6-MATH", "EQAO junior", 6, "mathematics", "Grade 6 mathematics", 6),
    ("G9-MATH", "EQAO Grade 9", 9, "mathematics", "Grade 9 mathematics", 7),
    ("OSSLT", "EQAO OSSLT", 10, "literacy", "Grade 10 literacy test (OSSLT)", 8),
]

POLICIES = Path(__file__).resolve().parent.parent / "policies"


def seed(apps, schema_editor):
    import tomllib

    Assessment = apps.get_model("evidence", "Assessment")
    Policy = apps.get_model("evidence", "Policy")
    for code, program, grade, subject, name, position in ASSESSMENTS:
        Assessment.objects.update_or_create(
            code=code,
            defaults={"program": program, "grade": grade, "subject": subject, "name": name, "position": position},
        )
    for path in sorted(POLICIES.glob("*.toml")):
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
        Policy.objects.get_or_create(
            name=data["name"], version=data["version"],
            defaults={"title": data["title"], "definition": text, "is_default": data["name"] == "ofip-2016"},
        )


def unseed(apps, schema_editor):
    apps.get_model("evidence", "Policy").objects.filter(name__in=["ofip-2016", "reading-2008"], version=1).delete()


class Migration(migrations.Migration):
    dependencies = [("evidence", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
