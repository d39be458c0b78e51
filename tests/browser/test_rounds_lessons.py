"""A lesson study on a 390 px phone, in a real browser, with axe on every page.

A1's principal starts a study from the lesson studies page, chooses its team and lands on cycle
1; the team's teacher plans the lesson and moves on to teaching, then records what was observed
with a judging word, which a check shows in place (htmx) before saving and the saved page keeps
as a suggestion beside the record; the cycle page is read again in French. No page scrolls
sideways and axe finds nothing.
"""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from capacity.rounds.models import CycleStep, LessonStudy
from tests.browser.phone import fits, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def checked(page: Page, axe_check) -> None:
    fits(page)
    axe_check(page)


def test_a_team_studies_a_lesson_on_a_phone(browser, live_server, world, axe_check) -> None:
    principal = sign_in(browser, live_server, "principal_a1")
    principal.goto(f"{live_server.url}/rounds/lessons/")
    checked(principal, axe_check)
    principal.get_by_role("link", name="Start a lesson study").click()
    expect(principal.get_by_role("heading", level=1)).to_have_text("Start a lesson study")
    principal.get_by_label("Title").fill("Comparing fractions with strips")
    principal.get_by_label("Overarching goal").fill("Students reason about quantities.")
    principal.get_by_label("Research question").fill(
        "How do fraction strips change how students justify a comparison?"
    )
    principal.get_by_label("Grade").select_option("5")
    principal.get_by_label("Subject").select_option("mathematics")
    principal.get_by_label("Teacher A1 — Teacher").check()
    principal.get_by_label("Team A1 — School team member").check()
    checked(principal, axe_check)
    principal.get_by_role("button", name="Start the study").click()
    study = LessonStudy.objects.get()
    principal.wait_for_url(f"{live_server.url}/rounds/lessons/{study.pk}/cycles/1/")
    expect(principal.get_by_text("The study has started with cycle 1")).to_be_visible()
    checked(principal, axe_check)
    principal.context.close()

    teacher = sign_in(browser, live_server, "teacher_a1")
    cycle_url = f"{live_server.url}/rounds/lessons/{study.pk}/cycles/1/"
    teacher.goto(cycle_url)
    teacher.get_by_label("The study lesson").fill("Pairs compare 3/4 and 2/3 with strips.")
    teacher.get_by_label("Misconceptions we anticipate").fill("A bigger denominator is bigger.")
    teacher.get_by_role("button", name="Save, and on to teaching").click()
    expect(teacher.get_by_text("next, teach it and observe it")).to_be_visible()
    checked(teacher, axe_check)
    teacher.get_by_label("Taught on").fill(timezone.localdate().isoformat())
    teacher.get_by_label("What we observed").fill(
        "An excellent start: 9 of 12 pairs lined up the strips."
    )
    # Checked in place (htmx), before anything is saved.
    teacher.get_by_role("button", name="Check the wording").click()
    expect(teacher.get_by_role("heading", name="Describe rather than judge")).to_be_visible()
    assert study.cycles.get().observations == ""
    checked(teacher, axe_check)
    teacher.get_by_role("button", name="Save", exact=True).click()
    expect(teacher.get_by_text("Saved.")).to_be_visible()
    expect(teacher.get_by_role("heading", name="Describe rather than judge")).to_be_visible()
    expect(teacher.get_by_text("“excellent”")).to_be_visible()
    checked(teacher, axe_check)
    cycle = study.cycles.get()
    assert cycle.step == CycleStep.TEACH and cycle.observations.startswith("An excellent")
    # The study's page, then the cycle in French.
    teacher.goto(f"{live_server.url}/rounds/lessons/{study.pk}/")
    checked(teacher, axe_check)
    teacher.get_by_role("button", name="Français").click()
    teacher.goto(cycle_url)
    expect(teacher.get_by_role("heading", level=1)).to_have_text("Cycle 1")
    expect(teacher.get_by_text("Maintenant")).to_be_visible()
    assert teacher.evaluate("() => document.documentElement.lang") == "fr"
    checked(teacher, axe_check)
    teacher.context.close()
