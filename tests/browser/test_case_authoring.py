"""A case study from draft to published, in French, in a real browser.

Board A's leader writes a case study in French on /learning/cases/new/ (the form asks the
seven guiding questions in French), saves it with a question unanswered, is told which one
when submitting and led to it, answers it and submits; the ministry officer finds it
in the queue, returns it with a comment; the leader reads the comment, edits and resubmits;
the officer publishes it; a teacher of board B reads it in the library. axe-core finds
nothing on each page; the form and the draft page are also checked at 390 px, where nothing
scrolls sideways.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from django.conf import settings
from playwright.sync_api import Page, ViewportSize, expect

from capacity.directory.models import Role
from capacity.learning.models import Item, State
from tests.conftest import PASSWORD
from tests.factories import MembershipFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDE = ViewportSize(width=1280, height=900)
PHONE = ViewportSize(width=390, height=844)


@pytest.fixture
def in_french(browser, live_server) -> Iterator[Callable[[str], Page]]:
    contexts = []
    blocked: list[str] = []

    def open_as(username: str) -> Page:
        context = browser.new_context(locale="fr-CA", viewport=WIDE)
        context.add_cookies(
            [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "fr", "url": live_server.url}]
        )
        contexts.append(context)
        page = context.new_page()
        page.on(
            "console",
            lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None,
        )
        page.goto(f"{live_server.url}/accounts/login/")
        page.locator("input[name=username]").fill(username)
        page.locator("input[name=password]").fill(PASSWORD)
        page.get_by_role("button", name="Ouvrir une session").click()
        page.wait_for_url(f"{live_server.url}/")
        return page

    yield open_as
    for context in contexts:
        context.close()
    assert not blocked, "the Content-Security-Policy blocked:\n" + "\n".join(blocked)


@pytest.fixture
def check(axe_check) -> Callable[..., None]:
    """axe in French at 1280 px and, with `phone`, at 390 px with nothing scrolling sideways."""

    def run(page: Page, *, phone: bool = False) -> None:
        assert page.evaluate("() => document.documentElement.lang") == "fr", page.url
        axe_check(page)
        if not phone:
            return
        page.set_viewport_size(PHONE)
        try:
            width = page.evaluate("() => document.scrollingElement.scrollWidth")
            assert width <= PHONE["width"], f"{page.url} is {width} px wide on a 390 px screen"
            axe_check(page)
        finally:
            page.set_viewport_size(WIDE)

    return run


def test_a_case_study_goes_from_draft_to_published_in_french(
    in_french, check, live_server, world
) -> None:
    base = live_server.url
    teacher_b = UserFactory(username="teacher_b1")
    MembershipFactory(user=teacher_b, role=Role.TEACHER, school=world.school_b1)

    # Board A's leader writes the case study in French.
    leader = in_french("board_a")
    leader.goto(f"{base}/learning/cases/new/")
    expect(leader.get_by_role("heading", name="Rédiger une étude de cas", level=1)).to_be_visible()
    check(leader, phone=True)
    leader.get_by_label("Année du début du travail").fill("2016")
    leader.locator("input[name=characteristics][value=evidence]").check()
    leader.locator("input[name=contexts][value=networks]").check()
    leader.get_by_label("Titre").fill("Lire nos données en équipe")
    leader.get_by_label("Résumé").fill("Comment nos écoles ont appris à lire leurs résultats.")
    leader.get_by_label("Thèmes").fill("données, équipes")
    for n in range(1, 7):  # the last question is left for later
        leader.locator(f"textarea[name='fr-section_{n}']").fill(f"Réponse **{n}** du conseil.")
    leader.get_by_role("button", name="Enregistrer l'ébauche").click()
    item = Item.objects.get()
    leader.wait_for_url(f"{base}/learning/{item.slug}/draft/")
    expect(
        leader.get_by_role("heading", name="Lire nos données en équipe", level=1)
    ).to_be_visible()
    expect(leader.locator("strong", has_text="3")).to_be_visible()  # Markdown rendered
    check(leader, phone=True)
    # The submit button stands apart from the comment box below it.
    button = leader.get_by_role("button", name="Déposer pour examen").bounding_box()
    label = leader.get_by_text("Ajouter un commentaire", exact=True).bounding_box()
    assert button and label and label["y"] - (button["y"] + button["height"]) >= 24

    # Submitting names the unanswered question and leads to it.
    leader.get_by_role("button", name="Déposer pour examen").click()
    missing = leader.get_by_role("link", name="Conseils aux autres (français)")
    expect(missing).to_be_visible()
    check(leader)
    missing.click()
    leader.wait_for_url(f"{base}/learning/{item.slug}/edit/#id_fr-section_7")
    leader.locator("textarea[name='fr-section_7']").fill("Réponse **7** du conseil.")
    leader.get_by_role("button", name="Enregistrer l'ébauche").click()
    # The browser keeps the link's #fragment through the redirect to the draft page.
    draft_page = re.compile(rf"{re.escape(base)}/learning/{item.slug}/draft/(#.*)?$")
    leader.wait_for_url(draft_page)
    leader.get_by_role("button", name="Déposer pour examen").click()
    leader.wait_for_url(draft_page)
    expect(leader.locator(".lead .tag", has_text="Soumise pour examen")).to_be_visible()
    check(leader)

    # The ministry officer returns it with a comment.
    officer = in_french("ministry")
    officer.goto(f"{base}/learning/review/")
    check(officer)
    officer.get_by_role("link", name="Lire nos données en équipe").click()
    officer.wait_for_url(f"{base}/learning/{item.slug}/draft/")
    check(officer, phone=True)
    officer.get_by_label("Ce que les auteurs devraient changer (obligatoire)").fill(
        "Ajoutez les résultats de la deuxième année."
    )
    officer.get_by_role("button", name="Renvoyer aux auteurs").click()
    officer.wait_for_url(f"{base}/learning/{item.slug}/draft/")
    item.refresh_from_db()
    assert item.current is not None and item.current.state == State.RETURNED

    # The leader reads the comment, edits and resubmits.
    leader.goto(f"{base}/learning/{item.slug}/draft/")
    expect(leader.get_by_text("Ajoutez les résultats de la deuxième année.")).to_be_visible()
    check(leader)
    leader.get_by_role("link", name="Rédiger une nouvelle version").click()
    leader.wait_for_url(f"{base}/learning/{item.slug}/edit/")
    check(leader, phone=True)
    leader.locator("textarea[name='fr-section_6']").fill("En deuxième année, 62 % des élèves.")
    leader.get_by_role("button", name="Enregistrer l'ébauche").click()
    leader.wait_for_url(f"{base}/learning/{item.slug}/draft/")
    leader.get_by_role("button", name="Déposer pour examen").click()
    leader.wait_for_url(f"{base}/learning/{item.slug}/draft/")

    # The officer publishes version 2.
    officer.goto(f"{base}/learning/{item.slug}/draft/")
    officer.get_by_role("button", name="Publier").click()
    officer.wait_for_url(f"{base}/learning/{item.slug}/draft/")
    check(officer)
    item.refresh_from_db()
    assert item.published is not None and item.published.number == 2

    # A teacher of another board reads it in the library; its draft page does not exist for them.
    teacher = in_french("teacher_b1")
    teacher.goto(f"{base}/learning/{item.slug}/")
    expect(
        teacher.get_by_role("heading", name="Lire nos données en équipe", level=1)
    ).to_be_visible()
    expect(teacher.get_by_text("En deuxième année, 62 % des élèves.")).to_be_visible()
    check(teacher, phone=True)
    assert teacher.goto(f"{base}/learning/{item.slug}/draft/").status == 404
