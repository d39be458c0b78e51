"""Assessment results, identification policies and result imports."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from capacity.directory.models import School, validate_school_year
from capacity.evidence.labels import assessment_name
from capacity.evidence.partitions import ensure_years


class Assessment(models.Model):
    """A provincial assessment, such as EQAO Grade 3 reading (code G3-READ)."""

    class Subject(models.TextChoices):
        READING = "reading", _("Reading")
        WRITING = "writing", _("Writing")
        MATHEMATICS = "mathematics", _("Mathematics")
        LITERACY = "literacy", _("Literacy")

    code = models.CharField(_("code"), max_length=20, unique=True)
    program = models.CharField(_("program"), max_length=60)
    grade = models.PositiveSmallIntegerField(_("grade"))
    subject = models.CharField(_("subject"), max_length=12, choices=Subject.choices)
    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveSmallIntegerField(_("order shown"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name in the viewer's language (the stored `name` is English)."""
        return assessment_name(self.code, self.name)


class ResultStatus(models.TextChoices):
    """Why a result has no number. Blank means the number is reported."""

    REPORTED = "", _("Reported")
    NOT_REPORTED = "nr", _("Not reported: too few students")
    NO_DATA = "nd", _("No data")
    SUPPRESSED = "sp", _("Suppressed to protect privacy")


class ResultQuerySet(models.QuerySet["Result"]):
    def bulk_create(self, objs: Iterable[Result], *args: Any, **kwargs: Any) -> list[Result]:
        objs = list(objs)
        ensure_years({result.school_year for result in objs}, using=self.db)
        return super().bulk_create(objs, *args, **kwargs)

    def update(self, **kwargs: Any) -> int:
        if isinstance(kwargs.get("school_year"), str):
            ensure_years([kwargs["school_year"]], using=self.db)
        return super().update(**kwargs)


class Result(models.Model):
    """One school's result on one assessment in one school year, for all students or a group.

    On PostgreSQL the table is partitioned by school year, with no default
    partition, so a year's partition must exist before its first result is
    written: `save()` (through `pre_save`) and `bulk_create()` create it when
    missing (capacity/evidence/partitions.py explains the layout).
    """

    # No index of its own: the unique constraint below starts with school and serves
    # every lookup by school; one index fewer makes a million-row import faster.
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="results", db_index=False
    )
    school_year = models.CharField(
        _("school year"), max_length=7, validators=[validate_school_year]
    )
    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="results")
    group = models.CharField(_("student group"), max_length=40, default="all")
    participating = models.PositiveIntegerField(_("participating students"), null=True, blank=True)
    pct_level_1 = models.FloatField(_("level 1 (%)"), null=True, blank=True)
    pct_level_2 = models.FloatField(_("level 2 (%)"), null=True, blank=True)
    pct_level_3 = models.FloatField(_("level 3 (%)"), null=True, blank=True)
    pct_level_4 = models.FloatField(_("level 4 (%)"), null=True, blank=True)
    pct_at_standard = models.FloatField(
        _("at or above the provincial standard (%)"), null=True, blank=True
    )
    status = models.CharField(_("status"), max_length=2, blank=True, choices=ResultStatus.choices)
    source = models.CharField(_("source"), max_length=200, blank=True)

    objects = ResultQuerySet.as_manager()

    class Meta:
        verbose_name = _("result")
        verbose_name_plural = _("results")
        constraints = [
            models.UniqueConstraint(
                fields=["school", "school_year", "assessment", "group"],
                name="result_one_per_school_year_group",
            ),
            models.CheckConstraint(
                condition=Q(pct_at_standard__isnull=True)
                | Q(pct_at_standard__gte=0, pct_at_standard__lte=100),
                name="result_pct_at_standard_is_percentage",
            ),
            # A reported result has its number; a result with a status has none.
            models.CheckConstraint(
                condition=(Q(status="") & Q(pct_at_standard__isnull=False))
                | (~Q(status="") & Q(pct_at_standard__isnull=True)),
                name="result_number_or_status",
            ),
        ]
        indexes = [
            models.Index(
                fields=["school_year", "assessment", "group"], name="result_year_assessment"
            )
        ]

    def __str__(self) -> str:
        return f"{self.school.number} {self.school_year} {self.assessment_id} {self.group}"


