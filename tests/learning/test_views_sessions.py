"""The module session pages as people use them: planning one, its page for the facilitator and
for a participant (figures from five answers, never one person's), changing it from two tabs,
opening the evaluation, and the home page's sessions coming up."""

from __future__ import annotations

import datetime

import pytest
from django.utils import formats, timezone, translation

from capacity.directory.models import Role
from capacity.instruments import services as instrument_services
from capacity.instruments.models import Invitation
from capacity.learning import services_sessions as services
from capacity.learning.models import Item, Session
from capacity.learning.services import load_shipped
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
COMMENT = "The evidence inventory opened our eyes"


@pytest.fixture
def module(world) -> Item:
    load_shipped()
    return Item.objects.get(slug="using-evidence")


def teachers(world, n: int) -> list:
    people = []
    for i in range(n):
        user = UserFactory(username=f"teacher{i}", display_name=f"Teacher Number{i}")
        MembershipFactory(user=user, role=Role.TEACHER, school=world.school_a1)
        people.append(user)
    return people


def held_session(world, module, participants: list) -> Session:
    session = services.session_create(
        user=world.personas["principal_a1"],
        module=module,
        school=world.school_a1,
        held_on=TODAY,
        participants=participants,
        notes="Private: Sam was quiet",
    )
    services.session_evaluation_open(user=world.personas["principal_a1"], session=session)
    session.refresh_from_db()
    return session


def answer(session: Session, person, value: int, comment: str = "") -> None:
    invitation = Invitation.objects.get(round=session.evaluation, user=person)
    answers = dict.fromkeys(("1.1", "1.2", "1.3", "1.4", "2.1", "2.2"), value)
    instrument_services.response_save(
        invitation=invitation, answers=answers, comment=comment, submit=True
    )


def test_a_principal_plans_a_session_on_the_page(client, world, module) -> None:
    client.force_login(world.personas["principal_a1"])
    page = client.get("/learning/sessions/new/?module=using-evidence")
    assert page.status_code == 200
    content = page.content.decode()
    assert "Teacher A1 — Teacher" in content
    assert "Principal A1 — Principal" not in content  # never themselves
    next_week = TODAY + datetime.timedelta(days=7)
    response = client.post(
        "/learning/sessions/new/",
        {
            "place": f"school:{world.school_a1.pk}",
            "module": "using-evidence",
            "held_on": next_week.isoformat(),
            "participants": [world.personas["teacher_a1"].pk, world.personas["team_a1"].pk],
            "notes": "",
        },
    )
    session = Session.objects.get()
    assert (
        response.status_code == 302 and response["Location"] == f"/learning/sessions/{session.pk}/"
    )
    assert session.held_on == next_week and session.participants.count() == 2


def test_a_board_leader_first_chooses_the_board_or_one_of_its_schools(
    client, world, module
) -> None:
    client.force_login(world.personas["board_a"])
    page = client.get("/learning/sessions/new/?module=using-evidence").content.decode()
    assert "Alpha District School Board" in page and "Aspen Public School" in page
    assert 'name="participants"' not in page
    page = client.get(
        f"/learning/sessions/new/?module=using-evidence&place=board:{world.board_a.pk}"
    ).content.decode()
    assert 'name="participants"' in page and "Trustee A" in page


def test_it_refuses_a_place_the_person_does_not_run(client, world, module) -> None:
    client.force_login(world.personas["principal_a1"])
    response = client.get(f"/learning/sessions/new/?place=school:{world.school_b1.pk}")
    assert response.status_code == 403


def test_the_facilitator_sees_the_figures_from_five_answers_and_not_before(
    client, world, module
) -> None:
    people = teachers(world, 6)
    session = held_session(world, module, people)
    for i, person in enumerate(people[:4]):
        answer(session, person, 4 if i % 2 else 5, COMMENT if i == 0 else "")
    client.force_login(world.personas["principal_a1"])
    page = client.get(f"/learning/sessions/{session.pk}/").content.decode()
    assert "4 of 6 participants answered" in page
    assert "the figures are hidden until 5 have" in page
    assert "Mean per dimension" not in page and COMMENT not in page
    answer(session, people[4], 4)
    page = client.get(f"/learning/sessions/{session.pk}/").content.decode()
    assert "5 of 6 participants answered" in page
    assert "Mean per dimension" in page and "4.40" in page  # (5 + 4 + 5 + 4 + 4) / 5
    assert COMMENT in page
    assert "Teacher Number0" in page and "Private: Sam was quiet" in page


