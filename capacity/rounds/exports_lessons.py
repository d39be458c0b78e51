"""A lesson study as a PDF: its goal and question, every cycle's records and its findings.

Like the debrief's and the library's PDFs, a WeasyPrint rendering of an HTML template, tagged
PDF/UA-1, with nothing fetched from anywhere. It names no one: the team's records are the
team's, and a PDF travels further than the page it came from. The labels are in the reader's
language; the records keep the study's (marked with `lang`, for screen readers).
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation

from capacity.rounds import selectors_lessons as selectors
from capacity.rounds.models import LessonStudy

PDF_VARIANT = "pdf/ua-1"


def study_pdf(study: LessonStudy, *, language: str) -> bytes:
    from weasyprint import HTML

    with translation.override(language):
        html = render_to_string(
            "rounds/lessons/study_pdf.html",
            {
                "study": study,
                "cycles": selectors.cycles_of(study),
                "language": language,
                "records_language": selectors.study_language(study),
            },
        )
    pdf = HTML(string=html).write_pdf(pdf_variant=PDF_VARIANT)
    assert pdf is not None  # write_pdf returns bytes when given no target
    return bytes(pdf)
