"""A lesson study as a PDF, read back with poppler's pdftotext: its question, every cycle's
records and its findings, naming no one; labels in the reader's language."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from capacity.rounds import services_lessons as services
from tests.conftest import need
from tests.rounds.kit_lessons import FINDINGS, finished, start, walk

pytestmark = pytest.mark.django_db


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    need(shutil.which("pdftotext") is not None, "pdftotext is not installed (poppler-utils)")
    source = tmp_path / "study.pdf"
    source.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(source), "-"], check=True, capture_output=True
    ).stdout.decode("utf-8")
    return " ".join(text.split())


def test_the_pdf_holds_the_study_and_names_no_one(client, world, tmp_path) -> None:
    study = walk(world, walk(world, start(world), services.AGAIN), services.FINISH)
    client.force_login(world.personas["board_a"])
    response = client.get(f"/rounds/lessons/{study.pk}.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="lesson-study-700001-{study.pk}.pdf"' in response["Content-Disposition"]
    text = pdf_text(response.content, tmp_path)
    assert "Comparing fractions" in text and "Aspen Public School" in text
    assert "How do fraction strips help students compare fractions?" in text
    assert "Cycle 1" in text and "Cycle 2" in text
    assert "A bigger denominator means a bigger fraction." in text
    assert "Eleven of 24 students" in text and "Give 8 minutes of pair talk" in text
    assert FINDINGS in text
    for name in ("Teacher A1", "Team A1", "Principal A1"):
        assert name not in text


def test_a_study_in_progress_in_french(client, world, tmp_path) -> None:
    study = walk(world, start(world), "critique")
    client.force_login(world.personas["teacher_a1"])
    client.cookies["django_language"] = "fr"
    response = client.get(f"/rounds/lessons/{study.pk}.pdf", HTTP_ACCEPT_LANGUAGE="fr")
    text = pdf_text(response.content, tmp_path)
    assert "Étude de leçon" in text and "Question de recherche" in text
    assert "en cours" in text and "(Critique)" in text


def test_the_pdf_is_for_the_studys_readers(client, world) -> None:
    study = finished(world)
    client.force_login(world.personas["principal_b1"])
    assert client.get(f"/rounds/lessons/{study.pk}.pdf").status_code == 403
