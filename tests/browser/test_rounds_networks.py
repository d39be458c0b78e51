"""A network's work on a 390 px phone, in a real browser, with axe on every page.

The facilitator opens the network's page (agreement, impact with a hidden figure, actions),
records a new version of the agreement, starts a cycle, writes its co-plan and moves it to
co-teach, and marks an action done; B1's principal reads the cycle in French. No page scrolls
sideways and axe finds nothing.
"""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import Page, expect

from capacity.evidence.models import Result
from capacity.evidence.services import assessments_ensure
from capacity.rounds.models import Agreement, NetworkAction, NetworkCycle, Protocol
from tests.browser.phone import fits, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def checked(page: Page, axe_check) -> None:
    fits(page)
    axe_check(page)


def test_a_facilitator_leads_a_network_s_work_on_a_phone(
    browser, live_server, world, axe_check
) -> None:
    ids = assessments_ensure()
    for school, pct, n in ((world.school_a2, 41.0, 40), (world.school_b1, 62.0, 8)):
        Result.objects.create(
            school=school, school_year="2023-24", assessment_id=ids["G6-MATH"], group="all",
            participating=n, pct_at_standard=pct,
        )  # fmt: skip
    agreement = Agreement.objects.create(
        network=world.network, number=1, priorities="Mathematics talk in junior classrooms",
        measures=[{"assessment": "G6-MATH", "group": "all", "target": 55.0}],
        agreed_on=datetime.date(2024, 9, 1),
    )  # fmt: skip
    agreement.schools.set([world.school_b1])
    NetworkAction.objects.create(network=world.network, text="Share the comparison task")
    network = f"{live_server.url}/rounds/networks/{world.network.pk}/"

    facilitator = sign_in(browser, live_server, "facilitator")
    facilitator.goto(network)
    expect(facilitator.get_by_role("heading", level=1)).to_have_text(world.network.name)
    expect(facilitator.get_by_text("Mathematics talk in junior classrooms")).to_be_visible()
    expect(facilitator.locator("abbr", has_text="N/R").first).to_be_visible()
    checked(facilitator, axe_check)

    facilitator.get_by_role("link", name="Read or change the agreement").click()
    facilitator.get_by_label("Priorities we agree on").fill("Talk and writing in mathematics")
    facilitator.get_by_label("Birch Catholic School").check()
    checked(facilitator, axe_check)
    facilitator.get_by_role("button", name="Record this version").click()
    facilitator.wait_for_url(network)
    expect(facilitator.get_by_text("Version 2 of the agreement is recorded")).to_be_visible()

    facilitator.get_by_label("Focus of the cycle").fill("Students justify a strategy")
    facilitator.get_by_role("button", name="Start the cycle").click()
    facilitator.wait_for_url(f"{network}cycles/1/")
    checked(facilitator, axe_check)
    facilitator.get_by_role("textbox", name="Co-plan").fill("A task comparing two strategies.")
    facilitator.get_by_role("button", name="Save and move to Co-teach").click()
    expect(facilitator.get_by_text("The cycle moved to co-teach")).to_be_visible()
    assert NetworkCycle.objects.get(network=world.network).stage == Protocol.CO_TEACH
    checked(facilitator, axe_check)

    facilitator.goto(network)
    facilitator.get_by_role("button", name="Mark done").click()
    expect(facilitator.get_by_role("button", name="Not done after all")).to_be_visible()
    checked(facilitator, axe_check)
    facilitator.context.close()

    principal = sign_in(browser, live_server, "principal_b1", locale="fr-CA")
    principal.goto(f"{network}cycles/1/")
    expect(principal.get_by_role("heading", level=1)).to_have_text("Cycle 1")
    expect(principal.get_by_text("Coenseigner").first).to_be_visible()
    checked(principal, axe_check)
    principal.context.close()
