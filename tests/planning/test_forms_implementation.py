"""Implementation's forms: a review needs a status and what shows it, an evidence file of an
accepted kind, a checkpoint of the plan's own; the checkpoint form pairs each status with its
evidence, field by field; the month filter takes YYYY-MM only."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from capacity.planning.forms_implementation import (
    CheckpointReviewForm,
    MonthForm,
    StrategyReviewForm,
)
from capacity.planning.selectors_implementation import checkpoint_choices
from tests.planning.implementation_world import checkpoints, school_plan, strategies, today


@pytest.fixture
def plan(world):
    return school_plan(world)


def review_form(plan, files=None, **data):
    values = {
        "version": plan.version,
        "on": today().isoformat(),
        "status": "started",
        "evidence": "Seen",
    }
    values.update(data)
    return StrategyReviewForm(values, files, checkpoints=checkpoint_choices(plan))


def test_a_review_needs_a_status_and_evidence(plan) -> None:
    form = review_form(plan, status="", evidence="")
    assert not form.is_valid()
    assert set(form.errors) == {"status", "evidence"}
    assert review_form(plan).is_valid()


def test_a_review_names_only_its_plans_checkpoints(world, plan) -> None:
    other = school_plan(world, world.school_b1, team="principal_b1")
    assert review_form(plan, checkpoint=checkpoints(plan)[0].pk).is_valid()
    form = review_form(plan, checkpoint=checkpoints(other)[0].pk)
    assert not form.is_valid() and "checkpoint" in form.errors


def test_a_review_takes_an_evidence_file_of_an_accepted_kind(plan) -> None:
    good = {"evidence_file": SimpleUploadedFile("walk-through.pdf", b"%PDF-1.4")}
    assert review_form(plan, files=good).is_valid()
    bad = {"evidence_file": SimpleUploadedFile("macro.exe", b"MZ")}
    form = review_form(plan, files=bad)
    assert not form.is_valid() and "evidence_file" in form.errors


def checkpoint_form(plan, **data):
    values = {"version": plan.version, "on": today().isoformat()}
    values.update(data)
    return CheckpointReviewForm(values, strategies=strategies(plan))


def test_the_checkpoint_form_pairs_each_status_with_its_evidence(plan) -> None:
    first, second = strategies(plan)
    form = checkpoint_form(
        plan, **{f"status_{first.pk}": "embedded", f"evidence_{first.pk}": " Minutes "}
    )
    assert form.is_valid()
    assert form.reviews() == [(first, "embedded", "Minutes")]
    assert [s for s, _status, _evidence in form.rows()] == [first, second]
    form = checkpoint_form(plan, **{f"status_{second.pk}": "started"})
    assert not form.is_valid() and list(form.errors) == [f"evidence_{second.pk}"]


def test_the_checkpoint_form_asks_for_at_least_one_review(plan) -> None:
    form = checkpoint_form(plan)
    assert not form.is_valid()
    assert form.non_field_errors() == [
        "Review at least one strategy: give its status and what shows it."
    ]


def test_the_checkpoint_form_labels_each_strategy_by_number(plan) -> None:
    first, _second = strategies(plan)
    form = checkpoint_form(plan)
    assert form.fields[f"status_{first.pk}"].label == "Status of strategy 1"
    assert form.fields[f"status_{first.pk}"].choices[0] == ("", "Not reviewed now")


@pytest.mark.parametrize(
    ("month", "valid"), [("2025-11", True), ("", True), ("2025-13", False), ("11/2025", False)]
)
def test_the_month_filter_takes_a_year_and_month(month, valid) -> None:
    assert MonthForm({"month": month}).is_valid() is valid
