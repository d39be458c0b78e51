"""Instruments loaded from their definitions (capacity/instruments/definition.py).

The definition itself is kept as JSON: the app reads it back with
`definition.from_json`. A survey round will keep its own copy of the definition it
opened with, so loading another wording never changes a round under way.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    RATING = "rating", _("Rating scale")
    RUBRIC = "rubric", _("Rubric")
    CHECKLIST = "checklist", _("Checklist")
    PROFILE = "profile", _("Rating and class profile")
    REGISTER = "register", _("Register")
    REFERENCE = "reference", _("Reference model")


class Instrument(models.Model):
    code = models.SlugField(_("code"), max_length=60, unique=True)
    version = models.PositiveIntegerField(_("version"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name_en = models.CharField(_("name (English)"), max_length=300)
    name_fr = models.CharField(_("name (French)"), max_length=300)
    definition = models.JSONField(_("definition"))
    structure_digest = models.CharField(_("structure digest"), max_length=64)
    content_digest = models.CharField(_("content digest"), max_length=64)
    source_file = models.CharField(
        _("loaded from"), max_length=300, help_text=_("The file name the definition came from.")
    )
    shipped = models.BooleanField(
        _("shipped with Capacity"),
        default=False,
        help_text=_("False once an organisation has loaded its own wording."),
    )
    loaded_at = models.DateTimeField(_("loaded"), auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")

    def __str__(self) -> str:
        return f"{self.name_en} (v{self.version})"


class Rater(models.TextChoices):
    SELF = "self", _("Self")
    OTHERS = "others", _("Others")


class Round(models.Model):
    """One administration of an instrument to an organisation's people, between two dates.

    It keeps the definition it opened with (`definition`), so a later load of another
    wording or version never changes what its respondents answered. A round is a
    board's (its leaders, trustees and its schools' principals may be invited) or a
    school's. When others rate a leader, `subject` is that leader.
    """

    instrument = models.ForeignKey(
        Instrument, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("instrument")
    )
    definition = models.JSONField(_("definition as opened"))
    structure_digest = models.CharField(_("structure digest"), max_length=64)
    board = models.ForeignKey(
        "directory.Board",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="survey_rounds",
        verbose_name=_("board"),
    )
    school = models.ForeignKey(
        "directory.School",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="survey_rounds",
        verbose_name=_("school"),
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rated_in_rounds",
        verbose_name=_("leader rated"),
    )
    roles = models.JSONField(_("roles invited"), default=list)
    opens_on = models.DateField(_("opens"))
    closes_on = models.DateField(_("closes"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    min_respondents = models.PositiveSmallIntegerField(_("fewest respondents reported"))
    # What the round is about, by language ({"en": ..., "fr": ...}), set by whoever opens it
    # when the instrument's name alone does not say (a module evaluation names its session).
    # A plain label rather than a link to the other app: instruments sit below them.
    about = models.JSONField(_("about"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("opened by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-opens_on", "-id"]
        verbose_name = _("survey round")
        verbose_name_plural = _("survey rounds")
        constraints = [
            models.CheckConstraint(
                condition=(Q(board__isnull=False) & Q(school__isnull=True))
                | (Q(board__isnull=True) & Q(school__isnull=False)),
                name="round_is_a_boards_or_a_schools",
            ),
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")), name="round_closes_after_it_opens"
            ),
            models.CheckConstraint(
                condition=Q(min_respondents__gte=3), name="round_reports_3_or_more"
            ),
        ]

    def __str__(self) -> str:
        place = self.school if self.school_id else self.board
        return f"{self.instrument.name_en}, {place}, {self.opens_on:%Y-%m-%d}"

    def about_in(self, language: str) -> str:
        """What the round is about in `language` (else the other language's; "" when unset)."""
        about = self.about if isinstance(self.about, dict) else {}
        code = "fr" if (language or "en").startswith("fr") else "en"
        other = "en" if code == "fr" else "fr"
        return str(about.get(code) or about.get(other) or "")


class Invitation(models.Model):
    """Who may answer a round: a person with an account, or a single-use link (only its hash is kept)."""

    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("round")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="survey_invitations",
        verbose_name=_("person"),
    )
    token_hash = models.CharField(
        _("link (hashed)"), max_length=64, null=True, blank=True, unique=True
    )
    role = models.CharField(_("role"), max_length=32, blank=True)
    rater = models.CharField(_("rates"), max_length=10, choices=Rater.choices, default=Rater.SELF)
    created_at = models.DateTimeField(_("invited"), auto_now_add=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "user"],
                condition=Q(user__isnull=False),
                name="one_invitation_a_person",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | Q(token_hash__isnull=False),
                name="invitation_to_a_person_or_a_link",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round_id}: {'link' if self.user_id is None else self.user_id}"


class Response(models.Model):
    """One invitation's answers. A draft until `submitted_at`; never shown to anyone but its author.

    `answers` maps item codes (for a rubric, dimension codes) to scale points;
    `evidence` maps the same codes to the evidence the person relied on.
    """

    invitation = models.OneToOneField(
        Invitation, on_delete=models.CASCADE, related_name="response", verbose_name=_("invitation")
    )
    answers = models.JSONField(_("answers"), default=dict)
    evidence = models.JSONField(_("evidence"), default=dict, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")

    def __str__(self) -> str:  # never the answers: a response is its author's alone
        return f"response to invitation {self.invitation_id}"


class RoundAction(models.Model):
    """One of the actions a team commits to after reading a round's report, and where it went in
    the plan (a new goal, or a strategy under a goal)."""

    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="actions", verbose_name=_("round")
    )
    text = models.CharField(_("action"), max_length=500)
    goal = models.ForeignKey(
        "planning.Goal",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("goal"),
    )
    strategy = models.ForeignKey(
        "planning.Strategy",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("strategy"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("action after a report")
        verbose_name_plural = _("actions after a report")

    def __str__(self) -> str:
        return self.text


class RegisterEntry(models.Model):
    """One requirement in a leader's compliance register (the compliance-register instrument).

    The register is the leader's own: they mark each requirement A (critical to the
    students' goals: do it well) or C (the minimum will do: delegate it), name who
    does it and by when, and record when they went over the list with their supervisor.
    """

    class Category(models.TextChoices):
        A = "A", _("A: critical to the students' goals")
        C = "C", _("C: the minimum will do")

    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="register_entries",
        verbose_name=_("leader"),
    )
    requirement = models.CharField(_("requirement"), max_length=300)
    category = models.CharField(_("category"), max_length=1, choices=Category.choices)
    owner = models.CharField(_("who does it"), max_length=200, blank=True)
    due = models.DateField(_("due"), null=True, blank=True)
    delegated_to = models.CharField(
        _("delegated to"),
        max_length=200,
        blank=True,
        help_text=_("For a C item: who takes it off your plate."),
    )
    reviewed_on = models.DateField(_("reviewed with my supervisor"), null=True, blank=True)
    done = models.BooleanField(_("done"), default=False)
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        ordering = ["category", "done", "due", "id"]
        verbose_name = _("register entry")
        verbose_name_plural = _("register entries")
        constraints = [
            models.CheckConstraint(
                condition=Q(category__in=["A", "C"]), name="register_category_a_or_c"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category}: {self.requirement}"
