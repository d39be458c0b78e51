"""Plan exports: the printable document (HTML and PDF), JSON, CSV and `capacity plans export`."""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from capacity.cli import app
from capacity.evidence.models import Assessment
from capacity.evidence.services import assessments_ensure
from capacity.planning import exports, services
from capacity.planning.models import Plan, Target
from tests.conftest import need
from tests.evidence.conftest import results_for

runner = CliRunner()

STATEMENT = "More Grade 6 students reason mathematically"
STRATEGY = "Weekly co-planning of math tasks"
COLUMNS = [
    "plan_id",
    "school_number",
    "board_number",
    "school_year",
    "kind",
    "stage",
    "review",
    "focused_intervention",
    "goal",
    "measure",
    "assessment",
    "description",
    "group",
    "baseline_year",
    "baseline_value",
    "target_value",
    "target_year",
    "progress_status",
    "latest_year",
    "latest_value",
]


def assessment(code: str) -> Assessment:
    assessments_ensure()
    return Assessment.objects.get(code=code)


@pytest.fixture
def plan(world) -> Plan:
    """Aspen's 2018-19 plan, accepted on its second submission and now in action, with everything filled in.

    Grade 6 math runs from 40% (2017-18) toward 60% by 2019-20; 2018-19 came in at 52%, above the
    line's 50%, so the target is on track. The Grade 6 reading target has no result after its baseline.
    """
    principal, ministry, board = (
        world.personas[n] for n in ("principal_a1", "ministry", "board_a")
    )
    results_for(world.school_a1, "2017-18", [40, 42, 30, 45, 48, 40])
    results_for(world.school_a1, "2018-19", [44, 45, 35, 47, 50, 52])
    plan = services.plan_create(
        user=principal,
        school=world.school_a1,
        school_year="2018-19",
        title="Reasoning in every classroom",
    )
    goal = services.goal_add(
        plan=plan,
        user=principal,
        seen=plan.version,
        statement=STATEMENT,
        area="mathematics",
        focus="group",
        group="ell",
    )
    services.target_add(
        goal=goal,
        user=principal,
        seen=plan.version,
        assessment=assessment("G6-MATH"),
        baseline_year="2017-18",
        baseline_value=40.0,
        target_value=60.0,
        target_year="2019-20",
    )
    services.target_add(
        goal=goal,
        user=principal,
        seen=plan.version,
        assessment=assessment("G6-READ"),
        baseline_year="2018-19",
        target_value=70.0,
        target_year="2020-21",
    )
    services.strategy_add(
        goal=goal,
        user=principal,
        seen=plan.version,
        action=STRATEGY,
        responsible="Grade 6 team",
        professional_learning="Lesson study on number talks",
        resources="Release time, two days a term",
        starts=datetime.date(2018, 9, 10),
        ends=datetime.date(2019, 6, 14),
        drivers=["collaborative_work", "pedagogy"],
    )
    checkpoint = services.checkpoint_add(
        plan=plan,
        user=principal,
        seen=plan.version,
        due=datetime.date(2019, 1, 31),
        title="Mid-year look at student work",
    )
    services.item_update(
        item=checkpoint,
        user=principal,
        seen=plan.version,
        progress="Half the class explains its reasoning",
        adjustments="Add a second weekly task",
    )
    services.goal_add(
        plan=plan,
        user=principal,
        seen=plan.version,
        statement="Students feel they belong",
        area="well_being",
    )
    services.plan_update(
        plan=plan,
        user=principal,
        seen=plan.version,
        overall_impact="Talk about math grew",
        next_steps="Bring number talks to Grade 4",
    )
    services.plan_submit(plan=plan, user=principal, seen=plan.version)
    services.plan_decide(
        plan=plan,
        user=ministry,
        accept=False,
        comments="Tie the strategy to the target",
        **services.review_basis(plan),
    )
    services.plan_submit(plan=plan, user=principal, seen=plan.version)
    services.plan_decide(plan=plan, user=board, accept=True, **services.review_basis(plan))
    services.plan_stage_move(plan=plan, user=principal, seen=plan.version, to="act")
    note = services.coreflection_add(
        plan=plan,
        user=board,
        themes="Students explain their thinking more often",
        keep="The weekly co-planning",
        consider="Visiting a network school",
    )
    services.reply_add(coreflection=note, user=principal, text="We will visit Alder in March")
    Plan.objects.filter(pk=plan.pk).update(
        focused_intervention=True,
        identification={
            "policy": "OFIP 2016",
            "reasons": [
                {"school_year": "2018-19", "assessment": "G3-MATH", "pct_at_standard": 35.0}
            ],
        },
    )
    plan.refresh_from_db()
    return plan


