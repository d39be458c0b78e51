"""The organisation tree (province > board > school), networks, people and their roles."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from capacity.imports.patterns import BOARD_NUMBER_PATTERN, school_number_problem, school_number_re
from capacity.schoolnumbers import MAX_LENGTH as SCHOOL_NUMBER_MAX_LENGTH
from capacity.schoolyears import is_school_year


def validate_school_number(value: str) -> None:
    """A school number follows the configured scheme (CAPACITY_SCHOOL_NUMBER_PATTERN; Ontario's by default).

    A function, so migrations name it rather than freeze today's pattern.
    """
    if not school_number_re().match(value):
        raise ValidationError(school_number_problem(value), code="invalid")


def validate_school_year(value: str) -> None:
    """A school year is written like 2017-18, the second year following the first (capacity/schoolyears.py)."""
    if not is_school_year(value):
        raise ValidationError(
            _("%(value)s is not a school year like 2017-18."), params={"value": value}
        )


class Language(models.TextChoices):
    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")


class Province(models.Model):
    code = models.CharField(_("code"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    def __str__(self) -> str:
        return self.name


class Board(models.Model):
    class Type(models.TextChoices):
        PUBLIC = "public", _("Public")
        CATHOLIC = "catholic", _("Catholic")
        SCHOOL_AUTHORITY = "authority", _("School authority")
        PROVINCIAL = "provincial", _("Provincial or hospital school")

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="boards")
    number = models.CharField(
        _("board number"),
        max_length=10,
        unique=True,
        validators=[
            RegexValidator(BOARD_NUMBER_PATTERN, _("A board number is B followed by five digits."))
        ],
    )
    name = models.CharField(_("name"), max_length=200)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    board_type = models.CharField(_("type"), max_length=12, choices=Type.choices)
    region = models.CharField(_("region"), max_length=100, blank=True)
    website = models.CharField(_("website"), max_length=300, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("school board")
        verbose_name_plural = _("school boards")

    def __str__(self) -> str:
        return f"{self.name} ({self.number})"


class School(models.Model):
    class Level(models.TextChoices):
        ELEMENTARY = "elementary", _("Elementary")
        SECONDARY = "secondary", _("Secondary")

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="schools")
    number = models.CharField(
        _("school number"),
        max_length=SCHOOL_NUMBER_MAX_LENGTH,
        unique=True,
        validators=[validate_school_number],
    )
    name = models.CharField(_("name"), max_length=200)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    school_type = models.CharField(_("type"), max_length=40, blank=True)
    special_condition = models.CharField(_("special condition"), max_length=60, blank=True)
    grade_range = models.CharField(_("grade range"), max_length=20, blank=True)
    street = models.CharField(_("street"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    website = models.CharField(_("website"), max_length=300, blank=True)
    latitude = models.FloatField(
        _("latitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.FloatField(
        _("longitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    enrolment = models.PositiveIntegerField(_("enrolment"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        indexes = [models.Index(fields=["board", "level", "language"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.number})"


CONTEXT_INDICATORS = (
    "pct_low_income",
    "pct_language_learners",
    "pct_special_education",
    "pct_parents_no_degree",
    "pct_first_language_not_english",
    "pct_first_language_not_french",
    "pct_new_to_canada",
    "pct_gifted",
)


class SchoolContext(models.Model):
    """One school's context indicators for one school year.

    Percentages are of the school's students (or, for low income, of
    school-aged children in the school's area). A missing value carries its
    reason in `statuses`: "sp" (suppressed by the publisher to protect small
    groups), "na" (not applicable or not collected).
    """

    class Status(models.TextChoices):
        SUPPRESSED = "sp", _("Suppressed to protect privacy")
        NOT_APPLICABLE = "na", _("Not applicable or not available")

    INDICATORS = CONTEXT_INDICATORS

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="contexts")
    school_year = models.CharField(
        _("school year"), max_length=7, validators=[validate_school_year]
    )
    enrolment = models.PositiveIntegerField(_("enrolment"), null=True, blank=True)
    pct_low_income = models.FloatField(_("low-income households (%)"), null=True, blank=True)
    pct_language_learners = models.FloatField(
        _("first language is not the language of instruction (%)"), null=True, blank=True
    )
    pct_special_education = models.FloatField(
        _("receiving special education (%)"), null=True, blank=True
    )
    pct_parents_no_degree = models.FloatField(
        _("parents without post-secondary education (%)"), null=True, blank=True
    )
    pct_first_language_not_english = models.FloatField(
        _("first language not English (%)"), null=True, blank=True
    )
    pct_first_language_not_french = models.FloatField(
        _("first language not French (%)"), null=True, blank=True
    )
    pct_new_to_canada = models.FloatField(
        _("new to Canada from a country of another language (%)"), null=True, blank=True
    )
    pct_gifted = models.FloatField(_("identified as gifted (%)"), null=True, blank=True)
    statuses = models.JSONField(_("reasons for missing values"), default=dict, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        ordering = ["school", "-school_year"]
        verbose_name = _("school context")
        verbose_name_plural = _("school contexts")
        constraints = [
            models.UniqueConstraint(
                fields=["school", "school_year"], name="context_one_per_school_year"
            ),
        ] + [
            models.CheckConstraint(
                condition=Q(**{f"{field}__isnull": True})
                | Q(**{f"{field}__gte": 0, f"{field}__lte": 100}),
                name=f"context_{field}_is_percentage",
            )
            for field in CONTEXT_INDICATORS
        ]

    def __str__(self) -> str:
        return f"{self.school} {self.school_year}"

    @classmethod
    def indicator_label(cls, field: str) -> str:
        model_field = cls._meta.get_field(field)
        assert isinstance(model_field, models.Field)
        return str(model_field.verbose_name)

    def indicator(self, field: str) -> tuple[float | None, str]:
        """The value and, when it is missing, why."""
        value = getattr(self, field)
        return value, "" if value is not None else self.statuses.get(
            field, self.Status.NOT_APPLICABLE
        )


class Network(models.Model):
    """A learning network: schools, possibly across boards, joined by a shared purpose."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    purpose = models.TextField(_("purpose"), blank=True)
    schools = models.ManyToManyField(
        School, related_name="networks", blank=True, verbose_name=_("schools")
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("learning network")
        verbose_name_plural = _("learning networks")

    def __str__(self) -> str:
        return self.name


class Portfolio(models.Model):
    """The part of the organisation one person looks after within their role.

    A superintendent's family of schools (`board` set: schools of the board the holder leads) or a
    ministry officer's boards (`board` empty). A portfolio grants nothing: the role grants access
    (directory.access); the portfolio says which schools or boards come first on the person's home
    page and dashboards, and who hears about them. It counts only while the holder still holds
    the role it belongs to.
    """

    holder = models.ForeignKey(
        "User", on_delete=models.CASCADE, related_name="portfolios", verbose_name=_("held by")
    )
    board = models.ForeignKey(
        Board,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="families",
        verbose_name=_("board"),
        help_text=_("For a family of schools: the board the schools belong to."),
    )
    name = models.CharField(_("name"), max_length=100)
    schools = models.ManyToManyField(
        School, related_name="portfolios", blank=True, verbose_name=_("schools")
    )
    boards = models.ManyToManyField(
        Board, related_name="ministry_portfolios", blank=True, verbose_name=_("boards")
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("portfolio")
        verbose_name_plural = _("portfolios")
        constraints = [
            models.UniqueConstraint(
                fields=["holder", "board"],
                condition=Q(board__isnull=False),
                name="portfolio_one_family_per_board_and_holder",
            ),
            models.UniqueConstraint(
                fields=["holder"],
                condition=Q(board__isnull=True),
                name="portfolio_one_set_of_boards_per_holder",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_family(self) -> bool:
        return self.board_id is not None


class User(AbstractUser):
    """A person who signs in. Students and parents are never accounts."""

    display_name = models.CharField(_("name"), max_length=200, blank=True)
    source_id = models.CharField(
        _("identifier in the source system"),
        max_length=200,
        blank=True,
        help_text=_("For example the OneRoster sourcedId the person was imported with."),
    )

    class Meta(AbstractUser.Meta):  # type: ignore[name-defined]
        swappable = "AUTH_USER_MODEL"

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username


class Role(models.TextChoices):
    MINISTRY_OFFICER = "ministry_officer", _("Ministry officer")
    BOARD_LEADER = "board_leader", _("Board leader")
    TRUSTEE = "trustee", _("Trustee")
    PRINCIPAL = "principal", _("Principal")
    SCHOOL_TEAM = "school_team", _("School team member")
    TEACHER = "teacher", _("Teacher")
    NETWORK_FACILITATOR = "network_facilitator", _("Network facilitator")


# Which level of the tree each role is held at.
ROLE_LEVEL: dict[str, str] = {
    Role.MINISTRY_OFFICER: "province",
    Role.BOARD_LEADER: "board",
    Role.TRUSTEE: "board",
    Role.PRINCIPAL: "school",
    Role.SCHOOL_TEAM: "school",
    Role.TEACHER: "school",
    Role.NETWORK_FACILITATOR: "network",
}
LEVELS = ("province", "board", "school", "network")


def _role_check() -> Q:
    condition = Q()
    for level in LEVELS:
        roles = [role for role, at in ROLE_LEVEL.items() if at == level]
        exact = Q(role__in=roles, **{f"{level}__isnull": False}) & Q(
            **{f"{other}__isnull": True for other in LEVELS if other != level}
        )
        condition |= exact
    return condition


class MembershipQuerySet(models.QuerySet["Membership"]):
    def in_force(self, day: datetime.date | None = None) -> MembershipQuerySet:
        """Roles in force on `day` (today by default): a role outside its dates gives no scope."""
        day = day or timezone.localdate()
        return self.filter(
            Q(begins__isnull=True) | Q(begins__lte=day), Q(ends__isnull=True) | Q(ends__gte=day)
        )


class Membership(models.Model):
    """A role a person holds in one organisation. Scope flows down the tree from it.

    A role read from a roster keeps the roster's identifier for it (`source_id`,
    OneRoster's role sourcedId) so a later delta can end it, and its dates: it
    gives scope from `begins` to `ends`, both included; no date means no limit.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=24, choices=Role.choices)
    title = models.CharField(
        _("title"), max_length=100, blank=True, help_text=_("For example Director of Education.")
    )
    province = models.ForeignKey(Province, on_delete=models.CASCADE, null=True, blank=True)
    board = models.ForeignKey(Board, on_delete=models.CASCADE, null=True, blank=True)
    school = models.ForeignKey(School, on_delete=models.CASCADE, null=True, blank=True)
    network = models.ForeignKey(Network, on_delete=models.CASCADE, null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    source_id = models.CharField(
        _("identifier in the source system"),
        max_length=200,
        blank=True,
        help_text=_(
            "For example the OneRoster sourcedId of the role; blank for roles granted in Capacity."
        ),
    )
    begins = models.DateField(_("begins"), null=True, blank=True)
    ends = models.DateField(_("ends"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(condition=_role_check(), name="membership_role_matches_level"),
            models.CheckConstraint(
                condition=Q(begins__isnull=True)
                | Q(ends__isnull=True)
                | Q(ends__gte=models.F("begins")),
                name="membership_ends_after_it_begins",
            ),
        ] + [
            models.UniqueConstraint(
                fields=["user", "role", level],
                condition=Q(**{f"{level}__isnull": False}),
                name=f"membership_unique_in_{level}",
            )
            for level in LEVELS
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_role_display()} — {self.organisation}"

    @property
    def level(self) -> str:
        return ROLE_LEVEL[self.role]

    @property
    def organisation(self) -> Province | Board | School | Network | None:
        return getattr(self, ROLE_LEVEL[self.role], None) if self.role in ROLE_LEVEL else None

    def clean(self) -> None:
        level = ROLE_LEVEL.get(self.role)
        if level is None:
            return
        if getattr(self, f"{level}_id") is None:
            raise ValidationError({level: _("Choose the organisation this role is held in.")})
        for other in LEVELS:
            if other != level and getattr(self, f"{other}_id") is not None:
                raise ValidationError({other: _("This role is not held at this level.")})


class ApiToken(models.Model):
    """A token a data team uses to call the API as a person. Only its hash is kept.

    Every token expires (`CAPACITY_API_TOKEN_DAYS`, 90 by default), so a key
    forgotten in a script stops working on its own; revoking deletes the row
    (the audit log keeps who made and who revoked it).
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=12, db_index=True)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    expires = models.DateTimeField(_("expires"), db_index=True)
    last_used = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        ordering = ["user__username", "-created", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.user}: {self.name} ({self.prefix}…)"

    @property
    def expired(self) -> bool:
        return self.expires <= timezone.now()
