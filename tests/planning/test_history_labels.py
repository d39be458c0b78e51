"""A plan's history reads in words in both languages, and a save that only reorders a list records nothing."""

from __future__ import annotations

import datetime
import html
import re

import pytest
from django.test import Client
from django.utils import formats, translation

from capacity.evidence.models import Assessment
from capacity.evidence.services import assessments_ensure
from capacity.planning import history, services
from capacity.planning.models import Plan, PlanChange, Review, Stage

# Codes the services store in PlanChange rows that must never reach the page.
RAW = (
    "plan_created",
    "goal_added",
    "target_added",
    "strategy_added",
    "strategy_changed",
    "checkpoint_added",
    "stage_moved",
    "submitted",
    "returned",
    "accepted",
    "task_done",
    "collaborative_work",
    "capacity_building",
    "well_being",
    "overall_impact",
    "evidence_gathered",
    "['",
    "2019-01-31",
    "2019-02-28",
)


def client_for(user, language: str = "en") -> Client:
    client = Client(headers={"accept-language": language})
    client.force_login(user)
    return client


def _day(language: str, year: int, month: int, day: int) -> str:
    """A date as the app writes it in `language` (its one date style)."""
    with translation.override(language):
        return formats.date_format(datetime.date(year, month, day), "DATE_FORMAT")


def _history_text(client: Client, plan: Plan) -> str:
    """The text of the history's table of changes, tags removed and entities read."""
    page = client.get(f"/plans/{plan.pk}/history/").content.decode()
    table = page[page.rindex("<table") :]
    return html.unescape(re.sub(r"<[^>]+>", " ", table))


@pytest.fixture
def lived(world) -> Plan:
    """A plan with every kind of part, returned, resubmitted, accepted and moved on."""
    assessments_ensure()
    principal, board = world.personas["principal_a1"], world.personas["board_a"]
    plan = services.plan_create(user=principal, school=world.school_a1, school_year="2018-19")
    goal = services.goal_add(
        plan=plan,
        user=principal,
        seen=plan.version,
        statement="Reading for meaning",
        area="well_being",
        focus="group",
        group="ell",
    )
    services.target_add(
        goal=goal,
        user=principal,
        seen=plan.version,
        measure="assessment",
        assessment=Assessment.objects.get(code="G3-READ"),
        group="all",
        target_value=62.5,
        target_year="2019-20",
    )
    strategy = services.strategy_add(
        goal=goal,
        user=principal,
        seen=plan.version,
        action="Guided reading",
        responsible="Primary team",
        drivers=["pedagogy", "collaborative_work"],
    )
    services.item_update(
        item=strategy,
        user=principal,
        seen=plan.version,
        drivers=["capacity_building", "pedagogy"],
        starts=datetime.date(2019, 1, 31),
    )
    services.checkpoint_add(
        plan=plan, user=principal, seen=plan.version, due=datetime.date(2019, 2, 28), title="Check"
    )
    services.task_check(plan=plan, user=principal, task="plan.data")
    services.plan_submit(plan=plan, user=principal, seen=plan.version)
    services.plan_decide(
        plan=plan, user=board, accept=False, comments="Say how", **services.review_basis(plan)
    )
    services.plan_submit(plan=plan, user=principal, seen=plan.version)
    services.plan_decide(plan=plan, user=board, accept=True, **services.review_basis(plan))
    services.plan_stage_move(plan=plan, user=principal, seen=plan.version, to=Stage.ACT)
    services.plan_update(
        plan=plan, user=principal, seen=plan.version, overall_impact="Reading rose"
    )
    return plan


@pytest.mark.parametrize("language", ["en", "fr"])
def test_it_shows_history_in_words_never_raw_codes_or_python_lists(world, lived, language) -> None:
    text = _history_text(client_for(world.personas["principal_a1"], language), lived)
    for code in RAW:
        assert code not in text, f"{code!r} on the {language} history page"
    words = {
        "en": (
            "Moved to another stage",
            "Stage: “Plan” → “Act”",
            "Drivers: “Pedagogy, Collaborative work” → “Capacity building, Pedagogy”",
            f"Starts: “(empty)” → “{_day('en', 2019, 1, 31)}”",
            "Area: “Literacy” → “Well-being”",
            "Review: “Submitted for review” → “Returned with comments”",
            "Task checked off: Review and analyse all the assessment evidence together",
            "Target (%): “(empty)” → “62.5”",
        ),
        "fr": (
            "Étape : « Planifier » → « Agir »",
            "Leviers : « Pédagogie, Travail collaboratif » → « Renforcement des capacités, Pédagogie »",
            _day("fr", 2019, 1, 31),
            "62,5",
        ),
    }[language]
    for expected in words:
        assert expected in text, f"{expected!r} missing from the {language} history"