@pytest.fixture
def other_plans(world, plan) -> tuple[Plan, Plan]:
    """Board A's own plan for 2018-19 (no goals yet) and Birch's 2019-20 plan in board B."""
    board_plan = services.plan_create(
        user=world.personas["board_a"], board=world.board_a, school_year="2018-19"
    )
    birch = services.plan_create(
        user=world.personas["principal_b1"], school=world.school_b1, school_year="2019-20"
    )
    return board_plan, birch


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    need(
        shutil.which("pdftotext") is not None,
        "pdftotext is not installed (apt-get install poppler-utils)",
    )
    source = tmp_path / "plans.pdf"
    source.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(source), "-"], check=True, capture_output=True, text=True
    ).stdout
    return re.sub(r"\s+", " ", text)  # lines wrap wherever the layout puts them


# --- JSON ------------------------------------------------------------------------------


def test_it_exports_each_plan_as_json_with_its_goals_targets_and_progress(
    plan, other_plans
) -> None:
    data = json.loads(exports.plans_json(Plan.objects.order_by("pk")))
    assert [p["id"] for p in data] == sorted(Plan.objects.values_list("pk", flat=True))
    aspen = data[0]
    assert (aspen["school"], aspen["board"], aspen["stage"], aspen["review"]) == (
        "700001",
        "B66001",
        "act",
        "accepted",
    )
    assert aspen["focused_intervention"] is True
    assert aspen["identification"]["reasons"][0]["assessment"] == "G3-MATH"
    assert [g["statement"] for g in aspen["goals"]] == [STATEMENT, "Students feel they belong"]
    math, reading = aspen["goals"][0]["targets"]
    assert (math["assessment"], math["baseline_value"], math["target_value"]) == (
        "G6-MATH",
        40.0,
        60.0,
    )
    assert math["progress"] == {
        "status": "on_track",
        "latest_year": "2018-19",
        "latest_value": 52.0,
        "expected": 50.0,
    }
    # Its baseline came from the evidence (47% in 2018-19), and nothing came after it yet.
    assert (reading["baseline_value"], reading["progress"]["status"]) == (47.0, "no_data")
    assert aspen["goals"][0]["strategies"][0]["drivers"] == ["collaborative_work", "pedagogy"]
    assert aspen["checkpoints"][0]["progress"] == "Half the class explains its reasoning"
    assert data[1]["goals"] == [] and data[1]["school"] is None


def test_it_exports_an_empty_json_list_when_there_are_no_plans(db) -> None:
    assert json.loads(exports.plans_json(Plan.objects.all())) == []


# --- CSV -------------------------------------------------------------------------------


