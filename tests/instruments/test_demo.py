"""The demo's survey rounds: every state, enough respondents in some and too few in others."""

from __future__ import annotations

import pytest

from capacity.directory.demo import DemoOptions, build_demo
from capacity.directory.models import User
from capacity.instruments import selectors, services
from capacity.instruments.demo import build_demo_rounds
from capacity.instruments.models import Round

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    build_demo(DemoOptions(seed=11, boards=3, schools=12, years=2))
    return build_demo_rounds(seed=11)


def test_the_demo_has_rounds_at_every_state_and_on_both_sides_of_the_minimum(demo) -> None:
    rounds = list(Round.objects.select_related("instrument"))
    states = {services.round_state(r) for r in rounds}
    assert states == {services.SCHEDULED, services.OPEN, services.CLOSED}
    shown = {
        r.instrument.code: selectors.round_report(r).shown
        for r in rounds
        if services.round_state(r) != "scheduled"
    }
    assert shown["professional-capital"] is False  # 3 respondents
    assert shown["student-aspirations"] is True
    districts = Round.objects.filter(instrument__code="strong-districts").order_by("opens_on")
    last, this = list(districts)
    assert selectors.round_report(last).shown and not selectors.round_report(this).shown
    assert demo == {"rounds": 7, "responses": 27}


def test_the_principal_is_asked_to_rate_themselves_and_never_sees_it_counted(demo) -> None:
    principal = User.objects.get(username="principal")
    waiting = {i.round.instrument.code for i in selectors.to_answer(principal)}
    assert "leadership-competencies" in waiting
    rated = Round.objects.get(instrument__code="leadership-competencies")
    assert rated.subject == principal
    assert selectors.round_report(rated).respondents == 6


def test_the_demo_rounds_load_only_once(demo) -> None:
    with pytest.raises(ValueError, match="only once"):
        build_demo_rounds(seed=11)
