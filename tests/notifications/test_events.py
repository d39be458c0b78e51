"""Each planning event tells the people it concerns, and nobody else, in the inbox and by email."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from capacity.notifications.models import Notification, Preference
from capacity.planning import services
from capacity.planning.models import Goal, Kind, Plan
from tests.notifications.conftest import received


def school_plan(world) -> Plan:
    plan = services.plan_create(
        user=world.personas["principal_a1"], school=world.school_a1, school_year="2018-19"
    )
    Goal.objects.create(plan=plan, statement="Readers")
    return plan


def board_plan(world) -> Plan:
    plan = services.plan_create(
        user=world.personas["board_a"], board=world.board_a, school_year="2018-19"
    )
    Goal.objects.create(plan=plan, statement="Every student a reader")
    return plan


def submit(world, plan: Plan, who: str) -> None:
    services.plan_submit(plan=plan, user=world.personas[who], seen=plan.version)
    plan.refresh_from_db()


def decide(world, plan: Plan, who: str, accept: bool, comments: str = "") -> None:
    basis = services.review_basis(plan)
    assert basis is not None
    services.plan_decide(
        plan=plan, user=world.personas[who], accept=accept, comments=comments, **basis
    )


def test_it_tells_the_boards_leaders_when_a_school_plan_is_submitted(world, committed) -> None:
    plan = school_plan(world)
    committed(lambda: submit(world, plan, "principal_a1"))
    assert received() == {"board_a"}
    message = Notification.objects.get()
    assert message.kind == "plan_submitted"
    assert message.url == f"/plans/{plan.pk}/"
    assert message.subject == "Aspen Public School 2018-19 was submitted for review"


def test_it_tells_the_ministry_when_a_board_plan_is_submitted(world, committed) -> None:
    plan = board_plan(world)
    committed(lambda: submit(world, plan, "board_a"))
    assert received() == {"ministry"}


def test_a_returned_plan_reaches_its_team_with_the_comments(world, committed) -> None:
    plan = school_plan(world)
    submit(world, plan, "principal_a1")
    committed(lambda: decide(world, plan, "board_a", False, "Name the students you will track."))
    # The team (principal and school team), not the teacher, the trustee or another board.
    assert received("plan_returned") == {"principal_a1", "team_a1"}
    message = Notification.objects.filter(kind="plan_returned").first()
    assert message is not None
    assert "Name the students you will track." in message.body


def test_an_accepted_board_plan_reaches_the_boards_leaders(world, committed) -> None:
    plan = board_plan(world)
    submit(world, plan, "board_a")
    committed(lambda: decide(world, plan, "ministry", True))
    assert received("plan_accepted") == {"board_a"}


def test_a_coreflection_reaches_the_team_but_not_its_author(world, committed) -> None:
    plan = school_plan(world)
    committed(
        lambda: services.coreflection_add(
            plan=plan, user=world.personas["board_a"], themes="Talk about reading at home"
        )
    )
    assert received("coreflection_added") == {"principal_a1", "team_a1"}
    assert "Talk about reading at home" in Notification.objects.first().body


@pytest.mark.parametrize(("to_ministry", "answerers"), [(False, {"board_a"}), (True, {"ministry"})])
def test_a_support_request_reaches_whoever_answers_it(
    world, committed, to_ministry, answerers
) -> None:
    committed(
        lambda: services.support_request_create(
            user=world.personas["principal_a1"],
            school=world.school_a1,
            tried="Guided reading",
            needs=["people"],
            to_ministry=to_ministry,
        )
    )
    assert received("support_requested") == answerers


def test_an_answer_reaches_the_asker_and_the_team(world, committed) -> None:
    request = services.support_request_create(
        user=world.personas["principal_a1"],
        school=world.school_a1,
        tried="Guided reading",
        needs=["people"],
    )
    committed(
        lambda: services.support_request_answer(
            request=request, user=world.personas["board_a"], answer="A coach", provided=["people"]
        )
    )
    assert received("support_answered") == {"principal_a1", "team_a1"}
    assert "A coach" in Notification.objects.first().body


def test_a_refused_action_tells_nobody(world, committed) -> None:
    plan = school_plan(world)
    submit(world, plan, "principal_a1")
    with pytest.raises(PermissionDenied):
        committed(lambda: decide(world, plan, "trustee_a", True))
    assert not Notification.objects.filter(kind="plan_accepted").exists()


def test_nothing_is_sent_when_the_transaction_does_not_commit(world) -> None:
    """Without a commit (the test's own transaction never commits) the message waits, then is dropped."""
    plan = school_plan(world)
    submit(world, plan, "principal_a1")
    assert not Notification.objects.exists()


def test_the_email_goes_in_each_persons_language(world, committed, mailoutbox) -> None:
    Preference.objects.create(user=world.personas["principal_a1"], language="fr")
    plan = school_plan(world)
    submit(world, plan, "principal_a1")
    committed(lambda: decide(world, plan, "board_a", False, "Nommez les élèves."))
    by_address = {m.to[0]: m for m in mailoutbox}
    assert set(by_address) == {"principal_a1@example.org", "team_a1@example.org"}
    french, english = by_address["principal_a1@example.org"], by_address["team_a1@example.org"]
    assert french.subject == "Aspen Public School 2018-19 a été renvoyé avec des commentaires"
    assert "Leurs commentaires" in french.body and "Nommez les élèves." in french.body
    assert english.subject == "Aspen Public School 2018-19 was returned with comments"
    assert f"http://127.0.0.1:8000/plans/{plan.pk}/" in english.body
    assert Notification.objects.filter(emailed_at__isnull=False).count() == 2


def test_opting_out_of_email_keeps_the_inbox(world, committed, mailoutbox) -> None:
    Preference.objects.create(user=world.personas["board_a"], email=False)
    plan = school_plan(world)
    committed(lambda: submit(world, plan, "principal_a1"))
    assert mailoutbox == []
    assert received() == {"board_a"}
    assert Notification.objects.get().emailed_at is None


def test_people_without_an_address_or_with_an_undeliverable_one_get_no_email(
    world, committed, mailoutbox
) -> None:
    world.personas["principal_a1"].email = ""
    world.personas["principal_a1"].save()
    world.personas["team_a1"].email = "team@demo.capacity.invalid"
    world.personas["team_a1"].save()
    plan = school_plan(world)
    committed(
        lambda: services.coreflection_add(plan=plan, user=world.personas["board_a"], themes="Talk")
    )
    assert received() == {"principal_a1", "team_a1"}
    assert mailoutbox == []


def test_a_failing_mail_server_keeps_the_message_and_the_action(world, committed, settings) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1
    plan = school_plan(world)
    committed(lambda: submit(world, plan, "principal_a1"))
    assert Plan.objects.get(pk=plan.pk).review == "submitted"
    message = Notification.objects.get()
    assert message.emailed_at is None


def test_an_inactive_leader_hears_nothing(world, committed) -> None:
    world.personas["board_a"].is_active = False
    world.personas["board_a"].save()
    plan = school_plan(world)
    committed(lambda: submit(world, plan, "principal_a1"))
    assert received() == set()
    assert Plan.objects.filter(kind=Kind.SCHOOL).count() == 1