def test_it_exports_one_csv_row_per_target_and_one_for_each_goal_or_plan_without_targets(
    plan, other_plans
) -> None:
    board_plan, birch = other_plans
    text = exports.plans_csv(Plan.objects.order_by("pk"))
    reader = csv.DictReader(io.StringIO(text))
    assert reader.fieldnames == COLUMNS
    rows = list(reader)
    aspen = [r for r in rows if r["plan_id"] == str(plan.pk)]
    assert [(r["goal"], r["assessment"]) for r in aspen] == [
        (STATEMENT, "G6-MATH"),
        (STATEMENT, "G6-READ"),
        ("Students feel they belong", ""),
    ]
    math = aspen[0]
    assert {
        k: math[k]
        for k in (
            "school_number",
            "board_number",
            "school_year",
            "kind",
            "stage",
            "review",
            "focused_intervention",
            "measure",
            "group",
            "baseline_year",
            "baseline_value",
            "target_value",
            "target_year",
            "progress_status",
            "latest_year",
            "latest_value",
        )
    } == {
        "school_number": "700001",
        "board_number": "B66001",
        "school_year": "2018-19",
        "kind": "school",
        "stage": "act",
        "review": "accepted",
        "focused_intervention": "true",
        "measure": "assessment",
        "group": "all",
        "baseline_year": "2017-18",
        "baseline_value": "40",
        "target_value": "60",
        "target_year": "2019-20",
        "progress_status": "on_track",
        "latest_year": "2018-19",
        "latest_value": "52",
    }
    assert aspen[1]["progress_status"] == "no_data" and aspen[1]["latest_value"] == ""
    assert all(aspen[2][c] == "" for c in COLUMNS[9:])  # a goal with no target
    for empty_plan in (board_plan, birch):
        (row,) = [r for r in rows if r["plan_id"] == str(empty_plan.pk)]
        assert row["goal"] == "" and all(row[c] == "" for c in COLUMNS[9:])
    (board_row,) = [r for r in rows if r["plan_id"] == str(board_plan.pk)]
    assert (board_row["kind"], board_row["school_number"], board_row["focused_intervention"]) == (
        "board",
        "",
        "false",
    )


def test_a_custom_measure_exports_its_description_and_the_teams_entries(world, plan) -> None:
    goal = plan.goals.get(statement="Students feel they belong")
    target = services.target_add(
        goal=goal,
        user=world.personas["principal_a1"],
        seen=plan.version,
        measure="custom",
        description="Students who name an adult they trust",
        baseline_year="2017-18",
        baseline_value=60,
        target_value=80,
        target_year="2018-19",
    )
    target.entries.create(on=datetime.date(2019, 2, 1), value=85)
    rows = list(csv.DictReader(io.StringIO(exports.plans_csv([plan]))))
    (row,) = [r for r in rows if r["measure"] == Target.Measure.CUSTOM]
    assert (row["assessment"], row["description"]) == ("", "Students who name an adult they trust")
    assert (row["progress_status"], row["latest_year"], row["latest_value"]) == (
        "met",
        "2018-19",
        "85",
    )


# --- the printable document ----------------------------------------------------------------


def test_the_document_context_holds_each_goal_with_its_targets_progress_and_driver_labels(
    plan,
) -> None:
    context = exports.document_context(Plan.objects.get(pk=plan.pk))
    assert context["plan"] == plan
    document = context["document"]
    first, second = document.goals
    assert (first.number, first.goal.statement, second.number) == (1, STATEMENT, 2)
    assert [(row.target.assessment.code, row.progress.status) for row in first.targets] == [
        ("G6-MATH", "on_track"),
        ("G6-READ", "no_data"),
    ]
    assert first.strategies[0].drivers == ["Collaborative work", "Pedagogy"]
    assert document.identification.policy == "OFIP 2016"
    assert [s.decision for s in document.submissions] == ["returned", "accepted"]
    assert document.coreflections[0].replies.all()[0].text == "We will visit Alder in March"


