"""A round's debrief as a PDF, read back with poppler's pdftotext: the problem of practice,
the themes with their notes, the levels, the prediction and the next steps; no author's name,
the team by role and count only."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import need
from tests.rounds import factories_debrief as f

pytestmark = pytest.mark.django_db


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    need(shutil.which("pdftotext") is not None, "pdftotext is not installed (poppler-utils)")
    source = tmp_path / "debrief.pdf"
    source.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(source), "-"], check=True, capture_output=True
    ).stdout.decode("utf-8")
    return " ".join(text.split())


def test_the_pdf_holds_the_debrief_and_names_no_one(client, world, tmp_path) -> None:
    visit = f.finished_a1(world)
    f.step(visit, horizon="week", text="Ask one open question a lesson.")
    client.force_login(world.personas["teacher_a1"])
    response = client.get(f"/rounds/visits/{visit.pk}/debrief.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="debrief-700001-2018-10-03.pdf"' in response["Content-Disposition"]
    text = pdf_text(response.content, tmp_path)
    assert "How do our tasks ask students to reason about fractions?" in text
    assert "Aspen Public School" in text
    assert "Talk in groups" in text  # the named theme
    assert "(suggested)" in text  # the themes nobody named are marked
    assert "fraction strips and blocks" in text  # a note
    assert "Analysis" in text and "Evaluation" in text
    assert "How to copy definitions" in text  # the prediction
    assert "Ask one open question a lesson." in text
    # The team by role and count; no name at all, not the notes' author, not the facilitator.
    assert "2 people" in text and "Teacher: 1" in text
    for name in (f.AUTHOR_NAME, "Team A1", "Teacher A1", "observer"):
        assert name not in text


def test_the_pdf_is_in_the_readers_language(client, world, tmp_path) -> None:
    visit = f.finished_a1(world)
    client.force_login(world.personas["principal_a1"])
    client.cookies["django_language"] = "fr"
    response = client.get(f"/rounds/visits/{visit.pk}/debrief.pdf", HTTP_ACCEPT_LANGUAGE="fr")
    text = pdf_text(response.content, tmp_path)
    assert "La prédiction" in text and "Le prochain niveau de travail" in text


def test_a_debrief_in_progress_prints_for_those_who_run_it_only(client, world) -> None:
    visit = f.visit_a1(world)
    client.force_login(world.personas["teacher_a1"])
    assert client.get(f"/rounds/visits/{visit.pk}/debrief.pdf").status_code == 404
    client.force_login(world.personas["team_a1"])
    assert client.get(f"/rounds/visits/{visit.pk}/debrief.pdf").status_code == 200
