"""A survey round from invitation to report, in French, in a real browser.

Board A's leader opens a round of the nine characteristics of strong districts through
/surveys/new/ with four single-use links; A1's principal saves a draft, comes back to
it, is told what is missing, sends every answer and reads the prompts to reflect on;
one link is answered in the browser by someone without an account and three through
the service (the report needs 5 respondents before it shows a figure: the page says
so while only the principal has answered); the leader closes the round and reads the
report with its charts. On every page axe-core finds nothing at 1280 px and at 390 px,
the page does not scroll sideways on the phone, and the answer choices are tap targets
at least 44 px high there.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from django.conf import settings
from playwright.sync_api import Page, ViewportSize, expect

from capacity.instruments import services
from capacity.instruments.definition import from_json
from capacity.instruments.models import Instrument, Response, Round
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDE = ViewportSize(width=1280, height=900)
PHONE = ViewportSize(width=390, height=844)
TAP = 44  # px: the height of a comfortable tap target (WCAG 2.5.5)


@pytest.fixture
def in_french(browser, live_server) -> Iterator[Callable[[str | None], Page]]:
    """Open a page in French for a person (signed in) or for nobody; fail on anything the CSP blocked."""
    contexts = []
    blocked: list[str] = []

    def open_as(username: str | None) -> Page:
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
        if username is not None:
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
def check(axe_check) -> Callable[[Page], None]:
    """axe at 1280 px and at 390 px; on the phone nothing scrolls sideways and choices are big."""

    def run(page: Page) -> None:
        assert page.evaluate("() => document.documentElement.lang") == "fr", page.url
        axe_check(page)
        page.set_viewport_size(PHONE)
        try:
            width = page.evaluate("() => document.scrollingElement.scrollWidth")
            assert width <= PHONE["width"], f"{page.url} is {width} px wide on a 390 px screen"
            heights = page.evaluate(
                "() => [...document.querySelectorAll('label.choice')]"
                ".map(e => e.getBoundingClientRect().height)"
            )
            assert all(h >= TAP for h in heights), f"{page.url}: choices {min(heights)} px high"
            axe_check(page)
        finally:
            page.set_viewport_size(WIDE)

    return run


def answer(page: Page, questions: range, choice: int) -> None:
    """Choose the `choice`-th answer (0 first) of each question in `questions`, by tapping its label."""
    fieldsets = page.locator("fieldset.question")
    for index in questions:
        fieldsets.nth(index).locator("label.choice").nth(choice).click()


def test_a_round_goes_from_invitation_to_report_in_french(
    in_french, check, live_server, world
) -> None:
    base = live_server.url
    # The database of an earlier transactional test was flushed, instruments and all.
    services.load_shipped(audit=False)
    instrument = Instrument.objects.get(code="strong-districts")

    # The board's leader opens the round, with four links for people without an account.
    leader = in_french("board_a")
    leader.goto(f"{base}/surveys/")
    check(leader)
    leader.get_by_role("link", name="Ouvrir un cycle").click()
    leader.wait_for_url(f"{base}/surveys/new/")
    expect(
        leader.get_by_role("heading", name="Ouvrir un cycle de sondage", level=1)
    ).to_be_visible()
    check(leader)
    leader.get_by_label("Instrument").select_option(label=instrument.name_fr)
    leader.get_by_label("Pour", exact=True).select_option(label=str(world.board_a))
    leader.get_by_label("Liens à usage unique").fill("4")
    leader.get_by_role("button", name="Ouvrir le cycle").click()
    expect(leader.get_by_role("heading", name="Liens à usage unique", level=1)).to_be_visible()
    check(leader)
    links = leader.locator("ol.links code").all_inner_texts()
    assert len(links) == 4
    round_ = Round.objects.get(board=world.board_a, instrument=instrument)
    assert round_.invitations.filter(user__isnull=False).count() == 3  # leader, trustee, principal
    leader.get_by_role("link", name="Aller au cycle").click()
    leader.wait_for_url(f"{base}/surveys/{round_.pk}/")
    check(leader)

    # A1's principal answers the first characteristic and saves a draft.
    principal = in_french("principal_a1")
    principal.goto(f"{base}/surveys/")
    check(principal)
    principal.get_by_role("link", name=instrument.name_fr).first.click()
    principal.wait_for_url(f"{base}/surveys/{round_.pk}/respond/")
    check(principal)
    questions = principal.locator("fieldset.question")
    total = questions.count()
    assert total == 28
    answer(principal, range(2), choice=2)
    principal.locator("textarea[name='e-1.1']").fill("Procès-verbaux du conseil, 2018")
    principal.get_by_role("button", name="Enregistrer et terminer plus tard").click()
    expect(
        principal.get_by_text("Enregistré. Vous pouvez revenir terminer plus tard.")
    ).to_be_visible()
    check(principal)

    # Later, from the list, the draft is there as it was left.
    principal.goto(f"{base}/surveys/")
    principal.get_by_role("link", name=instrument.name_fr).first.click()
    principal.wait_for_url(f"{base}/surveys/{round_.pk}/respond/")
    for index in range(2):
        expect(questions.nth(index).locator("input[type=radio]").nth(2)).to_be_checked()
    expect(principal.locator("textarea[name='e-1.1']")).to_have_value(
        "Procès-verbaux du conseil, 2018"
    )

    # Sending with questions left: each is marked, and the summary says how many.
    principal.get_by_role("button", name="Envoyer mes réponses").click()
    expect(principal.locator("#errors")).to_be_visible()
    expect(principal.locator("fieldset.question.has-error")).to_have_count(total - 2)
    expect(
        principal.get_by_text("Répondez à cette question avant d'envoyer.").first
    ).to_be_visible()
    check(principal)

    answer(principal, range(2, total), choice=3)
    principal.get_by_label("Autre chose à ajouter (facultatif)").fill("Un bon début.")
    principal.get_by_role("button", name="Envoyer mes réponses").click()
    expect(
        principal.get_by_role("heading", name="Merci : vos réponses ont été envoyées", level=1)
    ).to_be_visible()
    expect(principal.get_by_role("heading", name="Pour réfléchir", level=2)).to_be_visible()
    assert principal.locator("#reflect-h + ul li").count() == 3
    check(principal)

    # One person answered: the report says the figures appear from five.
    leader.goto(f"{base}/surveys/{round_.pk}/report/")
    expect(
        leader.get_by_text(
            "1 personne a répondu jusqu'ici : les résultats apparaissent à partir de 5."
        )
    ).to_be_visible()
    assert leader.locator("figure.chart").count() == 0
    check(leader)

    # A link, answered in the browser by someone without an account; three more through the service.
    visitor = in_french(None)
    visitor.goto(links[0])
    check(visitor)
    assert (
        visitor.get_by_role("link", name="Sondages").count() == 0
    )  # no crumbs to pages it cannot open
    answer(visitor, range(total), choice=1)
    visitor.get_by_role("button", name="Envoyer mes réponses").click()
    expect(
        visitor.get_by_role("heading", name="Merci : vos réponses ont été envoyées")
    ).to_be_visible()
    check(visitor)
    codes = [item.code for item in from_json(round_.definition).items]
    for number, link in enumerate(links[1:]):
        token = link.rstrip("/").rsplit("/", 1)[1]
        invitation = services.invitation_by_token(token)
        assert invitation is not None
        services.response_save(
            invitation=invitation,
            answers={code: 1 + (number + position) % 4 for position, code in enumerate(codes)},
            comment=f"Commentaire {number + 1}",
            submit=True,
        )
    assert (
        Response.objects.filter(invitation__round=round_, submitted_at__isnull=False).count() == 5
    )

    # The leader closes the round and reads the report, with its figures.
    leader.goto(f"{base}/surveys/{round_.pk}/")
    leader.get_by_role("button", name="Fermer le cycle maintenant").click()
    expect(
        leader.get_by_text("Le cycle est fermé; aucune autre réponse n'est acceptée.")
    ).to_be_visible()
    check(leader)
    leader.get_by_role("link", name="Le rapport").click()
    leader.wait_for_url(re.compile(rf"/surveys/{round_.pk}/report/$"))
    expect(
        leader.get_by_role("heading", name=re.compile("^Rapport de sondage"), level=1)
    ).to_be_visible()
    expect(leader.get_by_text("5 des 7 personnes invitées ont répondu.")).to_be_visible()
    expect(leader.get_by_role("img", name="Moyenne par dimension")).to_be_visible()
    expect(
        leader.get_by_role("heading", name="Énoncés les plus et les moins élevés")
    ).to_be_visible()
    expect(leader.locator("ul.comments li")).to_have_count(4)
    check(leader)