def test_the_document_reads_as_an_accessible_plan(plan) -> None:
    from django.template.loader import render_to_string

    html = render_to_string("planning/_document.html", exports.document_context(plan))
    headings = re.findall(r"<h([1-6])\b", html)
    assert headings[0] == "2" and "1" not in headings
    assert all(
        int(b) - int(a) <= 1 for a, b in zip(headings, headings[1:], strict=False)
    )  # no level skipped
    assert (
        html.count("<table") == html.count("<caption>") == 3
    )  # identification, targets, submissions
    assert "<th>" not in html and 'scope="col"' in html and 'scope="row"' in html
    for text in (
        "Aspen Public School",
        "Alpha District School Board (B66001)",
        "Reasoning in every classroom",
        "Accepted",
        "Act",
        "OFIP 2016",
        "Grade 3 mathematics",
        STATEMENT,
        "Mathematics",
        "A group of students: English language learners",
        "Grade 6 mathematics",
        "40% in 2017-18",
        "60% by 2019-20",
        "52% in 2018-19",
        "On track",
        "No data yet",
        STRATEGY,
        "Grade 6 team",
        "Lesson study on number talks",
        "Collaborative work, Pedagogy",
        "Mid-year look at student work",
        "Add a second weekly task",
        "Talk about math grew",
        "Bring number talks to Grade 4",
        "Students explain their thinking more often",
        "Board A",
        "We will visit Alder in March",
        "Principal A1",
        "Tie the strategy to the target",
        "Returned with comments",
    ):
        assert text in html, text
    assert "Characteristic of strong districts" not in html  # only board plans name one


def test_a_board_plans_document_names_the_characteristic_of_strong_districts(world) -> None:
    board_plan = services.plan_create(
        user=world.personas["board_a"], board=world.board_a, school_year="2018-19"
    )
    services.goal_add(
        plan=board_plan,
        user=world.personas["board_a"],
        seen=board_plan.version,
        statement="Mathematics across the board",
        characteristic="instructional_guidance",
    )
    from django.template.loader import render_to_string

    html = render_to_string("planning/_document.html", exports.document_context(board_plan))
    assert "Coherent instructional guidance system" in html
    assert "Alpha District School Board: improvement plan for 2018-19" in html


def test_loading_plans_for_export_takes_the_same_queries_for_one_plan_or_many(
    plan, other_plans, django_assert_num_queries
) -> None:
    # plans with board and school, goals, targets, strategies, checkpoints, co-reflections, replies, submissions
    with django_assert_num_queries(8):
        loaded = exports.plans_loaded(Plan.objects.all())
    with django_assert_num_queries(0):
        for each in loaded:
            for goal in each.goals.all():
                list(goal.targets.all())
                list(goal.strategies.all())
            list(each.checkpoints.all())
            list(each.submissions.all())
            _ = each.board.name, each.school.name if each.school else ""


@pytest.mark.parametrize(
    ("language", "due"), [("en", "January 31, 2019"), ("fr", "31 janvier 2019")]
)
def test_the_pdf_holds_the_plan_in_the_language_asked_for(
    plan, other_plans, tmp_path, language, due
) -> None:
    html = exports.plans_html([plan], language)
    assert f'<html lang="{language}">' in html
    pdf = exports.plans_pdf(Plan.objects.filter(pk=plan.pk), language)
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf, tmp_path)
    for expected in (
        "Aspen Public School",
        STATEMENT,
        {"en": "Grade 6", "fr": "6e année"}[language],  # the name (cells wrap), not the code
        STRATEGY,
        "Mid-year look at student work",
        due,
    ):
        assert expected in text, expected
    assert "Birch Catholic School" not in text


def test_the_pdf_starts_each_plan_on_a_new_page(plan, other_plans, tmp_path) -> None:
    need(
        shutil.which("pdfinfo") is not None,
        "pdfinfo is not installed (apt-get install poppler-utils)",
    )
    pdf = exports.plans_pdf(Plan.objects.order_by("school_year", "pk"), "en")
    source = tmp_path / "all.pdf"
    source.write_bytes(pdf)
    pages = int(
        re.search(
            r"Pages:\s+(\d+)",
            subprocess.run(
                ["pdfinfo", str(source)], check=True, capture_output=True, text=True
            ).stdout,
        ).group(1)
    )
    texts = [
        re.sub(
            r"\s+",
            " ",
            subprocess.run(
                ["pdftotext", "-f", str(n), "-l", str(n), str(source), "-"],
                check=True,
                capture_output=True,
                text=True,
            ).stdout,
        )
        for n in range(1, pages + 1)
    ]
    starts = [
        n for n, t in enumerate(texts, 1) if "improvement plan for" in t and "Kind of plan" in t
    ]
    assert len(starts) == 3 and pages >= 3
    assert f"Page 1 of {pages}" in texts[0] and f"Page {pages} of {pages}" in texts[-1]
    assert "Birch Catholic School: improvement plan for 2019-20" in texts[-1]


