"""Instructional rounds, lesson study and learning networks' work.

Rounds: a school's problem of practice (grounded in its results, serving a plan goal), the
visits that observe it (a schedule of classrooms, a cross-role team, notes on three prompts),
the debrief (themes, the prediction question) and the next level of work.

No observation is attributed to a person: a classroom on a visit's schedule is a position, a
grade and a subject, never a teacher or a room; a note keeps its author only so that its author
can edit it and sync it from a phone, and no page, export or answer of the API shows it.

Lesson study: a team's goal and research question, and its cycles (plan with the
misconceptions it anticipates, teach and observe, critique, revise).

Networks: a network itself (its schools and facilitators) is the directory's; this app keeps
the network's work: how it was formed (suggestions from evidence), its working agreement, its
cycles of the four-stage protocol, its actions, and its reflections. See docs/rounds.md for why
one app holds both: a network's classroom visits are rounds, with the same notes and rules.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from capacity.directory.models import Board, Network, School

SCHOOL_YEAR = r"^\d{4}-\d{2}$"


class Bloom(models.TextChoices):
    """Bloom's six levels of cognitive demand (codes as capacity/rounds/language.py's LEVELS)."""

    KNOWLEDGE = "knowledge", _("Knowledge")
    COMPREHENSION = "comprehension", _("Comprehension")
    APPLICATION = "application", _("Application")
    ANALYSIS = "analysis", _("Analysis")
    SYNTHESIS = "synthesis", _("Synthesis")
    EVALUATION = "evaluation", _("Evaluation")


class Grade(models.TextChoices):
    K = "K", _("Kindergarten")
    G1 = "1", _("Grade 1")
    G2 = "2", _("Grade 2")
    G3 = "3", _("Grade 3")
    G4 = "4", _("Grade 4")
    G5 = "5", _("Grade 5")
    G6 = "6", _("Grade 6")
    G7 = "7", _("Grade 7")
    G8 = "8", _("Grade 8")
    G9 = "9", _("Grade 9")
    G10 = "10", _("Grade 10")
    G11 = "11", _("Grade 11")
    G12 = "12", _("Grade 12")


class Subject(models.TextChoices):
    LANGUAGE = "language", _("Language")
    FRENCH = "french", _("French")
    MATHEMATICS = "mathematics", _("Mathematics")
    SCIENCE = "science", _("Science and technology")
    SOCIAL = "social", _("Social studies, history and geography")
    ARTS = "arts", _("The arts")
    HEALTH = "health", _("Health and physical education")
    OTHER = "other", _("Other")


class ProblemOfPractice(models.Model):
    """What a school wants to understand about its teaching and learning, from its evidence."""

    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="problems_of_practice"
    )
    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="+")
    school_year = models.CharField(_("school year"), max_length=7)
    evidence = models.TextField(
        _("what the evidence shows"),
        help_text=_("The results the problem starts from, in a sentence."),
    )
    # The figures the evidence sentence was built from (assessment, year, group, shares), kept
    # so that a page can link to them and patterns can be read by assessment.
    evidence_facts = models.JSONField(_("evidence figures"), default=dict, blank=True)
    statement = models.TextField(
        _("problem of practice"),
        help_text=_(
            "What the school wants to understand about its teaching and students' learning."
        ),
    )
    goal = models.ForeignKey(
        "planning.Goal",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="problems_of_practice",
        verbose_name=_("plan goal it serves"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["-school_year", "school__name", "pk"]
        verbose_name = _("problem of practice")
        verbose_name_plural = _("problems of practice")
        constraints = [
            models.CheckConstraint(
                condition=Q(school_year__regex=SCHOOL_YEAR), name="rounds_problem_school_year"
            )
        ]

    def __str__(self) -> str:
        return self.statement[:80]


class VisitStage(models.TextChoices):
    PLANNED = "planned", _("Planned")
    OBSERVING = "observing", _("Observing")
    DEBRIEF = "debrief", _("Debrief")
    DONE = "done", _("Done")


class Visit(models.Model):
    """One round of classroom visits at a school, and its debrief."""

    problem = models.ForeignKey(
        ProblemOfPractice,
        on_delete=models.PROTECT,
        related_name="visits",
        verbose_name=_("problem of practice"),
    )
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="round_visits")
    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="+")
    # A network's visit to a member school (stage two of the four-stage protocol).
    network = models.ForeignKey(
        Network, on_delete=models.PROTECT, null=True, blank=True, related_name="round_visits"
    )
    cycle = models.ForeignKey(
        "NetworkCycle",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name=_("network cycle"),
    )
    on = models.DateField(_("date of the visit"))
    stage = models.CharField(
        _("stage"), max_length=10, choices=VisitStage.choices, default=VisitStage.PLANNED
    )
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("facilitator"),
    )
    team: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="VisitMember",
        related_name="round_visits",
        verbose_name=_("visiting team"),
    )
    # The debrief: the affinity grouping (capacity.rounds.affinity.as_dict), the answer to the
    # prediction question, and when the debrief was finished.
    grouping = models.JSONField(_("themes"), default=dict, blank=True)
    prediction = models.TextField(
        _(
            "if you were a student here and did exactly what was asked, what would you know how to do?"
        ),
        blank=True,
    )
    debriefed_at = models.DateTimeField(_("debrief finished"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["-on", "pk"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        indexes = [models.Index(fields=["school", "on"]), models.Index(fields=["network", "on"])]

    def __str__(self) -> str:
        return f"{self.school} {self.on:%Y-%m-%d}"


class VisitMember(models.Model):
    """A person on a visit's team. What they write is never shown with their name."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["visit", "person"], name="rounds_one_membership_per_visit"
            )
        ]

    def __str__(self) -> str:
        return f"{self.visit_id}:{self.person_id}"


