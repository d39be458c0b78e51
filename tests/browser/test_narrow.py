"""Pages on a 390 px phone: nothing wider than the screen, and axe passes.

The lists (plans, support requests, schools, boards, the audit log) and the evidence
pages (province, board, school) are read in English and French by a ministry
officer; a wide table scrolls inside its own focusable box with its header row kept.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from capacity.audit.models import Action
from capacity.audit.services import audit_record
from capacity.directory.services import api_token_create
from capacity.planning import services
from tests.browser.test_journeys import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def fits(page) -> None:
    width = page.evaluate("() => document.scrollingElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide on a {PHONE['width']} px screen"


# Each list sorted by a column other than its default, so the sorted header is checked too.
LISTS = (
    "/plans/?sort=stage",
    "/support/?sort=-asked",
    "/schools/?sort=-enrolment",
    "/boards/?sort=number",
    "/audit/?sort=by&person=a",
)
EVIDENCE = ("/evidence/", "/boards/B66001/evidence/", "/schools/700001/evidence/")

# Every wide table's box: focusable, named, and its header cells stay at the top as it scrolls.
TABLE_BOXES = """() => [...document.querySelectorAll('table')].map(table => {
    const box = table.closest('.table-scroll, .scroll');
    const th = table.querySelector('thead th');
    return {
        wide: table.scrollWidth > document.scrollingElement.clientWidth,
        boxed: !!box,
        focusable: !!box && box.tabIndex === 0 && box.getAttribute('role') === 'region',
        sticky: !th || getComputedStyle(th).position === 'sticky',
    };
})"""


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_lists_and_the_evidence_fit_a_phone(
    page, live_server, evidence_world, axe_check, language
) -> None:
    world = evidence_world
    principal = world.personas["principal_a1"]
    plan = services.plan_create(user=principal, school=world.school_a1, school_year="2018-19")
    services.support_request_create(
        user=principal,
        school=world.school_a1,
        plan=plan,
        tried="Number talks in every class since October, with a coach",
        needs=["people"],
        to_ministry=True,
    )
    services.plan_create(
        user=world.personas["principal_b1"], school=world.school_b1, school_year="2018-19"
    )
    audit_record(
        actor_label="capacity import results --problems problems-of-the-long-file.csv",
        action=Action.IMPORT_REJECTED,
        target="an-uploaded-file-with-a-very-long-name-and-no-spaces-2018-19.csv",
        detail={"problems": 12, "file": "an-uploaded-file-with-a-very-long-name.csv"},
    )
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "ministry")
    if language == "fr":
        page.get_by_role("button", name="Français").click()
        page.wait_for_load_state()
    for path in (*LISTS, *EVIDENCE):
        page.goto(f"{live_server.url}{path}")
        assert page.evaluate("() => document.documentElement.lang") == language
        fits(page)
        for table in page.evaluate(TABLE_BOXES):
            assert not table["wide"] or table["boxed"], f"a wide table on {path} has no box"
            if table["boxed"]:
                assert table["focusable"] and table["sticky"], f"{path}: {table}"
        axe_check(page)


def test_the_tokens_page_fits_a_phone(page, live_server, world, axe_check) -> None:
    api_token_create(user=world.personas["principal_a1"], name="nightly export of every plan")
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "principal_a1")
    page.goto(f"{live_server.url}/account/tokens/")
    expect(page.get_by_role("heading", name="API tokens", level=1)).to_be_visible()
    fits(page)
    axe_check(page)


def test_a_stale_decision_shows_what_changed_on_a_phone(
    page, live_server, world, axe_check
) -> None:
    principal = world.personas["principal_a1"]
    plan = services.plan_create(user=principal, school=world.school_a1, school_year="2018-19")
    services.goal_add(plan=plan, user=principal, seen=plan.version, statement="Writing")
    services.plan_submit(plan=plan, user=principal, seen=plan.version)
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "ministry")
    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    # While the ministry reads submission 1, the board returns it and the team sends submission 2.
    services.plan_decide(
        plan=plan,
        user=world.personas["board_a"],
        accept=False,
        comments="Add a target",
        **services.review_basis(plan),
    )
    services.plan_submit(plan=plan, user=principal, seen=plan.version)
    page.get_by_role("button", name="Accept the plan").click()
    expect(
        page.get_by_role("heading", name="The plan changed before your decision", level=1)
    ).to_be_visible()
    fits(page)
    axe_check(page)
