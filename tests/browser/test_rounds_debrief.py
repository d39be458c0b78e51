"""A visit's debrief on a 390 px phone, in a real browser: the facilitator reads the themes and
their notes, moves a note to a new theme (htmx swaps the work area only, the page keeps its
place), names it, and axe finds nothing before or after; no note's author is ever shown."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from capacity.rounds import affinity
from capacity.rounds.models import Visit
from tests.browser.phone import fits, sign_in
from tests.rounds import factories_debrief as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_facilitator_moves_a_note_on_a_phone(browser, live_server, world, axe_check) -> None:
    visit = f.visit_a1(world)
    note = affinity.from_dict(visit.grouping).groups[0].note_ids[0]
    page = sign_in(browser, live_server, "team_a1")
    page.goto(f"{live_server.url}/rounds/visits/{visit.pk}/debrief/")
    expect(page.get_by_role("heading", name="Themes")).to_be_visible()
    fits(page)
    axe_check(page)
    assert f.AUTHOR_NAME not in page.content()

    card = page.locator(f"#note-{note}")
    card.scroll_into_view_if_needed()
    before = page.evaluate("() => window.scrollY")
    card.get_by_label("Move this note to").select_option("new")
    card.get_by_role("button", name="Move").click()
    expect(page.get_by_role("status").filter(has_text="The note is moved.")).to_be_visible()
    # htmx swapped the work area: same page, no reload to the top, the new theme is there.
    assert page.url.endswith(f"/rounds/visits/{visit.pk}/debrief/")
    assert page.evaluate("() => window.scrollY") > before / 2
    new_theme = page.locator("#theme-g5")
    expect(new_theme.locator(f"#note-{note}")).to_be_visible()
    grouping = affinity.from_dict(Visit.objects.get(pk=visit.pk).grouping)
    assert grouping.group_of(note).key == "g5"

    new_theme.get_by_label("Name of the theme").fill("One note on its own")
    new_theme.get_by_role("button", name="Name it").click()
    expect(page.get_by_role("heading", name="One note on its own")).to_be_visible()
    fits(page)
    axe_check(page)


def test_the_finished_debrief_reads_in_french_on_a_phone(
    browser, live_server, world, axe_check
) -> None:
    visit = f.finished_a1(world)
    page = sign_in(browser, live_server, "teacher_a1", locale="fr-CA")
    page.goto(f"{live_server.url}/rounds/visits/{visit.pk}/debrief/")
    if page.locator("html").get_attribute("lang") != "fr":
        page.locator("form.lang-switch button").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", name="Thèmes")).to_be_visible()
    fits(page)
    axe_check(page)
    page.goto(f"{live_server.url}/rounds/patterns/?school=700001")
    fits(page)
    axe_check(page)


def test_what_is_typed_in_one_form_survives_another_form_s_step(
    browser, live_server, world
) -> None:
    """Each step swaps the whole work area: the prediction, a theme's name and a next step typed
    and not yet saved are still there afterwards, and what was saved shows as saved."""
    visit = f.visit_a1(world)
    grouping = affinity.from_dict(visit.grouping)
    first, second = grouping.groups[0].key, grouping.groups[1].key
    page = sign_in(browser, live_server, "team_a1")
    page.goto(f"{live_server.url}/rounds/visits/{visit.pk}/debrief/")
    page.locator("#id_prediction").fill("They would know how to copy steps.")
    page.locator(f"#name-{second}").fill("Not saved yet")
    page.locator("#id_text").fill("A step not added yet")
    page.locator(f"#name-{first}").fill("Copying the steps")
    page.locator(f"#rename-{first}-go").click()
    expect(page.get_by_role("heading", name="Copying the steps")).to_be_visible()
    expect(page.locator("#id_prediction")).to_have_value("They would know how to copy steps.")
    expect(page.locator(f"#name-{second}")).to_have_value("Not saved yet")
    expect(page.locator("#id_text")).to_have_value("A step not added yet")

    page.locator("#predict-go").click()
    expect(page.get_by_role("status").filter(has_text="prediction")).to_be_visible()
    assert Visit.objects.get(pk=visit.pk).prediction == "They would know how to copy steps."
    expect(page.locator(f"#name-{second}")).to_have_value("Not saved yet")
