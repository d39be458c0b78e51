"""Planning's forms: the version every edit carries, which fields each kind of plan shows, evidence files."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from capacity.planning import services
from capacity.planning.forms import (
    EVIDENCE_MAX_MB,
    AnswerForm,
    EntryForm,
    GoalForm,
    PlanForm,
    SupportRequestForm,
)
from capacity.planning.models import Kind, Plan


def entry(name: str, size: int = 10, **values: str) -> EntryForm:
    data = {"on": "2019-03-01", "value": "62.5", "version": "3", **values}
    upload = SimpleUploadedFile(name, b"x" * size)
    return EntryForm(data, {"evidence": upload})


@pytest.mark.parametrize("name", ["reading-log.PDF", "wall.jpeg", "talk.m4a", "notes.txt"])
def test_it_takes_the_kinds_of_evidence_a_team_documents_with(db, name) -> None:
    form = entry(name)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["evidence"].name == name


@pytest.mark.parametrize(
    "name", ["script.html", "macro.docm", "archive.zip", "pdf", "report.pdf.exe"]
)
def test_it_refuses_other_kinds_of_file(db, name) -> None:
    form = entry(name)
    assert not form.is_valid()
    assert form.errors["evidence"] == ["This kind of file is not accepted as evidence."]


def test_it_refuses_a_file_over_the_size_limit(db) -> None:
    limit = EVIDENCE_MAX_MB * 1024 * 1024
    assert entry("photo.png", size=limit).is_valid()
    too_big = entry("photo.png", size=limit + 1)
    assert not too_big.is_valid()
    assert too_big.errors["evidence"] == [f"The file is larger than {EVIDENCE_MAX_MB} MB."]


def test_an_entry_needs_no_file_but_a_value_between_0_and_100(db) -> None:
    data = {"on": "2019-03-01", "value": "62.5", "version": "3"}
    assert EntryForm(data).is_valid()
    assert "value" in EntryForm({**data, "value": "101"}).errors


def test_every_edit_carries_the_version_it_started_from(db) -> None:
    form = PlanForm({"title": "Reading for meaning"})
    assert not form.is_valid() and "version" in form.errors
    form = PlanForm({"title": "Reading for meaning", "version": "4"}, instance=Plan())
    assert form.is_valid(), form.errors
    assert form.cleaned_data["version"] == 4


def test_only_a_board_goal_names_a_characteristic_of_strong_districts(world) -> None:
    school_plan = services.plan_create(
        user=world.personas["principal_a1"], school=world.school_a1, school_year="2018-19"
    )
    board_plan = services.plan_create(
        user=world.personas["board_a"], board=world.board_a, school_year="2018-19"
    )
    assert school_plan.kind == Kind.SCHOOL and board_plan.kind == Kind.BOARD
    assert "characteristic" not in GoalForm(plan=school_plan).fields
    assert "characteristic" in GoalForm(plan=board_plan).fields
    assert GoalForm(plan=board_plan).instance.plan == board_plan


def test_a_support_request_names_at_least_one_need_and_an_answer_says_something() -> None:
    asked = SupportRequestForm({"tried": "Guided reading groups"})
    assert not asked.is_valid() and "needs" in asked.errors
    assert "needs" in SupportRequestForm({"tried": "x", "needs": ["wishes"]}).errors
    answer = AnswerForm({"answer": "A literacy coach, weekly"})
    assert answer.is_valid(), answer.errors
    assert answer.cleaned_data == {
        "answer": "A literacy coach, weekly",
        "provided": [],
        "close": False,
    }
    assert "answer" in AnswerForm({"provided": ["people"]}).errors