@receiver(pre_save, sender=Result, dispatch_uid="evidence.result_year_partition")
def _result_year_partition(
    sender: type[Result], instance: Result, using: str, **kwargs: Any
) -> None:
    """Every way of saving a result (save, create, update_or_create, loaddata) goes through here."""
    ensure_years([instance.school_year], using=using)


class Policy(models.Model):
    """A versioned identification rule, stored as the TOML text that defines it."""

    name = models.CharField(_("name"), max_length=60)
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    definition = models.TextField(_("definition (TOML)"))
    is_default = models.BooleanField(_("default policy"), default=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["name", "-version"]
        verbose_name = _("identification policy")
        verbose_name_plural = _("identification policies")
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="policy_name_version"),
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="policy_one_default"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class ResultImport(models.Model):
    """A results file uploaded through the web, imported by a background task."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Importing")
        APPLIED = "applied", _("Imported")
        REJECTED = "rejected", _("Rejected: nothing was imported")
        FAILED = "failed", _("Failed: nothing was imported")

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created = models.DateTimeField(_("uploaded"), auto_now_add=True)
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    school_year = models.CharField(_("school year"), max_length=7, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    rows_done = models.PositiveIntegerField(_("rows read"), default=0)
    rows_total = models.PositiveIntegerField(_("rows in the file"), null=True, blank=True)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    problems_csv = models.TextField(_("problems (CSV)"), blank=True)
    finished = models.DateTimeField(_("finished"), null=True, blank=True)
    # Who runs it and since when: a "running" import whose worker is gone (its process
    # no longer exists, or the claim is older than CAPACITY_IMPORT_TIME_LIMIT) is taken
    # up again or marked failed by `recover_stale_imports`.
    claimed_at = models.DateTimeField(_("started"), null=True, blank=True)
    claimed_by = models.CharField(
        _("worker"), max_length=200, blank=True, help_text=_("host:process id")
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("results import")
        verbose_name_plural = _("results imports")

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_state_display()})"

    def progress(self) -> tuple[int, int | None]:
        """Rows read and rows in the file. While running, the task reports through the
        cache: its own writes are inside the import's transaction, unseen until the end."""
        if self.state == self.State.RUNNING:
            from django.core.cache import cache

            live = cache.get(self.progress_key)
            if live is not None:
                return live
        return self.rows_done, self.rows_total

    @property
    def progress_key(self) -> str:
        return f"result-import-progress:{self.pk}"

    @property
    def rows_read(self) -> int:
        return self.progress()[0]

    @property
    def rows_expected(self) -> int | None:
        return self.progress()[1]

    @property
    def percent_done(self) -> int:
        done, total = self.progress()
        if not total:
            return 0 if self.state in (self.State.QUEUED, self.State.RUNNING) else 100
        return min(100, round(100 * done / total))


# --- decisions (issue 13) ---
# Identification proposes, people decide: a proposal lists each school's proposed change for a
# policy and school year; a ministry officer confirms or sets aside each one. Decisions are never
# changed or deleted (append-only), so the history of who decided what, when and why stays whole.


class ProposedChangeKind(models.TextChoices):
    ENTERS = "enters", _("Enters focused intervention")
    STAYS = "stays", _("Stays in focused intervention")
    LEAVES = "leaves", _("Leaves focused intervention")


