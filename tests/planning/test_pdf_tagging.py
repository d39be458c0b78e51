"""The plan PDF is tagged (PDF/UA-1) so screen readers get its structure.

The PDF is read back the way an assistive technology would find it: poppler's
`pdfinfo` for the tagged flag, the title and the XMP metadata and `pdfinfo -struct`
for the structure tree; the catalogue's /Lang, /MarkInfo and /StructTreeRoot are
read from the PDF's object streams (WeasyPrint compresses them with zlib).
"""

from __future__ import annotations

import datetime
import re
import shutil
import subprocess
import zlib
from pathlib import Path

import pytest

from capacity.evidence.models import Assessment
from capacity.evidence.services import assessments_ensure
from capacity.planning import exports, services
from capacity.planning.models import Plan
from tests.conftest import need


@pytest.fixture
def plan(world) -> Plan:
    """Aspen's 2018-19 plan with a goal, a target, a strategy, a checkpoint and a submission."""
    principal = world.personas["principal_a1"]
    assessments_ensure()
    plan = services.plan_create(user=principal, school=world.school_a1, school_year="2018-19")
    goal = services.goal_add(
        plan=plan,
        user=principal,
        seen=plan.version,
        statement="More Grade 6 students reason mathematically",
        area="mathematics",
    )
    services.target_add(
        goal=goal,
        user=principal,
        seen=plan.version,
        assessment=Assessment.objects.get(code="G6-MATH"),
        baseline_year="2017-18",
        baseline_value=40.0,
        target_value=60.0,
        target_year="2019-20",
    )
    services.strategy_add(
        goal=goal,
        user=principal,
        seen=plan.version,
        action="Weekly co-planning of math tasks",
        responsible="Grade 6 team",
    )
    services.checkpoint_add(
        plan=plan,
        user=principal,
        seen=plan.version,
        due=datetime.date(2019, 1, 31),
        title="Mid-year look at student work",
    )
    services.plan_submit(plan=plan, user=principal, seen=plan.version)
    plan.refresh_from_db()
    return plan


def pdfinfo(pdf: bytes, tmp_path: Path, *options: str) -> str:
    need(
        shutil.which("pdfinfo") is not None,
        "pdfinfo is not installed (apt-get install poppler-utils)",
    )
    source = tmp_path / "plan.pdf"
    source.write_bytes(pdf)
    return subprocess.run(
        ["pdfinfo", *options, str(source)], check=True, capture_output=True, text=True
    ).stdout


def pdf_objects(pdf: bytes) -> bytes:
    """The PDF's plain bytes followed by every stream it holds, inflated where compressed."""
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:  # an uncompressed or differently filtered stream: its bytes are above
            continue
    return b"\n".join(parts)


def catalogue(pdf: bytes) -> bytes:
    """The document catalogue's dictionary, nested dictionaries included."""
    objects = pdf_objects(pdf)
    found = re.search(rb"<<\s*/Type\s*/Catalog\b", objects)
    assert found, "the PDF has no document catalogue"
    depth, at = 0, found.start()
    for token in re.finditer(rb"<<|>>", objects[at:]):
        depth += 1 if token.group(0) == b"<<" else -1
        if depth == 0:
            return objects[at : at + token.end()]
    raise AssertionError("the document catalogue does not end")


@pytest.mark.parametrize("language", ["en", "fr"])
def test_it_marks_the_pdf_as_tagged_in_the_readers_language(plan, tmp_path, language) -> None:
    pdf = exports.plans_pdf(Plan.objects.filter(pk=plan.pk), language)
    root = catalogue(pdf)
    assert re.search(rb"/MarkInfo\s*<<\s*/Marked true\s*>>", root)
    assert re.search(rb"/StructTreeRoot \d+ 0 R", root)
    assert f"/Lang ({language})".encode() in root
    assert re.search(rb"/DisplayDocTitle true", root)
    assert re.search(r"^Tagged:\s+yes$", pdfinfo(pdf, tmp_path), re.M)


@pytest.mark.parametrize(
    ("language", "several"), [("en", "Improvement plans"), ("fr", "Plans d’amélioration")]
)
def test_it_gives_the_pdf_a_title_and_names_pdf_ua_in_its_metadata(
    world, plan, tmp_path, language, several
) -> None:
    one = exports.plans_pdf(Plan.objects.filter(pk=plan.pk), language)
    info = pdfinfo(one, tmp_path)
    assert re.search(r"^Title:\s+Aspen Public School 2018-19$", info, re.M)
    xmp = pdfinfo(one, tmp_path, "-meta")
    assert 'pdfuaid:part="1"' in xmp
    assert "Aspen Public School 2018-19</rdf:li>" in xmp

    services.plan_create(user=world.personas["board_a"], board=world.board_a, school_year="2018-19")
    both = exports.plans_pdf(Plan.objects.all(), language)
    assert re.search(rf"^Title:\s+{several}$", pdfinfo(both, tmp_path), re.M)


def test_its_headings_go_down_one_level_at_a_time(plan, tmp_path) -> None:
    structure = pdfinfo(
        exports.plans_pdf(Plan.objects.filter(pk=plan.pk), "en"), tmp_path, "-struct"
    )
    levels = [int(n) for n in re.findall(r"^\s*H(\d)\b", structure, re.M)]
    assert levels[:3] == [1, 2, 3]
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False))
    assert {4, 5} & set(levels)


def test_its_tables_have_header_cells_that_the_data_cells_point_to(plan, tmp_path) -> None:
    structure = pdfinfo(
        exports.plans_pdf(Plan.objects.filter(pk=plan.pk), "en"), tmp_path, "-struct"
    )
    # the targets, the submissions and the strategies' implementation
    assert structure.count("Table (block)") == 3
    assert structure.count("Caption") == 3
    assert structure.count("THead") == 3
    assert re.search(r"^\s*TH\b", structure, re.M)
    assert "/Headers [" in structure  # each data cell names its column's header


def test_the_document_has_no_image_without_a_text_alternative(plan) -> None:
    html = exports.plans_html([plan], "en")
    assert "<svg" not in html
    for image in re.findall(r"<img\b[^>]*>", html):
        assert re.search(r'\balt="[^"]+"', image), image
