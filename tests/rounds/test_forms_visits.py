"""The visit's schedule form: rows kept, added, removed, and blank rows left out."""

from __future__ import annotations

import datetime

from capacity.rounds.forms_visits import ClassroomFormSet, ProblemForm, VisitForm, schedule_rows


def management(total: int, initial: int) -> dict[str, str]:
    return {
        "classrooms-TOTAL_FORMS": str(total),
        "classrooms-INITIAL_FORMS": str(initial),
        "classrooms-MIN_NUM_FORMS": "0",
        "classrooms-MAX_NUM_FORMS": "12",
    }


def test_the_schedule_keeps_its_rows_adds_filled_ones_and_drops_removed_and_blank_ones() -> None:
    data = {
        **management(4, 2),
        "classrooms-0-id": "7",
        "classrooms-0-minutes": "20",
        "classrooms-0-grade": "6",
        "classrooms-1-id": "8",
        "classrooms-1-minutes": "20",
        "classrooms-1-DELETE": "on",
        "classrooms-2-minutes": "25",
        "classrooms-2-starts": "10:15",
        "classrooms-2-subject": "science",
        "classrooms-3-minutes": "20",
    }
    initial = [{"id": 7, "minutes": 20, "grade": "6"}, {"id": 8, "minutes": 20}]
    formset = ClassroomFormSet(data, prefix="classrooms", initial=initial)
    assert formset.is_valid(), formset.errors
    rows = schedule_rows(formset)
    assert [(r.pk, r.grade, r.subject, r.minutes) for r in rows] == [
        (7, "6", "", 20),
        (None, "", "science", 25),
    ]
    assert rows[1].starts == datetime.time(10, 15)


def test_a_row_out_of_bounds_is_an_error_on_its_field() -> None:
    data = {**management(1, 0), "classrooms-0-minutes": "500", "classrooms-0-grade": "13"}
    formset = ClassroomFormSet(data, prefix="classrooms")
    assert not formset.is_valid()
    assert set(formset.forms[0].errors) == {"minutes", "grade"}


def test_the_goal_is_left_out_for_those_who_may_not_read_the_plan() -> None:
    assert "goal" not in ProblemForm(goals=None).fields
    form = VisitForm(people=[(1, "Ada — Principal, Aspen")])
    assert form.fields["team"].choices == [("1", "Ada — Principal, Aspen")]  # type: ignore[attr-defined]