# --- the command line -------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_command_prints_json_for_a_school(plan, other_plans) -> None:
    result = runner.invoke(app, ["plans", "export", "--format", "json", "--school", "700001"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [p["id"] for p in data] == [plan.pk]
    assert data[0]["goals"][0]["targets"][0]["progress"]["status"] == "on_track"


@pytest.mark.django_db(transaction=True)
def test_the_command_writes_csv_for_a_board_and_a_year(plan, other_plans, tmp_path) -> None:
    board_plan, _ = other_plans
    out = tmp_path / "plans.csv"
    result = runner.invoke(
        app,
        [
            "plans",
            "export",
            "--format",
            "csv",
            "--board",
            "B66001",
            "--year",
            "2018-19",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    # The board's own plan comes before its schools'; Birch (board B, 2019-20) is left out.
    assert [r["plan_id"] for r in rows] == [str(board_plan.pk)] + [str(plan.pk)] * 3
    assert "Wrote 2 plan(s)" in result.stderr


@pytest.mark.django_db(transaction=True)
def test_the_command_prints_csv_for_the_whole_province(plan, other_plans) -> None:
    result = runner.invoke(app, ["plans", "export", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == COLUMNS
    assert {r[0] for r in rows[1:]} == {str(p) for p in Plan.objects.values_list("pk", flat=True)}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_command_writes_a_pdf_only_to_a_file(plan, tmp_path, language) -> None:
    refused = runner.invoke(app, ["plans", "export", "--format", "pdf", "--school", "700001"])
    assert refused.exit_code == 2 and "--out" in refused.stderr
    out = tmp_path / "aspen.pdf"
    result = runner.invoke(
        app,
        [
            "plans",
            "export",
            "--format",
            "pdf",
            "--school",
            "700001",
            "--language",
            language,
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    text = pdf_text(out.read_bytes(), tmp_path)
    assert "Aspen Public School" in text and STRATEGY in text
    assert "G6-MATH" not in text and ("Grade 6" in text or "6e année" in text)


@pytest.mark.django_db(transaction=True)
def test_the_command_refuses_unknown_schools_boards_and_options(world) -> None:
    for args, code, message in (
        (["--school", "999999"], 1, "No school with the number '999999'"),
        (["--board", "B99999"], 1, "No board with the number 'B99999'"),
        (["--school", "700001", "--board", "B66001"], 2, "not both"),
        (["--format", "xml"], 2, "Unknown format"),
        (["--language", "de"], 2, "Unknown language"),
        (["--year", "2018"], 2, "is not a school year"),
    ):
        result = runner.invoke(app, ["plans", "export", *args])
        assert result.exit_code == code, (args, result.output)
        assert message in result.stderr, (args, result.stderr)
        assert result.stdout == ""


@pytest.mark.django_db(transaction=True)
def test_the_command_says_when_no_plan_matches(world) -> None:
    as_json = runner.invoke(app, ["plans", "export", "--school", "700001"])
    assert as_json.exit_code == 0, as_json.output
    assert json.loads(as_json.stdout) == []
    assert "No improvement plans match" in as_json.stderr
    as_csv = runner.invoke(app, ["plans", "export", "--format", "csv", "--board", "B66002"])
    assert as_csv.exit_code == 0 and as_csv.stdout.splitlines() == [",".join(COLUMNS)]
