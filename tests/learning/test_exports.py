"""The library's PDFs: a case study with all its sections, a module's handout, published only.

The PDFs are real WeasyPrint output, read back with poppler's `pdftotext` (and `pdfinfo`
for the document's title), the way a reader's tools would find the words.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from capacity.learning import services
from capacity.learning.services import load_shipped
from tests.conftest import need

pytestmark = pytest.mark.django_db


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    need(shutil.which("pdftotext") is not None, "pdftotext is not installed (poppler-utils)")
    source = tmp_path / "item.pdf"
    source.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(source), "-"], check=True, capture_output=True
    ).stdout.decode("utf-8")
    return " ".join(text.split())  # lines broken by the page's width joined again


@pytest.fixture
def reader(client, world):
    load_shipped()
    client.force_login(world.personas["principal_b1"])
    return client


def test_a_case_study_pdf_holds_every_section(reader, tmp_path) -> None:
    response = reader.get("/learning/maple-ridge-vision.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="maple-ridge-vision-en.pdf"' in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content, tmp_path)
    assert "Maple Ridge: a vision people use" in text
    assert "Maple Ridge District School Board" in text
    assert "English public" in text
    for heading in (
        "Which characteristics this case addresses",
        "How we decided it needed attention",
        "Where we started",
        "Turning points",
        "Where we are now, and our evidence",
        "Advice to others",
    ):
        assert heading in text


def test_a_module_handout_has_its_agenda_questions_synopsis_and_cases(reader, tmp_path) -> None:
    response = reader.get("/learning/shared-mission.pdf")
    text = pdf_text(response.content, tmp_path)
    assert "A shared mission, vision and goals" in text
    assert "Agenda" in text and "Total time" in text and "175" in text
    assert "Guiding questions" in text and "Synopsis" in text
    assert "Maple Ridge: a vision people use" in text  # a case study it uses, with its summary
    assert "Research summary" not in text  # a handout, not the whole module


def test_the_pdf_is_in_the_readers_language_headings_included(client, world, tmp_path) -> None:
    load_shipped()
    client.force_login(world.personas["teacher_a1"])
    response = client.get("/learning/shared-mission.pdf", HTTP_ACCEPT_LANGUAGE="fr")
    text = pdf_text(response.content, tmp_path)
    assert "Ordre du jour" in text and "Durée totale" in text
    assert "Questions d'orientation" in text
    english = client.get("/learning/shared-mission.pdf?lang=en", HTTP_ACCEPT_LANGUAGE="fr")
    text = pdf_text(english.content, tmp_path)
    assert "Agenda" in text and "Guiding questions" in text and "Ordre du jour" not in text


def test_a_draft_has_no_pdf_even_for_its_authors(client, world) -> None:
    item = services.case_draft_create(
        user=world.personas["board_a"],
        board=world.board_a,
        facts={"year": 2019, "characteristics": ["evidence"], "contexts": []},
        texts={"en": {"title": "Alpha draft", "summary": "", "sections": [""] * 7}},
    )
    client.force_login(world.personas["board_a"])
    assert client.get(f"/learning/{item.slug}/").status_code == 200
    assert client.get(f"/learning/{item.slug}.pdf").status_code == 404
