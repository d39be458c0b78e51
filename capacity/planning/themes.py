"""The OFIP taxonomy: five common themes, seven lessons for all schools, and the challenging
circumstances paired with school strategies (seed 000; DOMAIN.md section 2).

Pure data and pure functions (no database): the names are the seed's, the descriptions
and example strategies are our own short words. Teams and reviewers tag goals,
strategies and co-reflections with *lessons*; each lesson belongs to one theme, so
counts by theme follow from the tags without asking anyone to tag twice. The seed
restates the five themes as seven lessons; the two it adds (equity, monitoring impact)
sit under the theme whose text they restate: equity under the belief that all students
can learn, monitoring impact under connecting professional learning to student needs
(the marker students a team follows "to assess the impact of their work").
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db.models import TextChoices
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Theme:
    code: str
    number: int
    name: str | Promise
    description: str | Promise


@dataclass(frozen=True)
class Lesson:
    code: str
    theme: str  # the code of the theme it restates
    name: str | Promise
    description: str | Promise


THEMES: tuple[Theme, ...] = (
    Theme(
        "leadership",
        1,
        _("Building leadership for learning"),
        _("Leaders learn alongside staff, make time for learning and model taking risks."),
    ),
    Theme(
        "belief",
        2,
        _(
            "Holding the belief that all students can learn and acquiring a deep understanding "
            "of student learning needs"
        ),
        _(
            "High expectations built on students' strengths; diagnostic, classroom and "
            "pedagogical documentation read closely."
        ),
    ),
    Theme(
        "relationships",
        3,
        _("Building inclusive, collaborative relationships and committing to a collective goal"),
        _("Staff, students and families work together towards goals they share."),
    ),
    Theme(
        "programs",
        4,
        _(
            "Focusing on effective literacy and mathematics programs, including the teaching "
            "of higher-order thinking and problem-solving skills"
        ),
        _("Content knowledge, classroom talk and knowledge of students, turned into practice."),
    ),
    Theme(
        "professional_learning",
        5,
        _(
            "Connecting professional learning needs to student learning needs at the classroom level"
        ),
        _("Reflective practice as a team; some teams follow marker students to see the impact."),
    ),
)
THEMES_BY_CODE = {t.code: t for t in THEMES}

LESSONS: tuple[Lesson, ...] = (
    Lesson(
        "equity",
        "belief",
        _("Ensure equity as the foundation for excellence"),
        _("Every student can reach their potential given rich learning, time and support."),
    ),
    Lesson(
        "leadership",
        "leadership",
        _("Build leadership for learning"),
        _("Leaders set the conditions that deepen learning and shared responsibility."),
    ),
    Lesson(
        "learning_needs",
        "belief",
        _("Understand student learning needs"),
        _("Knowing what students need lets educators refine how they respond."),
    ),
    Lesson(
        "relationships",
        "relationships",
        _("Build relationships and work towards a collective goal"),
        _("Ties with families and communities deepen what educators know of their students."),
    ),
    Lesson(
        "literacy_mathematics",
        "programs",
        _("Focus on effective literacy and mathematics programs"),
        _("Deeper content knowledge and pedagogy, including differentiated instruction."),
    ),
    Lesson(
        "professional_learning",
        "professional_learning",
        _("Connect professional learning needs to student learning needs"),
        _("Group norms and conversation protocols support reflective practice."),
    ),
    Lesson(
        "monitor_impact",
        "professional_learning",
        _("Monitor impact"),
        _("A wide range of assessments, from EQAO results to pedagogical documentation."),
    ),
)
LESSONS_BY_CODE = {lesson.code: lesson for lesson in LESSONS}
LESSON_CHOICES = [(lesson.code, lesson.name) for lesson in LESSONS]


class LessonChoice(TextChoices):
    """The lessons as choices, for code that reads a stored list (a plan's history)."""

    EQUITY = "equity", LESSONS[0].name
    LEADERSHIP = "leadership", LESSONS[1].name
    LEARNING_NEEDS = "learning_needs", LESSONS[2].name
    RELATIONSHIPS = "relationships", LESSONS[3].name
    LITERACY_MATHEMATICS = "literacy_mathematics", LESSONS[4].name
    PROFESSIONAL_LEARNING = "professional_learning", LESSONS[5].name
    MONITOR_IMPACT = "monitor_impact", LESSONS[6].name


def unknown_lessons(codes: Iterable[str]) -> list[str]:
    return [code for code in codes if code not in LESSONS_BY_CODE]


def themes_of(lessons: Iterable[str]) -> list[str]:
    """The themes a set of lesson tags falls under, in the themes' order."""
    found = {LESSONS_BY_CODE[code].theme for code in lessons if code in LESSONS_BY_CODE}
    return [t.code for t in THEMES if t.code in found]


# --- challenging circumstances and school strategies -------------------------------------

RESOURCES = "resources"
SOCIAL_EXCLUSION = "social_exclusion"
SOCIAL_CAPITAL = "social_capital"


@dataclass(frozen=True)
class Circumstance:
    code: str
    name: str | Promise
    meaning: str | Promise
    # The school context indicators (directory.SchoolContext fields) that point to it.
    indicators: tuple[str, ...]
    strategies: tuple[str | Promise, ...]


CIRCUMSTANCES: tuple[Circumstance, ...] = (
    Circumstance(
        RESOURCES,
        _("Lack of resources"),
        _("Families lack the resources for an adequate standard of living."),
        ("pct_low_income",),
        (
            _("Run a breakfast program"),
            _("Run a snack program"),
            _("Open a clothes depot in the school"),
            _("Improve the school's physical environment"),
        ),
    ),
    Circumstance(
        SOCIAL_EXCLUSION,
        _("Issues of social exclusion"),
        _("Students feel pushed to the margins by poverty and its stigma."),
        ("pct_low_income", "pct_new_to_canada"),
        (
            _("Build an inclusive school culture, for example with restorative justice practices"),
            _("Offer professional learning about culturally responsive pedagogy"),
            _("Make extra-curricular activities open to every student"),
        ),
    ),
    Circumstance(
        SOCIAL_CAPITAL,
        _("Lack of social capital"),
        _(
            "Families have few of the assets, choices, security and power that open the way to "
            "education and health."
        ),
        ("pct_parents_no_degree",),
        (
            _("Offer after-school tutoring"),
            _("Offer sports, music and drama after school so every student has the chance"),
            _("Connect students with interdisciplinary support teams"),
        ),
    ),
)
CIRCUMSTANCES_BY_CODE = {c.code: c for c in CIRCUMSTANCES}

# How a suggestion names the indicators it read.
INDICATOR_NAMES: dict[str, str | Promise] = {
    "pct_low_income": _("Children from low-income households"),
    "pct_new_to_canada": _("Students new to Canada from a country of another language"),
    "pct_parents_no_degree": _("Students whose parents have no post-secondary education"),
}
CIRCUMSTANCE_CHOICES = [(c.code, c.name) for c in CIRCUMSTANCES]

# A circumstance is suggested when one of its indicators is at or above the line where the
# province's top quarter of schools starts (the 75th percentile of that year's contexts).
TOP_SHARE = 0.75


def top_quarter_lines(values: Mapping[str, Iterable[float | None]]) -> dict[str, float]:
    """For each indicator, the value where the top quarter of schools starts (nearest rank).

    >>> top_quarter_lines({"pct_low_income": [10, 20, 30, 40]})
    {'pct_low_income': 30}
    """
    lines: dict[str, float] = {}
    for name, column in values.items():
        known = sorted(v for v in column if v is not None)
        if known:
            lines[name] = known[max(0, math.ceil(len(known) * TOP_SHARE) - 1)]
    return lines


@dataclass(frozen=True)
class Reason:
    indicator: str  # a SchoolContext field
    value: float  # the school's share (%)
    line: float  # where the province's top quarter starts (%)


@dataclass(frozen=True)
class Suggestion:
    circumstance: Circumstance
    reasons: tuple[Reason, ...]


def suggest_circumstances(
    context: Mapping[str, float | None], lines: Mapping[str, float]
) -> list[Suggestion]:
    """The circumstances a school's context points to, each with the indicators that say why.

    `context` maps indicator names to the school's shares (None when unknown); `lines` the
    province's top-quarter lines. An unknown share suggests nothing (it is never guessed).

    >>> [s.circumstance.code for s in suggest_circumstances(
    ...     {"pct_low_income": 35.0, "pct_parents_no_degree": 5.0},
    ...     {"pct_low_income": 20.0, "pct_parents_no_degree": 30.0})]
    ['resources', 'social_exclusion']
    """
    found: list[Suggestion] = []
    for circumstance in CIRCUMSTANCES:
        reasons = tuple(
            Reason(name, float(value), float(lines[name]))
            for name in circumstance.indicators
            if (value := context.get(name)) is not None and name in lines and value >= lines[name]
        )
        if reasons:
            found.append(Suggestion(circumstance, reasons))
    return found


# --- emergent themes -------------------------------------------------------------------------

# A lesson is rising when the share of plans naming it grew by at least this many points
# since the year before, and by at least two plans (one plan more is noise in a small board).
RISE_POINTS = 5.0
RISE_PLANS = 2


@dataclass(frozen=True)
class Rise:
    code: str
    before: int
    now: int
    share_before: float  # % of that year's plans
    share_now: float


def rising(
    before: Mapping[str, int], now: Mapping[str, int], plans_before: int, plans_now: int
) -> list[Rise]:
    """Lessons (or themes) whose share of plans rose from one year to the next, biggest rise first.

    >>> [r.code for r in rising({"equity": 1}, {"equity": 4, "leadership": 1}, 10, 10)]
    ['equity']
    """
    if not plans_now:
        return []
    out: list[Rise] = []
    for code in sorted(set(before) | set(now)):
        b, n = before.get(code, 0), now.get(code, 0)
        share_b = 100.0 * b / plans_before if plans_before else 0.0
        share_n = 100.0 * n / plans_now
        if n - b >= RISE_PLANS and share_n - share_b >= RISE_POINTS:
            out.append(Rise(code, b, n, round(share_b, 1), round(share_n, 1)))
    return sorted(out, key=lambda r: (-(r.share_now - r.share_before), r.code))
