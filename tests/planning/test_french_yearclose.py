"""Every year-close page in French shows no English from the catalogue and no raw code (the check
of tests/test_no_raw_codes.py, on the part's rows, with decisions, log entries and documentation
to show), at Reflect and once the year is closed."""

from __future__ import annotations

import pytest
from django.conf import settings

from capacity.planning import services
from capacity.planning.models import CarryDecision, Stage
from tests.planning import authz_yearclose
from tests.planning.yearclose_kit import decide_all
from tests.planning.yearclose_world import goals, item, note, reflect_plan
from tests.test_no_raw_codes import forbidden_codes, problems_in, untranslated_msgids


def french_pages(client, world, persona: str, extra: list[tuple[str, str]]) -> list[str]:
    client.force_login(world.personas[persona])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    msgids, codes = untranslated_msgids(), forbidden_codes()
    pages = [
        (label, build(world))
        for name, label, build, statuses in authz_yearclose.READS
        if statuses.get(persona) == 200 and not name.endswith("_file")
    ] + extra
    failures = []
    for label, path in pages:
        response = client.get(path, HTTP_ACCEPT_LANGUAGE="fr")
        assert response.status_code == 200, path
        if "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        assert 'lang="fr"' in html, path
        failures += [f"{label} ({path}): {p}" for p in problems_in(html, msgids, codes)]
    return failures


@pytest.mark.parametrize("persona", ["ministry", "board_a", "principal_a1", "team_a1"])
def test_the_year_close_pages_are_all_french(client, world, settings, tmp_path, persona) -> None:
    settings.MEDIA_ROOT = tmp_path
    plan = reflect_plan(world)
    decide_all(plan, world.personas["principal_a1"], decision=CarryDecision.CARRY)
    goal_carry_refine(world, plan)
    note(world)
    item(world)
    extra = [("the plan page", f"/plans/{plan.pk}/"), ("the home page", "/")]
    assert not french_pages(client, world, persona, extra)


def test_a_closed_year_and_next_years_plan_are_all_french(client, world) -> None:
    plan = reflect_plan(world)
    decide_all(plan, world.personas["principal_a1"], decision=CarryDecision.STOP)
    goal_carry_refine(world, plan)
    plan.refresh_from_db()
    successor = services.plan_stage_move(
        plan=plan, user=world.personas["principal_a1"], seen=plan.version, to=Stage.CLOSED
    )
    extra = [
        ("the closed plan", f"/plans/{plan.pk}/"),
        ("next year's plan", f"/plans/{successor.pk}/"),
        ("next year's year-close page", f"/plans/{successor.pk}/year-close/"),
    ]
    assert not french_pages(client, world, "board_a", extra)


def goal_carry_refine(world, plan) -> None:
    from capacity.planning.services_yearclose import goal_carry_decide

    plan.refresh_from_db()
    goal_carry_decide(
        plan=plan,
        goal=goals(plan)[0],
        user=world.personas["team_a1"],
        seen=plan.version,
        decision=CarryDecision.REFINE,
        statement="Les élèves expliquent et justifient",
        why="La discussion a progressé",
    )
