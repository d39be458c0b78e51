"""Reading the library on a 390 px phone, in English and French, with axe.

A teacher opens the library from the navigation, filters it, reads a module (its agenda's
rows stacked, none hidden in a box) and one of its case studies, switches the case study's
language, and reads the user guide. On every page axe-core (WCAG 2.1 A and AA) finds
nothing and nothing is wider than the screen.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from capacity.learning.services import load_shipped
from tests.browser.test_journeys import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def fits(page) -> None:
    width = page.evaluate("() => document.scrollingElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide on a {PHONE['width']} px screen"


def check(page, axe_check, language: str) -> None:
    assert page.evaluate("() => document.documentElement.lang") == language, page.url
    fits(page)
    axe_check(page)


def agenda_reads_whole(page) -> None:
    """The agenda's box hides nothing (the page scrolls, not the box), and on a phone its rows
    are stacked so the notes read at the screen's width rather than in a narrow column."""
    box = page.locator("section[aria-labelledby=agenda-h] .table-scroll")
    inner = box.evaluate("e => [e.scrollHeight - e.clientHeight, e.scrollWidth - e.clientWidth]")
    assert inner == [0, 0], f"the agenda's box hides {inner} px (down, sideways)"
    last = box.locator("tbody tr").last
    last.scroll_into_view_if_needed()
    expect(last).to_be_in_viewport(ratio=1)
    notes = last.locator("td").last.bounding_box()
    assert notes is not None and notes["width"] >= 0.8 * box.bounding_box()["width"]


WORDS = {
    "en": {
        "nav": "Library",
        "filter": "Filter",
        "agenda": "Annotated agenda",
        "module": "A shared mission, vision and goals",
        "case": "Maple Ridge: a vision people use",
        "other": "Lire en français",
        "other_title": "Maple Ridge : une vision dont on se sert",
        "guide": "How to use the library",
        "contexts": "Contexts of use",
    },
    "fr": {
        "nav": "Bibliothèque",
        "filter": "Filtrer",
        "agenda": "Ordre du jour annoté",
        "module": "Une mission, une vision et des objectifs partagés",
        "case": "Maple Ridge : une vision dont on se sert",
        "other": "Read in English",
        "other_title": "Maple Ridge: a vision people use",
        "guide": "Comment utiliser la bibliothèque",
        "contexts": "Contextes d'utilisation",
    },
}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_teacher_reads_a_module_and_a_case_study_on_a_phone(
    page, live_server, world, axe_check, language
) -> None:
    load_shipped()
    words = WORDS[language]
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "teacher_a1")
    if language == "fr":
        page.get_by_role("button", name="Français").click()
        page.wait_for_load_state()

    page.get_by_role("navigation").get_by_role("link", name=words["nav"]).click()
    page.wait_for_load_state()
    check(page, axe_check, language)

    page.locator("#id_characteristic").select_option("mission")
    page.get_by_role("button", name=words["filter"]).click()
    page.wait_for_load_state()
    assert "characteristic=mission" in page.url
    check(page, axe_check, language)

    page.get_by_role("link", name=words["module"]).click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=2, name=words["agenda"])).to_be_visible()
    check(page, axe_check, language)
    agenda_reads_whole(page)

    page.get_by_role("link", name=words["case"]).first.click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_have_text(words["case"])
    check(page, axe_check, language)

    page.get_by_role("link", name=words["other"]).click()
    page.wait_for_load_state()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(words["other_title"])
    assert heading.get_attribute("lang") == ("fr" if language == "en" else "en")
    check(page, axe_check, language)

    page.goto(f"{live_server.url}/learning/guide/")
    expect(page.get_by_role("heading", level=1)).to_have_text(words["guide"])
    expect(page.get_by_role("heading", level=2, name=words["contexts"])).to_be_visible()
    check(page, axe_check, language)
