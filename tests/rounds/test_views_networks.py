"""Networks' work pages as people use them: running and deciding suggestions, a network's page, its
agreement and PDF, a cycle moved through its stages, actions."""

from __future__ import annotations

import datetime
import shutil
import subprocess

import pytest

from capacity.directory.models import Network
from capacity.rounds.models import (
    Agreement,
    NetworkAction,
    NetworkCycle,
    NetworkSuggestion,
    ProblemOfPractice,
    Protocol,
    SuggestionState,
)
from tests.rounds import networks_world
from tests.rounds.authz_networks import agreement, cycle, suggestion


def login(client, world, persona="facilitator"):
    client.force_login(world.personas[persona])
    return client


# --- suggestions -------------------------------------------------------------------------------


def test_running_suggestions_lists_them_with_their_needs(client, world) -> None:
    networks_world.build(world)
    login(client, world)
    response = client.post(
        "/rounds/networks/suggestions/", {"school_year": "2018-19", "largest": 8, "limit": 20}
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "N1 Public School" in page and "X1 Public School" in page
    assert "Grade 6 mathematics" in page
    assert "G6-MATH" not in page  # labels, never codes


def test_a_run_without_results_is_refused_in_the_form(client, world) -> None:
    login(client, world, "ministry")
    page = client.get("/rounds/networks/suggestions/").content.decode()
    assert "There are no results yet" in page


def test_a_suggestion_shows_its_explanation(client, world) -> None:
    networks_world.build(world)
    login(client, world)
    client.post(
        "/rounds/networks/suggestions/", {"school_year": "2018-19", "largest": 8, "limit": 5}
    )
    made = NetworkSuggestion.objects.get()
    page = client.get(f"/rounds/networks/suggestions/{made.pk}/").content.decode()
    assert "The needs these schools share" in page
    assert "Why X1 Public School" in page
    assert "beats the odds" in page
    assert "Form the network" in page and "Reject" in page


def test_accepting_adds_a_school_by_number_and_forms_the_network(client, world) -> None:
    login(client, world)
    found = suggestion(world)
    response = client.post(
        f"/rounds/networks/suggestions/{found.pk}/",
        {
            "decision": "accept",
            "accept-name": "Shore Mathematics",
            "accept-purpose": "Junior mathematics",
            "accept-schools": [world.school_b1.number],
            "accept-add": world.school_a1.number,
        },
    )
    network = Network.objects.get(name="Shore Mathematics")
    assert response["Location"] == f"/rounds/networks/{network.pk}/"
    assert set(network.schools.all()) == {world.school_b1, world.school_a1}


def test_a_network_formed_by_someone_else_is_linked_only_for_its_readers(client, world) -> None:
    """The ministry forms a network of schools outside the facilitator's networks: the suggestion
    names it for the facilitator, without a link to a page they may not open."""
    found = suggestion(world)
    login(client, world, "ministry")
    client.post(
        f"/rounds/networks/suggestions/{found.pk}/",
        {
            "decision": "accept",
            "accept-name": "Board A Readers",
            "accept-purpose": "Reading",
            "accept-schools": [s.number for s in found.schools.all()],
        },
    )
    network = Network.objects.get(name="Board A Readers")
    link = f'href="/rounds/networks/{network.pk}/"'
    assert link in client.get(f"/rounds/networks/suggestions/{found.pk}/").content.decode()
    login(client, world)
    page = client.get(f"/rounds/networks/suggestions/{found.pk}/").content.decode()
    assert "Board A Readers" in page and link not in page
    assert client.get(f"/rounds/networks/{network.pk}/").status_code in (403, 404)


def test_accepting_with_an_unknown_school_number_says_so(client, world) -> None:
    login(client, world)
    found = suggestion(world)
    response = client.post(
        f"/rounds/networks/suggestions/{found.pk}/",
        {"decision": "accept", "accept-name": "X", "accept-purpose": "Y", "accept-add": "123456"},
    )
    assert response.status_code == 200
    assert "No school has the number 123456." in response.content.decode()
    assert NetworkSuggestion.objects.get(pk=found.pk).state == SuggestionState.PROPOSED


def test_a_decided_suggestion_is_not_decided_again(client, world) -> None:
    login(client, world)
    found = suggestion(world)
    client.post(
        f"/rounds/networks/suggestions/{found.pk}/", {"decision": "reject", "reject-reason": "No"}
    )
    response = client.post(
        f"/rounds/networks/suggestions/{found.pk}/",
        {"decision": "accept", "accept-name": "X", "accept-purpose": "Y"},
        follow=True,
    )
    assert "already decided" in response.content.decode()
    assert not Network.objects.filter(name="X").exists()
    assert "Why it was rejected" in response.content.decode()


# --- a network's work ---------------------------------------------------------------------------


def test_the_network_page_shows_its_work_and_no_plan(
    client, world, django_assert_max_num_queries
) -> None:
    agreement(world)
    cycle(world)
    NetworkAction.objects.create(network=world.network, text="Share the task")
    login(client, world)
    with django_assert_max_num_queries(45):
        page = client.get(f"/rounds/networks/{world.network.pk}/").content.decode()
    assert "Mathematics talk" in page
    assert "Cycle 1" in page and "Share the task" in page
    assert "Mark done" in page and "Add an action" in page
    assert "/plans/" not in page


def test_a_reader_who_does_not_lead_sees_no_form(client, world) -> None:
    agreement(world)
    login(client, world, "principal_b1")
    page = client.get(f"/rounds/networks/{world.network.pk}/").content.decode()
    assert "Mathematics talk" in page
    assert "Add an action" not in page and "Start the cycle" not in page


def test_the_directory_s_network_page_links_to_its_work(client, world) -> None:
    login(client, world)
    page = client.get(f"/networks/{world.network.pk}/").content.decode()
    assert f'href="/rounds/networks/{world.network.pk}/"' in page


# --- the agreement -------------------------------------------------------------------------------


def agreement_form(world, based_on="0", **extra):
    return {
        "priorities": "Talk in mathematics",
        "norms": "We visit every term",
        "agreed_on": "2024-09-01",
        "schools": [world.school_b1.number],
        "based_on": based_on,
        "measure_1_assessment": "G6-MATH",
        "measure_1_group": "all",
        "measure_1_target": "55",
    } | extra


def test_recording_versions_and_reading_an_earlier_one(client, world) -> None:
    from capacity.evidence.services import assessments_ensure

    assessments_ensure()
    login(client, world)
    url = f"/rounds/networks/{world.network.pk}/agreement/"
    assert client.post(url, agreement_form(world)).status_code == 302
    assert (
        client.post(url, agreement_form(world, "1", priorities="Talk and write")).status_code == 302
    )
    stale = client.post(url, agreement_form(world, "1", priorities="Mine"))
    assert "Version 2 of the agreement was recorded after you opened it" in stale.content.decode()
    first = client.get(f"{url}?version=1").content.decode()
    assert "Talk in mathematics" in first and "Versions:" in first
    assert Agreement.objects.filter(network=world.network).count() == 2


def test_a_measure_s_target_is_checked_in_the_form(client, world) -> None:
    login(client, world)
    response = client.post(
        f"/rounds/networks/{world.network.pk}/agreement/",
        agreement_form(world, measure_1_target="150"),
    )
    assert response.status_code == 200
    assert not Agreement.objects.exists()


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext is not installed")
def test_the_agreement_pdf_reads_as_its_text(client, world, tmp_path) -> None:
    agreement(world)
    login(client, world, "principal_b1")
    response = client.get(f"/rounds/networks/{world.network.pk}/agreement.pdf")
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "agreement.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Working agreement" in text and "Mathematics talk" in text
    assert "Grade 6 mathematics" in text and "Birch Catholic School" in text


def test_no_pdf_without_an_agreement(client, world) -> None:
    login(client, world)
    assert client.get(f"/rounds/networks/{world.network.pk}/agreement.pdf").status_code == 404


# --- cycles --------------------------------------------------------------------------------------


def test_a_cycle_is_started_saved_and_moved_on(client, world) -> None:
    login(client, world)
    response = client.post(
        f"/rounds/networks/{world.network.pk}/cycles/", {"cycle-focus": "Fractions"}
    )
    assert response["Location"] == f"/rounds/networks/{world.network.pk}/cycles/1/"
    url = response["Location"]
    response = client.post(
        url, {"focus": "Fractions", "co_plan": "A task", "version": "1", "move": "co_teach"}
    )
    assert response.status_code == 302
    made = NetworkCycle.objects.get(network=world.network)
    assert (made.stage, made.co_plan) == (Protocol.CO_TEACH, "A task")
    refused = client.post(url, {"focus": "Fractions", "version": "3", "move": "co_reflect"})
    assert "one stage at a time" in refused.content.decode()


def test_a_stale_cycle_edit_keeps_what_was_typed(client, world) -> None:
    made = cycle(world)
    login(client, world)
    url = f"/rounds/networks/{world.network.pk}/cycles/1/"
    client.post(url, {"focus": "Fractions", "co_plan": "Theirs", "version": "1"})
    page = client.post(url, {"focus": "Fractions", "co_plan": "Mine", "version": "1"})
    text = page.content.decode()
    assert "What you wrote, not saved" in text and "Mine" in text
    made.refresh_from_db()
    assert made.co_plan == "Theirs"


def test_in_co_teach_leads_plan_a_visit_from_a_member_school_s_problem(client, world) -> None:
    made = NetworkCycle.objects.create(
        network=world.network, number=1, focus="f", stage=Protocol.CO_TEACH, co_plan="p"
    )
    problem = ProblemOfPractice.objects.create(
        school=world.school_b1, board=world.board_b, school_year="2024-25", evidence="e",
        statement="Few students explain their thinking",
    )  # fmt: skip
    login(client, world)
    page = client.get(f"/rounds/networks/{world.network.pk}/cycles/1/").content.decode()
    assert f"/rounds/problems/{problem.pk}/visits/new/?cycle={made.pk}" in page
    login(client, world, "principal_b1")
    page = client.get(f"/rounds/networks/{world.network.pk}/cycles/1/").content.decode()
    assert "visits/new" not in page


def test_co_reflect_asks_about_the_three_cultures(client, world) -> None:
    NetworkCycle.objects.create(
        network=world.network, number=1, focus="f", stage=Protocol.CO_REFLECT,
        co_plan="p", co_teach="t", co_debrief="d",
    )  # fmt: skip
    login(client, world)
    url = f"/rounds/networks/{world.network.pk}/cycles/1/"
    page = client.get(url).content.decode()
    for name in ("Balkanisation", "Comfortable collaboration", "Contrived congeniality"):
        assert name in page
    response = client.post(
        url,
        {
            "focus": "f",
            "co_reflect": "We learned",
            "version": "1",
            "balkanisation_noticed": "yes",
            "balkanisation_seen": "Each school kept to itself",
            "comfortable_noticed": "no",
            "contrived_noticed": "no",
            "move": "done",
        },
    )
    assert response.status_code == 302
    made = NetworkCycle.objects.get(network=world.network)
    assert made.stage == Protocol.DONE
    assert made.cultures["balkanisation"]["noticed"] is True


# --- actions -------------------------------------------------------------------------------------


def test_an_action_is_added_changed_and_marked_done(client, world) -> None:
    login(client, world)
    client.post(
        f"/rounds/networks/{world.network.pk}/actions/",
        {"action-text": "Share the task", "action-due": "2024-10-01"},
    )
    action = NetworkAction.objects.get()
    client.post(
        f"/rounds/networks/actions/{action.pk}/",
        {"text": "Share the task widely", "due": "2024-10-02", "seen_text": "Share the task",
         "seen_due": "2024-10-01"},
    )  # fmt: skip
    action.refresh_from_db()
    assert (action.text, action.due) == ("Share the task widely", datetime.date(2024, 10, 2))
    client.post(f"/rounds/networks/actions/{action.pk}/", {"done": "on"})
    action.refresh_from_db()
    assert action.done_at is not None
    stale = client.post(
        f"/rounds/networks/actions/{action.pk}/",
        {"text": "Other", "seen_text": "Share the task", "seen_due": "2024-10-01"},
        follow=True,
    )
    assert "Someone changed this action" in stale.content.decode()