class Classroom(models.Model):
    """A classroom on a visit's schedule: when, which grade, which subject. Never a teacher or a
    room: the position on the schedule is all that tells two classrooms apart."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="classrooms")
    position = models.PositiveSmallIntegerField(_("order"))
    starts = models.TimeField(_("starts"), null=True, blank=True)
    minutes = models.PositiveSmallIntegerField(_("minutes"), default=20)
    grade = models.CharField(_("grade"), max_length=2, choices=Grade.choices, blank=True)
    subject = models.CharField(_("subject"), max_length=12, choices=Subject.choices, blank=True)

    class Meta:
        ordering = ["visit", "position"]
        verbose_name = _("classroom")
        verbose_name_plural = _("classrooms")
        constraints = [
            models.UniqueConstraint(fields=["visit", "position"], name="rounds_classroom_position")
        ]

    def __str__(self) -> str:
        return f"{self.visit_id}:{self.position}"


class Note(models.Model):
    """One observer's note on one classroom, on the three prompts.

    `client_id` is made by the page (or phone) that wrote the note, so sending the same note twice
    (a retry after a dropped connection, a sync after being offline) stores it once."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="notes")
    classroom = models.ForeignKey(
        Classroom, on_delete=models.SET_NULL, null=True, blank=True, related_name="notes"
    )
    client_id = models.UUIDField(_("note identifier"), default=uuid.uuid4, unique=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    language = models.CharField(_("language"), max_length=2, default="en")
    grade = models.CharField(_("grade"), max_length=2, choices=Grade.choices, blank=True)
    subject = models.CharField(_("subject"), max_length=12, choices=Subject.choices, blank=True)
    teacher_doing = models.TextField(_("what the teacher is doing"), blank=True)
    students_doing = models.TextField(_("what students are doing"), blank=True)
    task = models.TextField(_("what the task is"), blank=True)
    level_suggested = models.CharField(
        _("suggested level"), max_length=13, choices=Bloom.choices, blank=True
    )
    level = models.CharField(
        _("level of the task"), max_length=13, choices=Bloom.choices, blank=True
    )
    # The descriptive-language check's flags when the note was last saved (capacity.rounds.language).
    flags = models.JSONField(_("words to describe instead"), default=list, blank=True)
    written_at = models.DateTimeField(_("written"))
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    revision = models.PositiveIntegerField(_("revision"), default=1)

    class Meta:
        ordering = ["visit", "classroom__position", "written_at", "pk"]
        verbose_name = _("note")
        verbose_name_plural = _("notes")

    def __str__(self) -> str:
        return str(self.client_id)


class Horizon(models.TextChoices):
    WEEK = "week", _("By next week")
    MONTH = "month", _("By next month")
    YEAR = "year", _("By the end of the year")


class NextStep(models.Model):
    """The next level of work: what the school will know and do, and when. Each becomes a plan
    strategy or a network action in one step."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="next_steps")
    horizon = models.CharField(_("when"), max_length=5, choices=Horizon.choices)
    text = models.TextField(_("what the school will know and do"))
    strategy = models.ForeignKey(
        "planning.Strategy",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="round_next_steps",
        verbose_name=_("plan strategy"),
    )
    action = models.ForeignKey(
        "NetworkAction",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="next_steps",
        verbose_name=_("network action"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["visit", "created_at", "pk"]
        verbose_name = _("next step")
        verbose_name_plural = _("next level of work")

    def __str__(self) -> str:
        return self.text[:80]


# --- lesson study ----------------------------------------------------------------------------


class LessonStudy(models.Model):
    """A team's study of one lesson over cycles of planning, teaching, critique and revision."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="lesson_studies")
    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="+")
    network = models.ForeignKey(
        Network, on_delete=models.PROTECT, null=True, blank=True, related_name="lesson_studies"
    )
    school_year = models.CharField(_("school year"), max_length=7)
    title = models.CharField(_("title"), max_length=200)
    overarching_goal = models.TextField(_("overarching goal"))
    research_question = models.TextField(_("research question"))
    grade = models.CharField(_("grade"), max_length=2, choices=Grade.choices, blank=True)
    subject = models.CharField(_("subject"), max_length=12, choices=Subject.choices, blank=True)
    goal = models.ForeignKey(
        "planning.Goal",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="lesson_studies",
        verbose_name=_("plan goal it serves"),
    )
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="lesson_studies", verbose_name=_("team")
    )
    findings = models.TextField(_("what we learned"), blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # The learning-library case study its findings became, if shared.
    case = models.ForeignKey(
        "learning.Item",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="lesson_studies",
        verbose_name=_("case study"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["-school_year", "title", "pk"]
        verbose_name = _("lesson study")
        verbose_name_plural = _("lesson studies")
        constraints = [
            models.CheckConstraint(
                condition=Q(school_year__regex=SCHOOL_YEAR), name="rounds_study_school_year"
            )
        ]

    def __str__(self) -> str:
        return self.title


class CycleStep(models.TextChoices):
    PLAN = "plan", _("Plan the lesson")
    TEACH = "teach", _("Teach and observe")
    CRITIQUE = "critique", _("Critique")
    REVISE = "revise", _("Revise")
    DONE = "done", _("Done")


class LessonCycle(models.Model):
    """One cycle of a lesson study; the next cycle teaches the revised lesson."""

    study = models.ForeignKey(LessonStudy, on_delete=models.CASCADE, related_name="cycles")
    number = models.PositiveSmallIntegerField(_("cycle"))
    step = models.CharField(
        _("step"), max_length=8, choices=CycleStep.choices, default=CycleStep.PLAN
    )
    lesson_plan = models.TextField(_("the study lesson"), blank=True)
    misconceptions = models.TextField(_("misconceptions we anticipate"), blank=True)
    taught_on = models.DateField(_("taught on"), null=True, blank=True)
    observations = models.TextField(_("what we observed"), blank=True)
    critique = models.TextField(_("critique"), blank=True)
    revisions = models.TextField(_("what we will change"), blank=True)
    visit = models.ForeignKey(
        Visit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="lesson_cycles",
        verbose_name=_("observation visit"),
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["study", "number"]
        verbose_name = _("lesson study cycle")
        verbose_name_plural = _("lesson study cycles")
        constraints = [
            models.UniqueConstraint(fields=["study", "number"], name="rounds_one_cycle_number")
        ]

    def __str__(self) -> str:
        return f"{self.study_id}:{self.number}"


# --- networks' work ------------------------------------------------------------------------


class SuggestionState(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class NetworkSuggestion(models.Model):
    """A group of schools the evidence suggests could learn together, and why."""

    school_year = models.CharField(_("school year"), max_length=7)
    schools = models.ManyToManyField(School, related_name="+", verbose_name=_("schools"))
    # Why: the shared learning needs, each school's profile, the school that beats the odds.
    explanation = models.JSONField(_("why these schools"), default=dict)
    state = models.CharField(
        _("state"), max_length=8, choices=SuggestionState.choices, default=SuggestionState.PROPOSED
    )
    reason = models.TextField(_("reason"), blank=True)
    network = models.ForeignKey(
        Network, on_delete=models.SET_NULL, null=True, blank=True, related_name="suggestions"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    created_at = models.DateTimeField(_("suggested"), auto_now_add=True)

    class Meta:
        ordering = ["-school_year", "pk"]
        verbose_name = _("network suggestion")
        verbose_name_plural = _("network suggestions")

    def __str__(self) -> str:
        return f"{self.school_year}:{self.pk}"


class Agreement(models.Model):
    """A network's working agreement: its priorities and its measures of progress. Each change is
    a new row; the latest is in force."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="agreements")
    number = models.PositiveSmallIntegerField(_("version"))
    priorities = models.TextField(_("priorities we agree on"))
    norms = models.TextField(_("how we will work together"), blank=True)
    # Measures of progress: [{"assessment": code, "group": code, "target": share or null}, ...],
    # tracked against the member schools' published results through the disclosure gate.
    measures = models.JSONField(_("measures of progress"), default=list)
    agreed_on = models.DateField(_("agreed on"))
    # The member schools that took part in agreeing this version, as its recorder says: what the
    # co-reflection's "contrived congeniality" signal reads (an agreement no member helped write).
    schools = models.ManyToManyField(
        School, blank=True, related_name="+", verbose_name=_("member schools that took part")
    )
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["network", "-number"]
        verbose_name = _("working agreement")
        verbose_name_plural = _("working agreements")
        constraints = [
            models.UniqueConstraint(fields=["network", "number"], name="rounds_agreement_number")
        ]

    def __str__(self) -> str:
        return f"{self.network_id}:{self.number}"


class Protocol(models.TextChoices):
    CO_PLAN = "co_plan", _("Co-plan")
    CO_TEACH = "co_teach", _("Co-teach")
    CO_DEBRIEF = "co_debrief", _("Co-debrief")
    CO_REFLECT = "co_reflect", _("Co-reflect")
    DONE = "done", _("Done")


class NetworkCycle(models.Model):
    """One cycle of a network's work under the four-stage protocol."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="cycles")
    number = models.PositiveSmallIntegerField(_("cycle"))
    focus = models.TextField(_("focus"))
    stage = models.CharField(
        _("stage"), max_length=10, choices=Protocol.choices, default=Protocol.CO_PLAN
    )
    co_plan = models.TextField(_("co-plan"), blank=True)
    co_teach = models.TextField(_("co-teach"), blank=True)
    co_debrief = models.TextField(_("co-debrief"), blank=True)
    co_reflect = models.TextField(_("co-reflect"), blank=True)
    # The cultures that stall collaboration, as the members answered about each in this cycle:
    # {"balkanisation": {"noticed": true, "seen": "..."}, "comfortable": {...}, "contrived": {...}}.
    cultures = models.JSONField(_("cultures noticed"), default=dict, blank=True)
    starts = models.DateField(_("starts"), null=True, blank=True)
    ends = models.DateField(_("ends"), null=True, blank=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["network", "number"]
        verbose_name = _("network cycle")
        verbose_name_plural = _("network cycles")
        constraints = [
            models.UniqueConstraint(
                fields=["network", "number"], name="rounds_network_cycle_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.network_id}:{self.number}"


class NetworkAction(models.Model):
    """Something a network will do (often a visit's next level of work)."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="actions")
    cycle = models.ForeignKey(
        NetworkCycle, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    text = models.TextField(_("action"))
    due = models.DateField(_("by"), null=True, blank=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["network", "done_at", "due", "pk"]
        verbose_name = _("network action")
        verbose_name_plural = _("network actions")

    def __str__(self) -> str:
        return self.text[:80]