def test_a_participant_sees_the_count_and_their_own_link_never_the_others_answers(
    client, world, module
) -> None:
    people = teachers(world, 6)
    session = held_session(world, module, people)
    for person in people[:5]:
        answer(session, person, 5, COMMENT)
    client.force_login(people[5])
    page = client.get(f"/learning/sessions/{session.pk}/").content.decode()
    assert "5 of 6 participants answered" in page
    assert f"/surveys/{session.evaluation_id}/respond/" in page
    assert "Principal A1" in page  # the facilitator
    assert "Mean per dimension" not in page and COMMENT not in page
    assert "Teacher Number0" not in page  # the other participants' names
    assert "Private: Sam was quiet" not in page  # the facilitator's notes
    client.force_login(people[0])
    page = client.get(f"/learning/sessions/{session.pk}/").content.decode()
    assert "You sent your answers" in page and "/respond/" not in page


def test_people_outside_the_session_are_refused(client, world, module) -> None:
    session = held_session(world, module, [world.personas["teacher_a1"]])
    for persona, status in (("principal_b1", 403), ("trustee_a", 403), ("board_a", 200)):
        client.force_login(world.personas[persona])
        assert client.get(f"/learning/sessions/{session.pk}/").status_code == status
    assert client.get("/learning/sessions/999999/").status_code == 404


def test_two_tabs_editing_the_session_the_second_save_is_refused_shows_the_first_and_keeps_its_notes(
    client, world, module
) -> None:
    session = services.session_create(
        user=world.personas["principal_a1"],
        module=module,
        school=world.school_a1,
        held_on=TODAY + datetime.timedelta(days=3),
        participants=[world.personas["teacher_a1"]],
    )
    client.force_login(world.personas["principal_a1"])
    form = {
        "held_on": session.held_on.isoformat(),
        "participants": [world.personas["teacher_a1"].pk],
        "revision": "1",
    }
    first = client.post(f"/learning/sessions/{session.pk}/edit/", {**form, "notes": "Tab one"})
    assert first.status_code == 302
    second = client.post(f"/learning/sessions/{session.pk}/edit/", {**form, "notes": "Tab two"})
    assert second.status_code == 200
    content = second.content.decode()
    assert content.count("Someone saved this session after you opened it") == 1
    # What the first tab saved is shown, and the second tab's notes wait in the form.
    assert "The notes as they were saved" in content and "<p>Tab one</p>" in content
    assert ">\nTab two</textarea>" in content
    session.refresh_from_db()
    assert session.notes == "Tab one" and session.revision == 2


def test_the_facilitator_opens_the_evaluation_from_the_page(client, world, module) -> None:
    session = services.session_create(
        user=world.personas["principal_a1"],
        module=module,
        school=world.school_a1,
        held_on=TODAY - datetime.timedelta(days=1),
        participants=[world.personas["teacher_a1"], world.personas["team_a1"]],
    )
    client.force_login(world.personas["teacher_a1"])
    assert client.post(f"/learning/sessions/{session.pk}/evaluation/").status_code == 403
    client.force_login(world.personas["principal_a1"])
    page = client.get(f"/learning/sessions/{session.pk}/").content.decode()
    assert "Open the evaluation" in page
    response = client.post(f"/learning/sessions/{session.pk}/evaluation/")
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.evaluation is not None
    assert session.evaluation.invitations.count() == 2


def test_the_list_puts_sessions_coming_up_first_and_the_home_page_shows_the_next_30_days(
    client, world, module
) -> None:
    def make(days: int) -> Session:
        return services.session_create(
            user=world.personas["principal_a1"],
            module=module,
            school=world.school_a1,
            held_on=TODAY + datetime.timedelta(days=days),
            participants=[world.personas["teacher_a1"]],
        )

    soon, later, past = make(5), make(60), make(-10)
    client.force_login(world.personas["teacher_a1"])
    page = client.get("/learning/sessions/").content.decode()
    positions = [page.index(f"/learning/sessions/{s.pk}/") for s in (soon, later, past)]
    assert positions == sorted(positions)
    home = client.get("/").content.decode()
    assert "Module sessions coming up" in home
    assert f"/learning/sessions/{soon.pk}/" in home
    assert f"/learning/sessions/{later.pk}/" not in home
    assert f"/learning/sessions/{past.pk}/" not in home
    client.force_login(world.personas["principal_b1"])
    assert "Module sessions coming up" not in client.get("/").content.decode()


def test_the_module_page_offers_to_run_it_to_those_who_may(client, world, module) -> None:
    link = "/learning/sessions/new/?module=using-evidence"
    for persona, offered in (("principal_a1", True), ("board_a", True), ("teacher_a1", False)):
        client.force_login(world.personas[persona])
        page = client.get("/learning/using-evidence/")
        assert page.status_code == 200
        assert (link in page.content.decode()) is offered, persona


def edit_page_fields(content: str) -> tuple[bool, bool]:
    """Whether the edit page has inputs for the date and the participants."""
    return 'name="held_on"' in content, 'name="participants"' in content


