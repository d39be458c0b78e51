"""Improvement plans (school and board) run as a Plan-Act-Observe-Reflect cycle.

A plan belongs to one school (a school improvement plan) or one board (a
board improvement plan for student achievement and well-being) for one school
year. It holds a few goals; each goal has targets (tied to an assessment
result, or a custom measure with dated entries) and strategies; the plan has
checkpoints. Plans are edited with a version check (`Plan.version`), every
change is kept in `PlanChange`, and each submission keeps a snapshot.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from capacity.directory.models import Board, School, validate_school_year
from capacity.evidence.labels import StudentGroup
from capacity.evidence.models import Assessment
from capacity.planning.themes import CIRCUMSTANCE_CHOICES

# A goal for a group names one of the groups results are reported for ("all" is the
# goal's "All students" focus, not a group).
GOAL_GROUPS = [(value, label) for value, label in StudentGroup.choices if value != StudentGroup.ALL]

# More goals than this and a plan loses focus: the research behind the cycle
# (seed 000) asks for a small number of goals.
FOCUSED_GOALS = 4

# A marker student is followed by a code the team makes up: letters and digits
# with at least one digit, so a first name alone can never be a code.
MARKER_CODE_RE = re.compile(r"^(?=.*\d)[A-Z0-9][A-Z0-9-]{1,11}$")


def validate_marker_codes(value: str) -> None:
    for code in marker_codes(value):
        if not MARKER_CODE_RE.match(code):
            raise ValidationError(
                _(
                    "%(code)s is not a marker code: use 2-12 letters, digits or hyphens with at least one digit "
                    "(for example M-07), never a student's name."
                ),
                params={"code": code},
            )


def marker_codes(value: str) -> list[str]:
    return [code.strip().upper() for code in re.split(r"[,\s]+", value or "") if code.strip()]


class Kind(models.TextChoices):
    SCHOOL = "school", _("School improvement plan")
    BOARD = "board", _("Board improvement plan for student achievement and well-being")


class Stage(models.TextChoices):
    PLAN = "plan", _("Plan")
    ACT = "act", _("Act")
    OBSERVE = "observe", _("Observe")
    REFLECT = "reflect", _("Reflect")
    CLOSED = "closed", _("Year closed")


STAGE_ORDER = [Stage.PLAN, Stage.ACT, Stage.OBSERVE, Stage.REFLECT, Stage.CLOSED]


class Review(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    RETURNED = "returned", _("Returned with comments")
    ACCEPTED = "accepted", _("Accepted")


class Driver(models.TextChoices):
    """Fullan's drivers of whole-system reform: four right, four wrong when used as the lead."""

    CAPACITY_BUILDING = "capacity_building", _("Capacity building")
    COLLABORATIVE_WORK = "collaborative_work", _("Collaborative work")
    PEDAGOGY = "pedagogy", _("Pedagogy")
    SYSTEMNESS = "systemness", _("Systemness")
    ACCOUNTABILITY = "accountability", _("Accountability")
    INDIVIDUAL_QUALITY = "individual_quality", _("Individual teacher and leader quality")
    TECHNOLOGY = "technology", _("Technology")
    FRAGMENTED = "fragmented", _("Fragmented strategies")


RIGHT_DRIVERS = frozenset(
    {Driver.CAPACITY_BUILDING, Driver.COLLABORATIVE_WORK, Driver.PEDAGOGY, Driver.SYSTEMNESS}
)


class Characteristic(models.TextChoices):
    """Leithwood's nine characteristics of strong districts (DOMAIN.md section 3)."""

    MISSION = "mission", _("Broadly shared mission, vision and goals")
    INSTRUCTIONAL_GUIDANCE = "instructional_guidance", _("Coherent instructional guidance system")
    EVIDENCE = "evidence", _("Use of multiple sources of evidence to inform decisions")
    IMPROVEMENT_PROCESSES = (
        "improvement_processes",
        _("Learning-oriented organizational improvement processes"),
    )
    PROFESSIONAL_DEVELOPMENT = (
        "professional_development",
        _("Job-embedded professional development for all"),
    )
    ALIGNMENT = "alignment", _("Budgets, structures, personnel and time aligned with the mission")
    LEADERSHIP_DEVELOPMENT = (
        "leadership_development",
        _("Comprehensive approach to leadership development"),
    )
    TRUSTEES = "trustees", _("Policy-oriented board of trustees")
    RELATIONSHIPS = (
        "relationships",
        _("Productive working relationships with staff and stakeholders"),
    )