class IdentificationProposal(models.Model):
    """What the identification engine proposes for one policy and school year, for people to decide."""

    class Source(models.TextChoices):
        IMPORT = "import", _("A results import")
        OFFICER = "officer", _("A ministry officer")
        COMMAND = "command", _("The command line")
        DEMO = "demo", _("The demo province")

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        REPLACED = "replaced", _("Replaced by a newer proposal")

    policy_name = models.CharField(_("policy"), max_length=60)
    policy_version = models.PositiveIntegerField(_("policy version"))
    policy_title = models.CharField(_("policy title"), max_length=200, blank=True)
    school_year = models.CharField(
        _("school year"), max_length=7, validators=[validate_school_year]
    )
    compared_with = models.CharField(_("compared with"), max_length=7, blank=True)
    source = models.CharField(_("made by"), max_length=10, choices=Source.choices)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    created = models.DateTimeField(_("proposed"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    replaced_by = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("identification proposal")
        verbose_name_plural = _("identification proposals")
        constraints = [
            # A newer proposal for the same policy and year replaces the open one.
            models.UniqueConstraint(
                fields=["policy_name", "school_year"],
                condition=Q(state="open"),
                name="proposal_one_open_per_policy_year",
            )
        ]

    def __str__(self) -> str:
        return f"{self.policy_name} v{self.policy_version} {self.school_year}"

    @property
    def policy_label(self) -> str:
        return f"{self.policy_name} v{self.policy_version}"


class ProposedChange(models.Model):
    """One school's proposed change in a proposal, with the engine's reasons as they were then."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for a decision")
        CONFIRMED = "confirmed", _("Confirmed")
        SET_ASIDE = "set_aside", _("Set aside")

    proposal = models.ForeignKey(
        IdentificationProposal, on_delete=models.PROTECT, related_name="changes"
    )
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    change = models.CharField(_("change"), max_length=10, choices=ProposedChangeKind.choices)
    status = models.CharField(_("status"), max_length=20)
    status_before = models.CharField(_("status before"), max_length=20, blank=True)
    category = models.CharField(_("category"), max_length=60, blank=True)
    # The engine's reasons, snapshotted: later results never rewrite why a change was proposed.
    reasons = models.JSONField(_("reasons"), default=dict, blank=True)
    state = models.CharField(
        _("decision"), max_length=10, choices=State.choices, default=State.PENDING
    )
    # Goes up with every decision: a decision names the version its officer saw (two officers at once).
    version = models.PositiveIntegerField(_("version"), default=1)
    # The latest decision on the same school and year in an earlier proposal, shown beside this one.
    earlier = models.ForeignKey(
        "IdentificationDecision",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["proposal", "change", "school__number"]
        verbose_name = _("proposed change")
        verbose_name_plural = _("proposed changes")
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "school"], name="proposed_change_one_per_school"
            )
        ]
        indexes = [models.Index(fields=["school", "state"], name="proposed_change_school_state")]

    def __str__(self) -> str:
        return f"{self.proposal} {self.school.number} {self.change}"


class IdentificationDecision(models.Model):
    """A ministry officer's decision on a proposed change. Append-only: never changed, never deleted."""

    class Outcome(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        SET_ASIDE = "set_aside", _("Set aside")

    item = models.ForeignKey(ProposedChange, on_delete=models.PROTECT, related_name="decisions")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    school_year = models.CharField(_("school year"), max_length=7)
    policy_label = models.CharField(_("policy"), max_length=80)
    change = models.CharField(_("change"), max_length=10, choices=ProposedChangeKind.choices)
    outcome = models.CharField(_("decision"), max_length=10, choices=Outcome.choices)
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_by_name = models.CharField(_("decided by"), max_length=200, blank=True)
    decided_at = models.DateTimeField(_("decided"), auto_now_add=True)

    class Meta:
        ordering = ["-decided_at", "-id"]
        verbose_name = _("identification decision")
        verbose_name_plural = _("identification decisions")
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="confirmed") | ~Q(reason=""),
                name="decision_set_aside_has_reason",
            )
        ]
        indexes = [models.Index(fields=["school", "decided_at"], name="decision_school_when")]

    def __str__(self) -> str:
        return f"{self.school.number} {self.school_year} {self.change} {self.outcome}"
