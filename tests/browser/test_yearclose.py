"""Year close on a 390 px phone, in a real browser, with axe on every page.

A1's principal follows the home item to the year-close page, refines one goal (a refinement
without wording is refused on its field first) and stops the other; the close form on the plan
page then has nothing left to name. The school team writes in the marker-student log and keeps a
piece of documentation; board A's leader reads the decisions in French. No page scrolls sideways
and axe finds nothing.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from capacity.planning.models import CarryDecision, Documentation, GoalCarry, MarkerNote
from tests.browser.phone import fits, sign_in
from tests.planning.yearclose_world import goals, reflect_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def checked(page: Page, axe_check) -> None:
    fits(page)
    axe_check(page)


def test_a_team_decides_its_goals_and_keeps_its_records_on_a_phone(
    browser, live_server, world, axe_check, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    plan = reflect_plan(world)
    first, second = goals(plan)

    principal = sign_in(browser, live_server, "principal_a1")
    principal.get_by_role("link", name="decide 2 goals for next year").click()
    principal.wait_for_url(f"{live_server.url}/plans/{plan.pk}/year-close/")
    expect(principal.get_by_text("Are we focusing on the right inch?")).to_be_visible()
    checked(principal, axe_check)

    goal_1 = principal.get_by_role("form", name="Decide goal 1")
    goal_1.get_by_label("Carry forward, refined").check()
    goal_1.get_by_label("Why").fill("Talk moved; justifying is the next inch")
    goal_1.get_by_role("button", name="Record the decision").click()
    expect(principal.get_by_text("Write the goal as it will read next year.")).to_be_visible()
    checked(principal, axe_check)
    goal_1 = principal.get_by_role("form", name="Decide goal 1")
    goal_1.get_by_label("The goal as it will read next year").fill("Students explain and justify")
    goal_1.get_by_role("button", name="Record the decision").click()
    expect(principal.get_by_text("1 goal has no decision yet")).to_be_visible()

    goal_2 = principal.get_by_role("form", name="Decide goal 2")
    goal_2.get_by_label("Do not carry forward").check()
    goal_2.get_by_label("Why").fill("Writing met its target")
    goal_2.get_by_role("button", name="Record the decision").click()
    expect(principal.get_by_text("Every goal has a decision")).to_be_visible()
    checked(principal, axe_check)
    assert {(d.goal_id, d.decision) for d in GoalCarry.objects.all()} == {
        (first.pk, CarryDecision.REFINE),
        (second.pk, CarryDecision.STOP),
    }

    principal.goto(f"{live_server.url}/plans/{plan.pk}/marker-log/")
    checked(principal, axe_check)
    principal.get_by_label("Marker code", exact=True).fill("M-07")
    principal.get_by_label("What we saw", exact=True).fill("Explained a strategy to a partner")
    principal.get_by_role("button", name="Add to the log").click()
    expect(principal.get_by_role("heading", name="M-07")).to_be_visible()
    checked(principal, axe_check)
    assert MarkerNote.objects.get().code == "M-07"

    principal.goto(f"{live_server.url}/plans/{plan.pk}/documentation/")
    principal.get_by_label("What it shows", exact=True).fill("Anchor chart")
    principal.get_by_label("File", exact=True).set_input_files(
        files=[{"name": "chart.txt", "mimeType": "text/plain", "buffer": b"no student shown"}]
    )
    principal.get_by_label("No student can be identified in it").check()
    principal.get_by_role("button", name="Add the documentation").click()
    expect(principal.get_by_role("link", name="Download chart.txt")).to_be_visible()
    checked(principal, axe_check)
    assert Documentation.objects.get().title == "Anchor chart"
    principal.context.close()

    french = sign_in(browser, live_server, "board_a", locale="fr-CA")
    french.goto(f"{live_server.url}/plans/{plan.pk}/year-close/")
    expect(french.get_by_role("heading", level=1)).to_contain_text("Fin d’année")
    expect(french.get_by_text("Students explain and justify")).to_be_visible()
    checked(french, axe_check)
    french.context.close()


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("persona", ["board_a", "principal_a1"])
def test_every_yearclose_page_passes_axe_and_fits_a_phone(
    browser, live_server, world, settings, tmp_path, persona: str, language: str
) -> None:
    """The part's own rows of tests/browser/test_every_page.py, with decisions, entries and
    documentation to show: 1280 and 390 px, axe, no sideways scrolling, the CSP."""
    from django.conf import settings as django_settings

    from tests.browser.test_every_page import NOT_PAGES, VIEWPORTS, findings_on
    from tests.conftest import PASSWORD
    from tests.planning.authz_yearclose import READS
    from tests.planning.yearclose_kit import decide_all
    from tests.planning.yearclose_world import item, note

    settings.MEDIA_ROOT = tmp_path
    plan = reflect_plan(world)
    decide_all(plan, world.personas["team_a1"])
    note(world)
    item(world)
    pages = [
        (label, build(world))
        for name, label, build, statuses in READS
        if statuses.get(persona) == 200
        and not name.startswith(NOT_PAGES)
        and not name.endswith("_file")
    ]
    pages.append(("the plan page", f"/plans/{plan.pk}/"))
    findings: list[str] = []
    blocked: list[str] = []
    for viewport_name, viewport in VIEWPORTS.items():
        context = browser.new_context(locale="en-CA", viewport=viewport)
        context.add_cookies(
            [
                {
                    "name": django_settings.LANGUAGE_COOKIE_NAME,
                    "value": language,
                    "url": live_server.url,
                }
            ]
        )
        page = context.new_page()
        page.on(
            "console",
            lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None,
        )
        page.goto(f"{live_server.url}/accounts/login/")
        page.locator("input[name=username]").fill(persona)
        page.locator("input[name=password]").fill(PASSWORD)
        page.locator("main button[type=submit]").click()
        page.wait_for_url(f"{live_server.url}/")
        for label, path in pages:
            response = page.goto(f"{live_server.url}{path}")
            assert response is not None and response.status == 200, path
            findings += findings_on(
                page, f"{label} ({path}) {viewport_name} {language}", viewport["width"]
            )
        context.close()
    assert not blocked, "\n".join(blocked)
    assert not findings, "\n".join(findings)