class Area(models.TextChoices):
    LITERACY = "literacy", _("Literacy")
    MATHEMATICS = "mathematics", _("Mathematics")
    WELL_BEING = "well_being", _("Well-being")
    OTHER = "other", _("Other")


class Plan(models.Model):
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    board = models.ForeignKey(
        Board, on_delete=models.PROTECT, related_name="plans", verbose_name=_("board")
    )
    school = models.ForeignKey(
        School,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plans",
        verbose_name=_("school"),
    )
    school_year = models.CharField(
        _("school year"), max_length=7, validators=[validate_school_year]
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    stage = models.CharField(_("stage"), max_length=8, choices=Stage.choices, default=Stage.PLAN)
    review = models.CharField(
        _("review"), max_length=10, choices=Review.choices, default=Review.DRAFT
    )
    focused_intervention = models.BooleanField(_("focused intervention"), default=False)
    identification = models.JSONField(
        _("why the school was identified"),
        default=dict,
        blank=True,
        help_text=_(
            "The policy, year and results that identified the school, as the evidence engine gave them."
        ),
    )
    support_contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("support contact"),
    )
    previous = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="next_plan",
        verbose_name=_("last year's plan"),
    )
    overall_impact = models.TextField(_("reflection on overall impact"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        ordering = ["-school_year", "board__name", "school__name"]
        verbose_name = _("improvement plan")
        verbose_name_plural = _("improvement plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=Kind.SCHOOL, school__isnull=False)
                | Q(kind=Kind.BOARD, school__isnull=True),
                name="plan_school_plan_has_school",
            ),
            models.UniqueConstraint(
                fields=["school", "school_year"],
                condition=Q(kind=Kind.SCHOOL),
                name="plan_one_per_school_year",
            ),
            models.UniqueConstraint(
                fields=["board", "school_year"],
                condition=Q(kind=Kind.BOARD),
                name="plan_one_per_board_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.owner_name} {self.school_year}"

    @property
    def owner_name(self) -> str:
        return self.school.name if self.school_id and self.school else self.board.name

    @property
    def stage_index(self) -> int:
        return STAGE_ORDER.index(Stage(self.stage))


class Goal(models.Model):
    class Focus(models.TextChoices):
        ALL = "all", _("All students")
        GROUP = "group", _("A group of students")
        MARKER = "marker", _("Marker students")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals")
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    statement = models.TextField(
        _("goal"), help_text=_("What students will achieve, or how their well-being will change.")
    )
    area = models.CharField(_("area"), max_length=12, choices=Area.choices, default=Area.LITERACY)
    focus = models.CharField(_("for whom"), max_length=8, choices=Focus.choices, default=Focus.ALL)
    group = models.CharField(
        _("student group"),
        max_length=40,
        blank=True,
        choices=GOAL_GROUPS,
        help_text=_("One of the groups the assessment results are reported for."),
    )
    marker_codes = models.CharField(
        _("marker student codes"),
        max_length=400,
        blank=True,
        validators=[validate_marker_codes],
        help_text=_("Codes the team made up, separated by commas. Never a student's name."),
    )
    characteristic = models.CharField(
        _("characteristic of strong districts"),
        max_length=24,
        choices=Characteristic.choices,
        blank=True,
    )
    # --- themes (issue 13): lesson codes of planning.themes.LESSONS
    lessons = models.JSONField(_("lessons for all schools"), default=list, blank=True)
    carried_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_to",
        verbose_name=_("carried forward from"),
    )

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        constraints = [
            models.CheckConstraint(
                condition=Q(group="") | Q(group__in=[value for value, _label in GOAL_GROUPS]),
                name="goal_group_is_known",
            ),
        ]

    def __str__(self) -> str:
        return self.statement[:80]

    def clean(self) -> None:
        if self.focus == self.Focus.GROUP and not self.group:
            raise ValidationError({"group": _("Name the group this goal is for.")})
        if self.focus == self.Focus.MARKER and not marker_codes(self.marker_codes):
            raise ValidationError({"marker_codes": _("Give at least one marker student code.")})
        if self.focus != self.Focus.MARKER and self.marker_codes:
            raise ValidationError(
                {"marker_codes": _("Marker codes belong to goals for marker students.")}
            )


class Target(models.Model):
    class Measure(models.TextChoices):
        ASSESSMENT = "assessment", _("Assessment result")
        CUSTOM = "custom", _("Custom measure")

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="targets")
    measure = models.CharField(
        _("measured by"), max_length=10, choices=Measure.choices, default=Measure.ASSESSMENT
    )
    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assessment"),
    )
    group = models.CharField(
        _("student group"), max_length=40, choices=StudentGroup.choices, default=StudentGroup.ALL
    )
    description = models.CharField(_("custom measure"), max_length=300, blank=True)
    baseline_year = models.CharField(
        _("baseline year"), max_length=7, blank=True, validators=[validate_school_year]
    )
    baseline_value = models.FloatField(
        _("baseline (%)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    target_value = models.FloatField(
        _("target (%)"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    target_year = models.CharField(
        _("by school year"), max_length=7, validators=[validate_school_year]
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.CheckConstraint(
                condition=Q(measure="assessment", assessment__isnull=False) | Q(measure="custom"),
                name="target_assessment_measure_names_assessment",
            ),
            models.CheckConstraint(
                condition=Q(group__in=StudentGroup.values), name="target_group_is_known"
            ),
        ]

    def __str__(self) -> str:
        """How pages name the target (its assessment by name, never the code), in the viewer's language."""
        what = self.assessment.label if self.assessment_id and self.assessment else self.description
        if self.group and self.group != StudentGroup.ALL:
            what = f"{what} ({self.get_group_display()})"
        return gettext("%(what)s: %(value)s%% by %(year)s") % {
            "what": what,
            "value": floatformat(self.target_value, -1),
            "year": self.target_year,
        }

    def clean(self) -> None:
        if self.measure == self.Measure.ASSESSMENT and not self.assessment_id:
            raise ValidationError(
                {"assessment": _("Choose the assessment this target is measured by.")}
            )
        if self.measure == self.Measure.CUSTOM and not self.description:
            raise ValidationError({"description": _("Say what the custom measure is.")})
        if self.baseline_year and self.target_year and self.target_year < self.baseline_year:
            raise ValidationError(
                {"target_year": _("The target year cannot come before the baseline year.")}
            )


class TargetEntry(models.Model):
    """A dated value of a custom measure, with its evidence (pedagogical documentation)."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="entries")
    on = models.DateField(_("date"))
    value = models.FloatField(
        _("value (%)"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    note = models.TextField(_("note"), blank=True)
    evidence = models.FileField(_("evidence file"), upload_to="plans/evidence/%Y/", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["on", "id"]
        verbose_name = _("measure entry")
        verbose_name_plural = _("measure entries")

    def __str__(self) -> str:
        return f"{self.on}: {self.value:g}"


class Strategy(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="strategies")
    action = models.TextField(_("what the team will do"))
    responsible = models.CharField(_("who is responsible"), max_length=200)
    professional_learning = models.TextField(_("professional learning needed"), blank=True)
    resources = models.TextField(_("resources"), blank=True)
    starts = models.DateField(_("starts"), null=True, blank=True)
    ends = models.DateField(_("ends"), null=True, blank=True)
    drivers = models.JSONField(_("drivers"), default=list, blank=True)
    # --- themes (issue 13): lesson codes, and the challenging circumstance it answers
    lessons = models.JSONField(_("lessons for all schools"), default=list, blank=True)
    circumstance = models.CharField(
        _("challenging circumstance"), max_length=20, choices=CIRCUMSTANCE_CHOICES, blank=True
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("strategy")
        verbose_name_plural = _("strategies")

    def __str__(self) -> str:
        return self.action[:80]

    def clean(self) -> None:
        unknown = [d for d in self.drivers or [] if d not in Driver.values]
        if unknown:
            raise ValidationError(
                {"drivers": _("Unknown driver: %(names)s.") % {"names": ", ".join(unknown)}}
            )
        if self.starts and self.ends and self.ends < self.starts:
            raise ValidationError({"ends": _("A strategy cannot end before it starts.")})


class Checkpoint(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="checkpoints")
    due = models.DateField(_("due"))
    title = models.CharField(_("checkpoint"), max_length=200)
    evidence_gathered = models.TextField(_("evidence gathered"), blank=True)
    progress = models.TextField(_("progress"), blank=True)
    adjustments = models.TextField(_("adjustments"), blank=True)
    recorded_at = models.DateTimeField(_("recorded"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["due", "id"]
        verbose_name = _("checkpoint")
        verbose_name_plural = _("checkpoints")

    def __str__(self) -> str:
        return f"{self.due}: {self.title}"


class TaskDone(models.Model):
    """A stage task (planning.cycle.TASKS) checked off for one plan."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks_done")
    task = models.CharField(_("task"), max_length=40)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    done_at = models.DateTimeField(_("done"), auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["plan", "task"], name="task_done_once")]
        verbose_name = _("task done")
        verbose_name_plural = _("tasks done")

    def __str__(self) -> str:
        return self.task


class Timeline(models.Model):
    """Dates the ministry (for every board) or one board (for its schools) sets for a school year."""

    board = models.ForeignKey(
        Board,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="timelines",
        help_text=_("Empty: the ministry's timeline for every board."),
    )
    school_year = models.CharField(
        _("school year"), max_length=7, validators=[validate_school_year]
    )
    kind = models.CharField(_("plans"), max_length=8, choices=Kind.choices)
    submit_by = models.DateField(_("submit the plan by"))
    act_by = models.DateField(_("put the plan into action by"))
    observe_by = models.DateField(_("first progress check by"))
    reflect_by = models.DateField(_("reflect on overall impact by"))

    class Meta:
        verbose_name = _("timeline")
        verbose_name_plural = _("timelines")
        constraints = [
            models.UniqueConstraint(
                fields=["board", "school_year", "kind"], name="timeline_once", nulls_distinct=False
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school_year} {self.kind}"


class Submission(models.Model):
    """A plan as submitted for review (a snapshot), and what the reviewer decided."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned with comments")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="submissions")
    number = models.PositiveSmallIntegerField(_("submission"))
    stage = models.CharField(_("stage"), max_length=8, choices=Stage.choices)
    snapshot = models.JSONField(_("the plan as submitted"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    comments = models.TextField(_("reviewer's comments"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="submission_number_once")
        ]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")

    def __str__(self) -> str:
        return f"{self.plan} #{self.number}"


class CoReflection(models.Model):
    """Ministry or board staff reflecting with the team, at any stage; the team answers in replies."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="coreflections")
    stage = models.CharField(_("stage"), max_length=8, choices=Stage.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    themes = models.TextField(_("emergent themes"))
    keep = models.TextField(_("what to keep doing"), blank=True)
    consider = models.TextField(_("what to consider"), blank=True)
    # --- themes (issue 13): lesson codes of planning.themes.LESSONS
    lessons = models.JSONField(_("lessons for all schools"), default=list, blank=True)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("co-reflection")
        verbose_name_plural = _("co-reflections")

    def __str__(self) -> str:
        return self.themes[:80]


class Reply(models.Model):
    coreflection = models.ForeignKey(CoReflection, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("reply"))
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("reply")
        verbose_name_plural = _("replies")

    def __str__(self) -> str:
        return self.text[:80]


class PlanChange(models.Model):
    """One change to a plan or anything in it: who, when, what, and the values before and after."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="changes")
    at = models.DateTimeField(_("when"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(_("what happened"), max_length=40)
    item = models.CharField(_("item"), max_length=200, blank=True)
    fields = models.JSONField(_("values before and after"), default=dict, blank=True)
    version = models.PositiveIntegerField(_("plan version after"))

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("plan change")
        verbose_name_plural = _("plan changes")

    def __str__(self) -> str:
        return f"{self.action} {self.item}"


class SupportRequest(models.Model):
    """Reciprocity: a team says what it tried and what it needs; the system answers with what it provides."""

    class Need(models.TextChoices):
        KNOWLEDGE = "knowledge", _("Knowledge")
        PEOPLE = "people", _("People")
        PROFESSIONAL_LEARNING = "professional_learning", _("Professional learning")
        RESOURCES = "resources", _("Resources")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="support_requests")
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, null=True, blank=True, related_name="support_requests"
    )
    plan = models.ForeignKey(
        Plan, on_delete=models.SET_NULL, null=True, blank=True, related_name="support_requests"
    )
    to_ministry = models.BooleanField(
        _("addressed to the ministry"),
        default=False,
        help_text=_(
            "A school's request goes to its board unless it says the ministry; a board's goes to the ministry."
        ),
    )
    tried = models.TextField(_("what we tried"))
    needs = models.JSONField(_("what we need"), default=list)
    detail = models.TextField(_("details"), blank=True)
    needed_by = models.DateField(_("needed by"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.OPEN
    )
    answer = models.TextField(_("answer"), blank=True)
    provided = models.JSONField(_("what was provided"), default=list, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(_("asked"), auto_now_add=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    # ledger (issue 13): a school's request its board cannot meet goes on to the ministry.
    escalated_at = models.DateTimeField(_("escalated to the ministry"), null=True, blank=True)
    escalated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    escalation_reason = models.TextField(_("why the board cannot meet it"), blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("support request")
        verbose_name_plural = _("support requests")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open") | ~Q(answer=""),
                name="support_request_answered_has_answer",
            ),
            models.CheckConstraint(
                condition=Q(escalated_at__isnull=True) | ~Q(escalation_reason=""),
                name="support_request_escalation_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.tried[:80]

    def clean(self) -> None:
        unknown = [
            n for n in [*(self.needs or []), *(self.provided or [])] if n not in self.Need.values
        ]
        if unknown:
            raise ValidationError(
                _("Unknown kind of support: %(names)s.") % {"names": ", ".join(unknown)}
            )
        if not self.needs:
            raise ValidationError({"needs": _("Say what kind of support is needed.")})


# --- implementation (issue 13) ---


class Implementation(models.TextChoices):
    """How far a strategy is carried out (seed 000's leading indicators): a strategy that has never
    been reviewed is not started."""

    NOT_STARTED = "not_started", _("Not started")
    STARTED = "started", _("Started")
    IN_PLACE = "in_place", _("In place")
    EMBEDDED = "embedded", _("Embedded")


class StrategyReview(models.Model):
    """A dated review of how far a strategy is carried out, with what shows it.

    A strategy's implementation status is its latest review's (by date, then entry), so the status
    changes only with dated evidence and every earlier review stays as the strategy's history.
    """

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="reviews")
    checkpoint = models.ForeignKey(
        Checkpoint,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="strategy_reviews",
        verbose_name=_("checkpoint"),
    )
    on = models.DateField(_("date of the evidence"))
    status = models.CharField(
        _("implementation status"), max_length=12, choices=Implementation.choices
    )
    evidence = models.TextField(
        _("what shows it"),
        help_text=_(
            "What the team saw or gathered: classroom visits, student work, minutes, data."
        ),
    )
    evidence_file = models.FileField(_("evidence file"), upload_to="plans/reviews/%Y/", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["on", "id"]
        verbose_name = _("strategy review")
        verbose_name_plural = _("strategy reviews")
        indexes = [models.Index(fields=["strategy", "on"], name="strategy_review_by_date")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=Implementation.values), name="strategy_review_status_known"
            ),
            models.CheckConstraint(condition=~Q(evidence=""), name="strategy_review_has_evidence"),
        ]

    def __str__(self) -> str:
        return f"{self.on}: {self.get_status_display()}"


# --- ledger (issue 13) ---


class CapacityGift(models.Model):
    """Reciprocity as a ledger (seed 004): for each unit of performance demanded, a unit of capacity.

    One entry is capacity given, in its kind's unit: by the board or the ministry to a school, or by
    the ministry to a board (no school). It may answer a support request or be offered first. The
    team that received it (the school's team; a board's leaders) says whether it helped, with a
    version check because that answer can change.
    """

    class Kind(models.TextChoices):
        RELEASE_DAYS = "release_days", _("Release days")
        COACHING_HOURS = "coaching_hours", _("Coaching hours")
        VISITS = "visits", _("Visits")
        LEARNING_SESSIONS = "learning_sessions", _("Professional learning sessions")
        FUNDING = "funding", _("Funding (dollars)")

    class Giver(models.TextChoices):
        BOARD = "board", _("The board")
        MINISTRY = "ministry", _("The ministry")

    class Helped(models.TextChoices):
        HELPED = "helped", _("Helped")
        PARTLY = "partly", _("Helped in part")
        NOT_YET = "not_yet", _("Not yet")
        DID_NOT_HELP = "did_not_help", _("Did not help")

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="capacity_gifts")
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, null=True, blank=True, related_name="capacity_gifts"
    )
    given_by = models.CharField(_("given by"), max_length=8, choices=Giver.choices)
    kind = models.CharField(_("kind of capacity"), max_length=20, choices=Kind.choices)
    amount = models.DecimalField(
        _("amount"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("In the kind's unit: days, hours, visits, sessions or dollars."),
    )
    given_on = models.DateField(_("given on"))
    request = models.ForeignKey(
        SupportRequest,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="gifts",
        verbose_name=_("in answer to"),
    )
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    helped = models.CharField(_("did it help?"), max_length=12, choices=Helped.choices, blank=True)
    helped_comment = models.TextField(_("comment"), blank=True)
    helped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    helped_at = models.DateTimeField(_("answered"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["-given_on", "-id"]
        verbose_name = _("capacity given")
        verbose_name_plural = _("capacity given")
        indexes = [models.Index(fields=["board", "given_on"], name="capacity_gift_board_day")]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="capacity_gift_amount_positive"),
            # A board gives to its schools; only the ministry gives to a board as a whole.
            models.CheckConstraint(
                condition=Q(given_by="ministry") | Q(school__isnull=False),
                name="capacity_gift_board_gives_to_schools",
            ),
            models.CheckConstraint(
                condition=Q(helped="") | Q(helped_at__isnull=False),
                name="capacity_gift_helped_is_dated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} ({self.given_on})"


# --- yearclose (issue 13) ---


class CarryDecision(models.TextChoices):
    CARRY = "carry", _("Carry forward as it is")
    REFINE = "refine", _("Carry forward, refined")
    STOP = "stop", _("Do not carry forward")


class GoalCarry(models.Model):
    """The team's decision at year close on one goal: does it go into next year's plan, and why
    ("are we focusing on the right inch?"). Decisions are kept: deciding again adds a row and the
    newest counts."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="carry_decisions")
    decision = models.CharField(_("decision"), max_length=8, choices=CarryDecision.choices)
    statement = models.TextField(
        _("the goal as refined"), blank=True, help_text=_("Next year's wording of the goal.")
    )
    why = models.TextField(_("why"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), auto_now_add=True)

    class Meta:
        ordering = ["goal_id", "-decided_at", "-id"]
        verbose_name = _("year-close decision on a goal")
        verbose_name_plural = _("year-close decisions on goals")
        constraints = [
            models.CheckConstraint(
                condition=~Q(decision="refine") | ~Q(statement=""),
                name="goal_carry_refined_has_wording",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.goal_id}: {self.decision}"


def validate_marker_code(value: str) -> None:
    """One marker code (the log's entries are about one marker student each)."""
    codes = marker_codes(value)
    if len(codes) != 1:
        raise ValidationError(_("Write one marker code, for example M-07."))
    validate_marker_codes(value)


class MarkerNote(models.Model):
    """An entry in a school plan's marker-student log: what the team saw of one marker student,
    known by a code and never by name, and the next step. The school's team reads it, nobody else."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="marker_notes")
    code = models.CharField(_("marker code"), max_length=12, validators=[validate_marker_code])
    on = models.DateField(_("date"))
    observed = models.TextField(_("what we saw"))
    next_step = models.TextField(_("next step"), blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        ordering = ["code", "-on", "-id"]
        verbose_name = _("marker-student log entry")
        verbose_name_plural = _("marker-student log entries")

    def __str__(self) -> str:
        return f"{self.code} {self.on}"


class Removal(models.TextChoices):
    """Why pedagogical documentation is removed: a fixed list, so the audit log (which the
    ministry reads) never carries words a team might write about a student."""

    CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent withdrawn")
    NOT_NEEDED = "not_needed", _("No longer needed")
    MISTAKE = "mistake", _("Added by mistake")


class Consent(models.TextChoices):
    GUARDIAN = "guardian", _("A parent or guardian consented in writing")
    NOT_IDENTIFIABLE = "anonymous", _("No student can be identified in it")


class Documentation(models.Model):
    """Pedagogical documentation: an artefact of student learning (a photo of work, notes, a
    recording) kept with the consent that allows keeping it, for the school's team only."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="documentation")
    title = models.CharField(_("what it shows"), max_length=200)
    description = models.TextField(_("what the team noticed"), blank=True)
    file = models.FileField(_("file"), upload_to="plans/documentation/%Y/")
    code = models.CharField(
        _("marker code"),
        max_length=12,
        blank=True,
        validators=[validate_marker_codes],
        help_text=_("Optional: the marker student it is about, by code."),
    )
    consent = models.CharField(_("consent"), max_length=10, choices=Consent.choices)
    consent_on = models.DateField(_("consent given on"), null=True, blank=True)
    consent_scope = models.CharField(
        _("what was consented to"),
        max_length=300,
        blank=True,
        help_text=_("For example: kept by the school team for this school year."),
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        ordering = ["-added_at", "-id"]
        verbose_name = _("pedagogical documentation")
        verbose_name_plural = _("pedagogical documentation")
        constraints = [
            models.CheckConstraint(
                condition=~Q(consent="guardian")
                | (Q(consent_on__isnull=False) & ~Q(consent_scope="")),
                name="documentation_guardian_consent_dated",
            ),
        ]

    def __str__(self) -> str:
        return self.title
