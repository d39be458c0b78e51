"""Writes for the evidence part: the standard assessments, policies, uploaded results files."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from capacity.audit.models import Action
from capacity.audit.services import audit_record
from capacity.directory import access
from capacity.evidence.models import Assessment, ResultImport

# EQAO's provincial assessments (Education Quality and Accountability Office):
# primary (Grade 3) and junior (Grade 6) reading, writing and mathematics,
# Grade 9 mathematics and the Grade 10 Ontario Secondary School Literacy Test.
# Migration 0002 seeds the same list; this keeps it present after a test flush
# or in a database created some other way.
STANDARD_ASSESSMENTS = (
    ("G3-READ", "EQAO primary", 3, Assessment.Subject.READING, "Grade 3 reading", 1),
    ("G3-WRITE", "EQAO primary", 3, Assessment.Subject.WRITING, "Grade 3 writing", 2),
    ("G3-MATH", "EQAO primary", 3, Assessment.Subject.MATHEMATICS, "Grade 3 mathematics", 3),
    ("G6-READ", "EQAO junior", 6, Assessment.Subject.READING, "Grade 6 reading", 4),
    ("G6-WRITE", "EQAO junior", 6, Assessment.Subject.WRITING, "Grade 6 writing", 5),
    ("G6-MATH", "EQAO junior", 6, Assessment.Subject.MATHEMATICS, "Grade 6 mathematics", 6),
    ("G9-MATH", "EQAO Grade 9", 9, Assessment.Subject.MATHEMATICS, "Grade 9 mathematics", 7),
    ("OSSLT", "EQAO OSSLT", 10, Assessment.Subject.LITERACY, "Grade 10 literacy test (OSSLT)", 8),
)


@transaction.atomic
def assessments_ensure() -> dict[str, int]:
    """Make sure the standard assessments exist; return their ids by code."""
    existing = dict(Assessment.objects.values_list("code", "pk"))
    missing = [
        Assessment(
            code=code, program=program, grade=grade, subject=subject, name=name, position=position
        )
        for code, program, grade, subject, name, position in STANDARD_ASSESSMENTS
        if code not in existing
    ]
    if missing:
        Assessment.objects.bulk_create(missing)
        existing = dict(Assessment.objects.values_list("code", "pk"))
    return existing


@transaction.atomic
def shipped_policies_ensure() -> None:
    """Make sure each shipped policy's version is stored.

    A stored version's rule is never edited. Its words are: when the shipped file of
    the same name and version identifies exactly as the stored text does and only its
    titles or descriptions differ (a French translation added, a typo mended), the
    stored text takes the shipped words, so pages show them without a new version.
    """
    from capacity.evidence.analytics.policy import DEFAULT_POLICY, POLICY_DIR, parse_policy
    from capacity.evidence.models import Policy

    has_default = Policy.objects.filter(is_default=True).exists()
    for path in sorted(POLICY_DIR.glob("*.toml")):
        text = path.read_text(encoding="utf-8")
        policy = parse_policy(text, source=path.name)
        row, created = Policy.objects.get_or_create(
            name=policy.name,
            version=policy.version,
            defaults={
                "title": policy.title,
                "definition": text,
                "is_default": policy.name == DEFAULT_POLICY and not has_default,
            },
        )
        if created or row.definition == text:
            continue
        try:
            stored = parse_policy(row.definition, source=str(row))
        except ValueError:
            continue
        if stored.same_rule(policy):
            row.definition, row.title = text, policy.title[:200]
            row.save(update_fields=["definition", "title"])


def reference_data_ensure(**kwargs: object) -> None:
    """After every migrate (and test flush): the standard assessments and shipped policies exist."""
    assessments_ensure()
    shipped_policies_ensure()


@transaction.atomic
def result_import_create(*, user: Any, file: UploadedFile, school_year: str = "") -> ResultImport:
    """Keep an uploaded results file as an import job waiting to run, and say who uploaded it in the audit log.

    The caller queues the job (`tasks.import_uploaded_results`) once this returns;
    the import itself records whether it applied, was rejected or failed.
    """
    if not access.can_import_results(user):
        raise PermissionDenied
    name = (file.name or "")[:255]
    job = ResultImport(uploaded_by=user, file=file, original_name=name, school_year=school_year)
    # The file's name is not the stored path yet (storage shortens it on save), so leave it out here.
    job.full_clean(exclude=["file"])
    job.save()
    audit_record(
        action=Action.RESULTS_UPLOADED,
        actor=user,
        target=name,
        detail={"import": job.pk, "school_year": school_year, "size": file.size},
    )
    return job
