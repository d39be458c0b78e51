"""Module sessions through their services: who runs one and who takes part, stale edits,
opening the evaluation for exactly the participants, and the messages people get."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from capacity.instruments.models import Invitation
from capacity.learning import services_sessions as services
from capacity.learning.models import Item, Session
from capacity.learning.services import load_shipped
from capacity.notifications.models import Notification

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def module(world) -> Item:
    load_shipped()
    return Item.objects.get(slug="using-evidence")


def plan(world, module, *, by="principal_a1", school=True, people=("teacher_a1", "team_a1"), **kw):
    return services.session_create(
        user=world.personas[by],
        module=module,
        school=world.school_a1 if school else None,
        board=None if school else world.board_a,
        held_on=kw.pop("held_on", TODAY + datetime.timedelta(days=7)),
        participants=[world.personas[p] for p in people],
        notes=kw.pop("notes", "Bring the data binder."),
    )


def test_the_person_who_plans_a_session_facilitates_it_and_participants_are_told(
    world, module, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        session = plan(world, module)
    assert session.facilitator == world.personas["principal_a1"]
    assert {p.username for p in session.participants.all()} == {"teacher_a1", "team_a1"}
    told = Notification.objects.filter(kind="session_planned")
    assert {n.recipient.username for n in told} == {"teacher_a1", "team_a1"}
    message = told.first()
    assert message is not None
    assert "Deliberate use of multiple sources of evidence" in message.subject
    assert message.url == f"/learning/sessions/{session.pk}/"


def test_only_those_who_may_run_surveys_there_plan_a_session(world, module) -> None:
    for person in ("teacher_a1", "trustee_a", "principal_b1", "facilitator"):
        with pytest.raises(PermissionDenied):
            plan(world, module, by=person, people=("team_a1",))
    # A board's leader runs sessions for the board and for its schools.
    plan(world, module, by="board_a", people=("teacher_a1",))
    plan(world, module, by="board_a", school=False, people=("trustee_a", "principal_a1"))
    assert Session.objects.count() == 2


def test_participants_are_the_places_people_and_never_the_facilitator(world, module) -> None:
    with pytest.raises(ValidationError) as refused:
        plan(world, module, people=("principal_a1", "teacher_a1"))
    assert "participants" in refused.value.message_dict
    # Someone of another board, or of the board but not of this school.
    for outsider in ("principal_b1", "trustee_a"):
        with pytest.raises(ValidationError) as refused:
            plan(world, module, people=("teacher_a1", outsider))
        assert "participants" in refused.value.message_dict
    with pytest.raises(ValidationError):
        plan(world, module, people=())
    assert not Session.objects.exists()


def test_it_refuses_a_case_study_as_the_module(world, module) -> None:
    case = Item.objects.get(slug="lakeshore-data-cycles")
    with pytest.raises(ValidationError) as refused:
        plan(world, case)
    assert "module" in refused.value.message_dict


def test_a_stale_edit_is_refused_and_saves_nothing(world, module) -> None:
    session = plan(world, module)
    facilitator = world.personas["principal_a1"]
    services.session_update(
        user=facilitator,
        session=session,
        revision=1,
        held_on=session.held_on,
        participants=[world.personas["teacher_a1"]],
        notes="First tab",
    )
    with pytest.raises(ValidationError) as refused:
        services.session_update(
            user=facilitator,
            session=session,
            revision=1,
            held_on=session.held_on,
            participants=[world.personas["teacher_a1"], world.personas["team_a1"]],
            notes="Second tab",
        )
    assert "Someone saved this session" in refused.value.messages[0]
    session.refresh_from_db()
    assert session.notes == "First tab" and session.revision == 2
    assert session.participants.count() == 1


def test_only_the_facilitator_changes_a_session_and_added_people_are_told(
    world, module, django_capture_on_commit_callbacks
) -> None:
    session = plan(world, module, people=("teacher_a1",))
    with pytest.raises(PermissionDenied):
        services.session_update(
            user=world.personas["board_a"],
            session=session,
            revision=1,
            held_on=session.held_on,
            participants=[world.personas["teacher_a1"]],
            notes="",
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.session_update(
            user=world.personas["principal_a1"],
            session=session,
            revision=1,
            held_on=session.held_on,
            participants=[world.personas["teacher_a1"], world.personas["team_a1"]],
            notes="",
        )
    told = Notification.objects.filter(kind="session_planned")
    assert [n.recipient.username for n in told] == ["team_a1"]


def test_the_evaluation_opens_after_the_session_for_exactly_its_participants(world, module) -> None:
    session = plan(world, module, people=("teacher_a1", "team_a1"))
    facilitator = world.personas["principal_a1"]
    with pytest.raises(ValidationError):
        services.session_evaluation_open(user=facilitator, session=session)  # not held yet
    Session.objects.filter(pk=session.pk).update(held_on=TODAY - datetime.timedelta(days=1))
    with pytest.raises(PermissionDenied):
        services.session_evaluation_open(user=world.personas["team_a1"], session=session)
    round_ = services.session_evaluation_open(user=facilitator, session=session)
    assert round_.instrument.code == "module-evaluation" and round_.school == world.school_a1
    invited = set(Invitation.objects.filter(round=round_).values_list("user__username", flat=True))
    assert invited == {
        "teacher_a1",
        "team_a1",
    }  # not the school's other people, not the facilitator
    session.refresh_from_db()
    assert session.evaluation == round_
    with pytest.raises(ValidationError):
        services.session_evaluation_open(user=facilitator, session=session)


def test_once_the_evaluation_is_open_only_the_notes_change(world, module) -> None:
    session = plan(world, module, held_on=TODAY)
    facilitator = world.personas["principal_a1"]
    services.session_evaluation_open(user=facilitator, session=session)
    session.refresh_from_db()
    with pytest.raises(ValidationError):
        services.session_update(
            user=facilitator,
            session=session,
            revision=session.revision,
            held_on=session.held_on,
            participants=[world.personas["teacher_a1"]],
            notes="",
        )
    services.session_update(
        user=facilitator,
        session=session,
        revision=session.revision,
        held_on=session.held_on,
        participants=list(session.participants.all()),
        notes="Follow up on the evidence inventory.",
    )
    session.refresh_from_db()
    assert session.notes == "Follow up on the evidence inventory."
