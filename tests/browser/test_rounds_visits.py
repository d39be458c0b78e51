"""A round's notes on a 390 px phone, in French, offline and back, in a real browser.

A1's teacher, on the visit's team, signs in, switches to French and opens the notes page. A
note with an evaluative word shows its flag and the task's suggested level, which the teacher
confirms. The phone goes offline; a second note waits in the outbox; back online it is sent
without being asked. The server then holds exactly two notes (none lost, none doubled), and
after a reload both are in "your notes", and offline the page still opens from the service
worker's copy. axe finds nothing at each step, the page never scrolls
sideways, and the Content-Security-Policy blocks nothing (the service worker included).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from capacity.rounds.models import Note
from tests.conftest import PASSWORD
from tests.rounds.authz_visits import visit_a1

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def fits(page: Page) -> None:
    width = page.evaluate("() => document.scrollingElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide on a 390 px screen"


def test_a_team_member_takes_notes_offline_in_french_on_a_phone(
    browser, live_server, world, axe_check
) -> None:
    visit = visit_a1(world)
    context = browser.new_context(locale="en-CA", viewport=PHONE)
    blocked: list[str] = []
    page = context.new_page()
    page.on(
        "console",
        lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=username]").fill("teacher_a1")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")
    page.get_by_role("button", name="Français").click()
    page.wait_for_load_state()

    page.goto(f"{live_server.url}/rounds/visits/{visit.pk}/notes/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Vos notes")
    expect(page.locator("#notes-connection")).to_have_text("Toutes les notes sont envoyées.")
    fits(page)
    axe_check(page)

    # A judging word is flagged as the teacher types; the task's verb suggests a level.
    page.get_by_label("Ce que fait l’enseignant ou l’enseignante").fill(
        "Donne une excellente explication des fractions."
    )
    page.get_by_label("Ce que font les élèves").fill("Les élèves plient des bandes de papier.")
    page.get_by_label("Ce qu’est la tâche").fill("Comparez les deux fractions.")
    flags = page.locator("#flags-teacher_doing")
    expect(flags).to_contain_text("excellente")
    expect(flags).to_contain_text("Juge plutôt que décrit")
    expect(page.locator("#level-suggestion")).to_contain_text("Analyse")
    fits(page)
    axe_check(page)
    page.get_by_role("radio", name="Analyse").check()
    page.get_by_role("button", name="Enregistrer la note").click()
    expect(page.locator("#mine")).to_contain_text("Comparez les deux fractions.")
    expect(page.locator("#outbox-empty")).to_be_visible()
    # The emptied form no longer suggests the saved note's level.
    expect(page.locator("#level-suggestion")).not_to_contain_text("Analyse")
    expect(page.locator("#level-suggestion")).to_contain_text("Un niveau est suggéré")

    # Offline: the second note waits on the phone, then goes when the phone is back online.
    context.set_offline(True)
    expect(page.locator("#notes-connection")).to_contain_text("hors ligne")
    page.get_by_label("Ce que font les élèves").fill(
        "Deux élèves expliquent leur dessin au groupe."
    )
    page.get_by_label("Ce qu’est la tâche").fill("Explique pourquoi 3/4 est plus grand que 2/3.")
    page.get_by_role("button", name="Enregistrer la note").click()
    expect(page.locator("#outbox")).to_contain_text("Deux élèves expliquent")
    assert Note.objects.count() == 1
    fits(page)
    axe_check(page)
    context.set_offline(False)
    expect(page.locator("#outbox-empty")).to_be_visible(timeout=15000)
    expect(page.locator("#notes-connection")).to_have_text("Toutes les notes sont envoyées.")

    notes = list(Note.objects.order_by("written_at"))
    assert len(notes) == 2, "a note was lost or doubled"
    assert notes[0].level == "analysis" and notes[0].flags[0]["text"] == "excellente"
    assert {n.author_id for n in notes} == {world.personas["teacher_a1"].pk}
    assert notes[1].language == "fr" and notes[1].level_suggested == "comprehension"

    page.reload()
    mine = page.locator("#mine")
    expect(mine).to_contain_text("Comparez les deux fractions.")
    expect(mine).to_contain_text("Deux élèves expliquent leur dessin au groupe.")
    assert Note.objects.count() == 2
    fits(page)
    axe_check(page)

    # The service worker kept the page: offline, it opens again with both notes.
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    context.set_offline(True)
    page.reload()
    expect(page.locator("#mine")).to_contain_text("Deux élèves expliquent leur dessin au groupe.")
    expect(page.locator("#notes-connection")).to_contain_text("hors ligne")
    context.set_offline(False)
    context.close()
    assert not blocked, "the Content-Security-Policy blocked:\n" + "\n".join(blocked)


def test_signing_out_drops_the_phones_copy_of_the_notes_page_and_keeps_unsent_notes(
    browser, live_server, world
) -> None:
    """The service worker's copy of a notes page shows its observer's name and own notes; once
    they sign out, the sign-in page deletes it, so the next person on the phone cannot open it
    offline. A note still waiting in the outbox stays, under its author, to be sent later."""
    visit = visit_a1(world)
    context = browser.new_context(locale="en-CA", viewport=PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=username]").fill("teacher_a1")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")
    notes = f"{live_server.url}/rounds/visits/{visit.pk}/notes/"
    page.goto(notes)
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    page.reload()  # now controlled by the worker, which keeps a copy
    kept = "async () => (await caches.keys()).filter(n => n.startsWith('capacity-rounds-notes-'))"
    page.wait_for_function(
        f"async () => {{ const c = await caches.open('capacity-rounds-notes-v1');"
        f" return !!(await c.match('/rounds/visits/{visit.pk}/notes/')); }}"
    )
    outbox = f"capacity.rounds.outbox.{world.personas['teacher_a1'].pk}.{visit.pk}"
    page.evaluate(f"() => localStorage.setItem('{outbox}', '[{{\"client_id\": \"x\"}}]')")

    page.locator("form[action='/accounts/logout/'] button").click()
    page.wait_for_url(f"{live_server.url}/accounts/login/")
    page.wait_for_function(f"async () => ({kept})().then(names => names.length === 0)")
    assert page.evaluate(f"() => localStorage.getItem('{outbox}')") is not None

    context.set_offline(True)
    response_failed = False
    try:
        page.goto(notes)
    except Exception:  # the browser's own offline error: no copy left to open
        response_failed = True
    assert response_failed or "Signed in as" not in page.content()
    context.set_offline(False)
    context.close()
