"""The instruments' messages: invited people are told, and reminded before a round closes."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone, translation

from capacity.instruments import selectors, services
from capacity.instruments.models import Instrument
from capacity.notifications.models import Notification
from capacity.notifications.services import remind

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_those_who_have_not_answered_are_reminded_three_days_and_one_day_before_it_closes(
    world,
) -> None:
    round_, _ = services.round_open(
        user=world.personas["board_a"],
        instrument=Instrument.objects.get(code="strong-districts"),
        board=world.board_a,
        opens_on=TODAY,
        closes_on=TODAY + datetime.timedelta(days=3),
    )
    invitation = selectors.get_invitation(world.personas["principal_a1"], round_.pk)
    answers = {item.code: 3 for item in selectors.definition_of_round(round_).items}
    services.response_save(invitation=invitation, answers=answers, submit=True)

    assert remind(today=TODAY) > 0
    reminded = set(
        Notification.objects.filter(kind="survey_reminder").values_list(
            "recipient__username", flat=True
        )
    )
    assert reminded == {"board_a", "trustee_a"}  # the principal has answered
    remind(today=TODAY)  # the same day again: nothing new
    assert Notification.objects.filter(kind="survey_reminder").count() == 2
    remind(today=TODAY + datetime.timedelta(days=1))  # two days before: no reminder
    assert Notification.objects.filter(kind="survey_reminder").count() == 2
    remind(today=TODAY + datetime.timedelta(days=2))  # the day before
    assert Notification.objects.filter(kind="survey_reminder").count() == 4


def test_the_message_names_the_instrument_in_the_readers_language(world) -> None:
    services.round_open(
        user=world.personas["board_a"],
        instrument=Instrument.objects.get(code="strong-districts"),
        board=world.board_a,
        opens_on=TODAY,
        closes_on=TODAY + datetime.timedelta(days=1),
    )
    remind(today=TODAY)
    message = Notification.objects.filter(kind="survey_reminder").first()
    with translation.override("fr"):
        assert "Les neuf caractéristiques" in message.subject
    with translation.override("en"):
        assert "Nine characteristics of strong districts" in message.subject


def test_the_invitation_says_what_the_round_is_about_when_its_opener_said(
    world, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.round_open(
            user=world.personas["board_a"],
            instrument=Instrument.objects.get(code="strong-districts"),
            board=world.board_a,
            opens_on=TODAY,
            closes_on=TODAY + datetime.timedelta(days=5),
            about={"en": "Spring check-in", "fr": "Bilan du printemps"},
        )
    message = Notification.objects.filter(kind="survey_invited").first()
    assert message is not None
    with translation.override("fr"):
        assert "(Bilan du printemps)" in message.subject
    with translation.override("en"):
        assert "(Spring check-in)" in message.subject
        assert "Spring check-in" in message.body
