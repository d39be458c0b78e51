"""Student groups on goals and targets become codes from the evidence's list.

Until now the group was typed. This step maps what people typed to the codes the
results use ("ELL", "English language learners" -> "ell", "girls" -> "female"); a goal
"for the group" all students becomes a goal for all students. A value that maps to no
group stops the migration with the rows to fix, rather than being dropped or guessed:
fix them in the admin or the database and run `capacity migrate` again.
The next migration (0004) then makes the list a choice and a database constraint.
"""

from __future__ import annotations

import re
import sys

from django.db import migrations

GROUPS = ("all", "female", "male", "ell", "special_education", "academic", "applied")

# What people typed, lower-cased with runs of spaces, hyphens and underscores made one space.
SYNONYMS = {
    "all": "all",
    "all students": "all",
    "tous": "all",
    "tous les eleves": "all",
    "tous les élèves": "all",
    "female": "female",
    "girls": "female",
    "girl": "female",
    "f": "female",
    "filles": "female",
    "male": "male",
    "boys": "male",
    "boy": "male",
    "m": "male",
    "garcons": "male",
    "garçons": "male",
    "ell": "ell",
    "ells": "ell",
    "esl": "ell",
    "english language learners": "ell",
    "english language learner": "ell",
    "language learners": "ell",
    "special education": "special_education",
    "special ed": "special_education",
    "sped": "special_education",
    "iep": "special_education",
    "students with special education needs": "special_education",
    "academic": "academic",
    "applied": "applied",
}


def _key(text: str) -> str:
    return re.sub(r"[\s_\-]+", " ", text.strip().lower())


def map_groups(apps, schema_editor) -> None:
    Goal = apps.get_model("planning", "Goal")
    Target = apps.get_model("planning", "Target")
    unknown: list[str] = []
    changed = 0
    for goal in Goal.objects.exclude(group="").only("pk", "group", "focus"):
        code = SYNONYMS.get(_key(goal.group))
        if code is None:
            unknown.append(f"goal {goal.pk}: {goal.group!r}")
        elif code == "all":
            goal.group = ""
            if goal.focus == "group":
                goal.focus = "all"
            goal.save(update_fields=["group", "focus"])
            changed += 1
        elif code != goal.group:
            goal.group = code
            goal.save(update_fields=["group"])
            changed += 1
    for target in Target.objects.exclude(group__in=GROUPS).only("pk", "group"):
        code = SYNONYMS.get(_key(target.group))
        if code is None:
            unknown.append(f"target {target.pk}: {target.group!r}")
        else:
            target.group = code
            target.save(update_fields=["group"])
            changed += 1
    if unknown:
        raise RuntimeError(
            "These goals and targets name a student group Capacity does not know; set each to one of "
            f"{', '.join(GROUPS)} and migrate again: " + "; ".join(unknown)
        )
    if changed:
        sys.stdout.write(
            f"\n  Student groups: {changed} goals and targets now use the group codes.\n"
        )


class Migration(migrations.Migration):
    dependencies = [("planning", "0002_titles_without_designation")]

    operations = [migrations.RunPython(map_groups, migrations.RunPython.noop)]