def test_once_the_evaluation_is_open_the_edit_page_shows_date_and_people_as_text_and_saves_notes(
    client, world, module
) -> None:
    session = held_session(world, module, [world.personas["teacher_a1"]])
    client.force_login(world.personas["principal_a1"])
    page = client.get(f"/learning/sessions/{session.pk}/edit/").content.decode()
    assert edit_page_fields(page) == (False, False)
    assert world.personas["teacher_a1"].display_name in page  # shown as text
    # Even a post naming another date and nobody saves the notes and leaves the rest alone.
    response = client.post(
        f"/learning/sessions/{session.pk}/edit/",
        {
            "held_on": (TODAY + datetime.timedelta(days=9)).isoformat(),
            "participants": [],
            "notes": "Follow up with the team",
            "revision": str(session.revision),
        },
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.notes == "Follow up with the team" and session.held_on == TODAY
    assert list(session.participants.all()) == [world.personas["teacher_a1"]]


def test_a_stale_edit_after_the_evaluation_opened_keeps_the_notes_and_says_it_once(
    client, world, module
) -> None:
    session = services.session_create(
        user=world.personas["principal_a1"],
        module=module,
        school=world.school_a1,
        held_on=TODAY,
        participants=[world.personas["teacher_a1"]],
    )
    opened_at = session.revision
    services.session_evaluation_open(user=world.personas["principal_a1"], session=session)
    client.force_login(world.personas["principal_a1"])
    response = client.post(
        f"/learning/sessions/{session.pk}/edit/",
        {
            "held_on": (TODAY + datetime.timedelta(days=2)).isoformat(),
            "participants": [world.personas["teacher_a1"].pk],
            "notes": "Mine, typed before the evaluation opened",
            "revision": str(opened_at),
        },
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert content.count("Someone saved this session after you opened it") == 1
    assert content.count("the date and the participants stay as they were") == 1
    assert "Mine, typed before the evaluation opened</textarea>" in content
    assert edit_page_fields(content) == (False, False)


def test_a_session_with_fewer_participants_than_the_evaluation_reports_says_its_figures_never_show(
    client, world, module
) -> None:
    client.force_login(world.personas["principal_a1"])
    form = client.get(f"/learning/sessions/new/?module={module.slug}").content.decode()
    assert "Choose at least 5" in form
    people = teachers(world, 3)
    session = services.session_create(
        user=world.personas["principal_a1"],
        module=module,
        school=world.school_a1,
        held_on=TODAY + datetime.timedelta(days=3),
        participants=people,
    )
    never = "so they will never show"
    assert never in client.get(f"/learning/sessions/{session.pk}/").content.decode()
    assert never in client.get(f"/learning/sessions/{session.pk}/edit/").content.decode()
    client.force_login(people[0])  # participants are not told the facilitator's worry
    assert never not in client.get(f"/learning/sessions/{session.pk}/").content.decode()


def test_opening_a_small_sessions_evaluation_is_allowed_and_says_so_before_the_button(
    client, world, module
) -> None:
    people = teachers(world, 3)
    session = services.session_create(
        user=world.personas["principal_a1"],
        module=module,
        school=world.school_a1,
        held_on=TODAY,
        participants=people,
    )
    client.force_login(world.personas["principal_a1"])
    page = client.get(f"/learning/sessions/{session.pk}/").content.decode()
    assert page.count("so they will never show") == 1
    assert page.index("so they will never show") < page.index("Open the evaluation</button>")
    assert client.post(f"/learning/sessions/{session.pk}/evaluation/").status_code == 302
    session.refresh_from_db()
    assert session.evaluation is not None


def test_a_sessions_evaluation_names_the_module_and_date_for_its_participants(
    client, world, module
) -> None:
    session = held_session(world, module, [world.personas["teacher_a1"]])
    client.force_login(world.personas["teacher_a1"])
    with translation.override("en"):
        date = formats.date_format(TODAY, "DATE_FORMAT")
    home = client.get("/").content.decode()
    about = f"Deliberate use of multiple sources of evidence — session of {date}"
    assert f"Module evaluation: {about}, " in home
    respond = client.get(f"/surveys/{session.evaluation_id}/respond/").content.decode()
    assert about in respond
    with translation.override("fr"):
        date_fr = formats.date_format(TODAY, "DATE_FORMAT")
    assert session.evaluation.about_in("fr") == (
        f"L'utilisation délibérée de sources multiples de données probantes — séance du {date_fr}"
    )


def test_the_agenda_caption_does_not_suggest_the_facilitators_private_notes(
    client, world, module
) -> None:
    session = held_session(world, module, [world.personas["teacher_a1"]])
    client.force_login(world.personas["teacher_a1"])
    page = client.get(f"/learning/sessions/{session.pk}/").content.decode()
    assert "with notes for whoever leads each segment" in page
    assert "facilitator&#x27;s notes" not in page and "facilitator's notes" not in page
