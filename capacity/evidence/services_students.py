"""Import student-level results: counted into school results by group, all or nothing, then forgotten.

The one service behind `capacity import student-results` and the web page
(views_students.py). The file is given as bytes held in memory: it is never
written to storage, and nothing about a student outlives the call (see
importers/students.py). What is written is the school results the students make
up, upserted on their natural key (school, school year, assessment, group) as
the school-level import does, so importing the same file twice changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext_lazy

from capacity.audit.details import register_values
from capacity.directory import access
from capacity.directory.models import School
from capacity.evidence.data import refresh_statistics
from capacity.evidence.importers.edfi import read_edfi
from capacity.evidence.importers.students import KIND, StudentResult, Tally, decode, sniff_kind
from capacity.evidence.models import Assessment, Result
from capacity.evidence.privacy import rule
from capacity.evidence.signals import results_changed
from capacity.imports import ImportReport, conclude
from capacity.imports.report import ImportRejected

register_values("kind", [(KIND, gettext_lazy("student-level results"))])

SOURCE_LENGTH = Result._meta.get_field("source").max_length or 200
COMPARED = (
    "participating",
    "pct_level_1",
    "pct_level_2",
    "pct_level_3",
    "pct_level_4",
    "pct_at_standard",
    "status",
)


@transaction.atomic
def student_results_import(
    *,
    data: bytes,
    name: str,
    school_year: str | None = None,
    actor: Any = None,
    actor_label: str = "",
    dry_run: bool = False,
    check_actor: bool = False,
) -> ImportReport:
    """Count a student-level CSV or Ed-Fi JSON file (told apart by its content) into school results.

    Any problem refuses the whole file and writes nothing but the audit entry
    of the refusal. `check_actor` makes the call refuse people who may not
    import results (the web page sets it; the command line runs as the
    operator).
    """
    if check_actor and not access.can_import_results(actor):
        raise PermissionDenied
    report = ImportReport(kind=KIND, source=name)
    kind = sniff_kind(data)
    schools = dict(School.objects.order_by().values_list("number", "pk"))
    assessments = dict(Assessment.objects.order_by("position", "code").values_list("code", "pk"))
    tally = Tally(report, schools, assessments, partitions=rule().partitions)
    text = decode(data, report, utf8_only=kind == "edfi")
    if text is not None:
        if kind == "edfi":
            read_edfi(text, tally, school_year=school_year)
        else:
            from capacity.evidence.importers.students import read_student_csv

            read_student_csv(text, tally, school_year=school_year)
    tally.finish()
    results = tally.results() if not report.problems else []
    years = sorted({result.school_year for result in results})
    detail = {"files": [name], "school_years": years}

    def apply() -> None:
        created, updated, unchanged = _write(results, schools, assessments, source=name)
        report.created, report.updated, report.unchanged = created, updated, unchanged
        if dry_run:
            raise ImportRejected(report)

    if dry_run and not report.problems:
        try:
            with transaction.atomic():
                apply()
        except ImportRejected:
            pass
        report.notes.append(_dry_run_note())
        return report
    conclude(report, apply=apply, actor=actor, actor_label=actor_label, detail=detail)
    if report.applied and (report.created or report.updated):
        refresh_statistics()
        transaction.on_commit(lambda: results_changed.send(sender=KIND, years=set(years)))
    return report


def _dry_run_note() -> str:
    from django.utils.translation import gettext as _

    return _("This was a dry run: nothing was written.")


def _write(
    results: list[StudentResult],
    schools: dict[str, int],
    assessments: dict[str, int],
    *,
    source: str,
) -> tuple[int, int, int]:
    """Upsert the results on (school, year, assessment, group); (created, updated, unchanged)."""
    if not results:
        return 0, 0, 0
    existing = {
        (row.school_id, row.school_year, row.assessment_id, row.group): row
        for row in Result.objects.filter(
            school_id__in={schools[r.school_number] for r in results},
            school_year__in={r.school_year for r in results},
            assessment_id__in={assessments[r.assessment] for r in results},
            group__in={r.group for r in results},
        )
    }
    new: list[Result] = []
    changed: list[Result] = []
    for result in results:
        key = (
            schools[result.school_number],
            result.school_year,
            assessments[result.assessment],
            result.group,
        )
        values = result.values()
        row = existing.get(key)
        if row is None:
            row = Result(
                school_id=key[0],
                school_year=key[1],
                assessment_id=key[2],
                group=key[3],
                source=source[:SOURCE_LENGTH],
                **values,
            )
            row.clean_fields(exclude=["school", "assessment"])
            new.append(row)
        elif any(getattr(row, name) != values[name] for name in COMPARED):
            for name in COMPARED:
                setattr(row, name, values[name])
            row.source = source[:SOURCE_LENGTH]
            row.clean_fields(exclude=["school", "assessment"])
            changed.append(row)
    # Each row's fields are checked above; the table's own constraints check the rest.
    Result.objects.bulk_create(new, batch_size=2000)
    Result.objects.bulk_update(changed, [*COMPARED, "source"], batch_size=2000)
    return len(new), len(changed), len(results) - len(new) - len(changed)
