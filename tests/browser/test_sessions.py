"""A module session planned and read on a 390 px phone, in a real browser.

A1's principal opens "Plan a module session" from the sessions page on a phone, chooses the
module, the date and two participants, and lands on the session's page; axe finds nothing on
the form or the page, and neither scrolls sideways. The teacher taking part then reads the
session: the facilitator and the count, never the other participant's name or the notes.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from capacity.instruments import services as instrument_services
from capacity.learning.models import Session
from capacity.learning.services import load_shipped
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def sign_in(browser, live_server, username: str) -> Page:
    context = browser.new_context(locale="en-CA", viewport=PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")
    return page


def fits(page: Page) -> None:
    width = page.evaluate("() => document.scrollingElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide on a 390 px screen"


def test_a_principal_plans_a_session_on_a_phone(browser, live_server, world, axe_check) -> None:
    # A transactional test's flush removes the shipped instruments; the module needs its evaluation.
    instrument_services.load_shipped(audit=False)
    load_shipped()
    page = sign_in(browser, live_server, "principal_a1")
    page.goto(f"{live_server.url}/learning/sessions/")
    fits(page)
    axe_check(page)
    page.get_by_role("link", name="Plan a session").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Plan a module session")
    page.get_by_label("Module").select_option("using-evidence")
    day = timezone.localdate() + datetime.timedelta(days=5)
    page.get_by_label("Date").fill(day.isoformat())
    page.get_by_label("Teacher A1 — Teacher").check()
    page.get_by_label("Team A1 — School team member").check()
    page.get_by_label("Notes").fill("Bring last term's data binder.")
    fits(page)
    axe_check(page)
    page.get_by_role("button", name="Plan the session").click()
    session = Session.objects.get()
    page.wait_for_url(f"{live_server.url}/learning/sessions/{session.pk}/")
    expect(page.get_by_text("The session is planned")).to_be_visible()
    expect(page.get_by_text("Bring last term's data binder.")).to_be_visible()
    fits(page)
    axe_check(page)
    page.context.close()

    teacher = sign_in(browser, live_server, "teacher_a1")
    teacher.goto(f"{live_server.url}/learning/sessions/{session.pk}/")
    expect(teacher.get_by_text("Principal A1")).to_be_visible()
    assert "Team A1" not in teacher.content()
    assert "data binder" not in teacher.content()
    fits(teacher)
    axe_check(teacher)
    teacher.context.close()