@pytest.mark.parametrize("language", ["en", "fr"])
def test_it_reads_rows_stored_before_the_labels_from_the_field_definitions(world, language) -> None:
    principal = world.personas["principal_a1"]
    plan = services.plan_create(user=principal, school=world.school_a1, school_year="2018-19")
    # Rows as older code left them: codes, a list written out as Python text, ISO dates.
    PlanChange.objects.create(
        plan=plan,
        by=principal,
        action="strategy_changed",
        item="Guided reading",
        fields={
            "drivers": ["['technology', 'pedagogy']", ["pedagogy"]],
            "ends": ["2019-01-31", None],
        },
        version=2,
    )
    PlanChange.objects.create(
        plan=plan,
        by=principal,
        action="checkpoint_added",
        item="2019-02-28: Look at student work",
        fields={"due": [None, "2019-02-28"]},
        version=3,
    )
    PlanChange.objects.create(
        plan=plan, by=principal, action="stage_moved", item=str(plan),
        fields={"stage": ["plan", "act"]}, version=4,
    )  # fmt: skip
    text = _history_text(client_for(principal, language), plan)
    for code in RAW:
        assert code not in text, f"{code!r} on the {language} history page"
    expected = (
        {"en": "Technology, Pedagogy", "fr": "Technologie, Pédagogie"}[language],
        _day(language, 2019, 1, 31),
        f"{_day(language, 2019, 2, 28)}: Look at student work",
    )
    for words in expected:
        assert words in text, f"{words!r} missing from the {language} history"


def test_it_never_shows_an_unknown_action_as_its_code(world) -> None:
    principal = world.personas["principal_a1"]
    plan = services.plan_create(user=principal, school=world.school_a1, school_year="2018-19")
    row = PlanChange(plan=plan, by=principal, action="something_new", version=1)
    with translation.override("en"):
        (described,) = history.describe([row], plan)
    assert described.what == "Change"


def test_it_records_no_change_when_a_save_only_reorders_the_drivers(world) -> None:
    principal = world.personas["principal_a1"]
    plan = services.plan_create(user=principal, school=world.school_a1, school_year="2018-19")
    goal = services.goal_add(plan=plan, user=principal, seen=plan.version, statement="Reading")
    strategy = services.strategy_add(
        goal=goal,
        user=principal,
        seen=plan.version,
        action="Guided reading",
        responsible="Primary team",
        drivers=["pedagogy", "collaborative_work"],
    )
    plan.refresh_from_db()
    changes, version = PlanChange.objects.filter(plan=plan).count(), plan.version
    # Through the page's form, which posts the boxes in the order it lists them.
    response = client_for(principal).post(
        f"/plans/{plan.pk}/strategy/{strategy.pk}/",
        {
            "version": plan.version,
            "action": "Guided reading",
            "responsible": "Primary team",
            "drivers": ["collaborative_work", "pedagogy"],
        },
    )
    assert response.status_code == 302
    # And through the service, as the API calls it.
    services.item_update(
        item=strategy, user=principal, seen=plan.version, drivers=["collaborative_work", "pedagogy"]
    )
    plan.refresh_from_db()
    assert PlanChange.objects.filter(plan=plan).count() == changes
    assert plan.version == version
    # A real change of drivers is still recorded.
    services.item_update(item=strategy, user=principal, seen=plan.version, drivers=["pedagogy"])
    assert PlanChange.objects.filter(plan=plan).count() == changes + 1


def test_a_returned_plan_shows_its_review_in_words_on_the_history_page(world, lived) -> None:
    lived.refresh_from_db()
    assert (lived.stage, lived.review) == (Stage.ACT, Review.ACCEPTED)
    text = _history_text(client_for(world.personas["board_a"]), lived)
    assert "Returned to the team with comments" in text
    assert "Reviewer's comments: “(empty)” → “Say how”" in text


def test_a_task_checked_by_a_french_reader_reads_in_english_for_an_english_reader() -> None:
    """The row keeps the task's text in the language of whoever checked it; the page shows it in
    the reader's (the override used to find it was still active when it was read back)."""
    from django.utils import translation

    from capacity.planning.cycle import TASKS_BY_CODE
    from capacity.planning.history import _task_text

    with translation.override("fr"):
        stored = str(TASKS_BY_CODE["plan.data"].text)
    assert stored != "Review and analyse all the assessment evidence together"
    with translation.override("en"):
        assert _task_text(stored) == "Review and analyse all the assessment evidence together"
