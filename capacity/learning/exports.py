"""The library's PDFs: a case study (all its sections) and a module's handout.

Like the plans' and the survey reports' PDFs, they are WeasyPrint renderings of an HTML
template, tagged PDF/UA-1 so screen readers get their headings and tables, with nothing
fetched from anywhere (no base URL, no outside fonts or images). The text is in the
language the reader chose (`reading.read`); the document's language comes from
`<html lang>`.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

from capacity.learning.reading import Reading

PDF_VARIANT = "pdf/ua-1"


def _pdf(template: str, context: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    pdf = HTML(string=render_to_string(template, context)).write_pdf(pdf_variant=PDF_VARIANT)
    assert pdf is not None  # write_pdf returns bytes when given no target
    return bytes(pdf)


def case_pdf(read: Reading) -> bytes:
    """A case study: its facts, summary and the seven sections."""
    return _pdf("learning/reading_case_pdf.html", {"read": read})


def module_handout_pdf(read: Reading, cases: list[Reading]) -> bytes:
    """A module's handout: title, summary, the agenda with its times, the guiding questions,
    the synopsis, and the titles and summaries of the case studies it uses."""
    return _pdf("learning/reading_module_pdf.html", {"read": read, "cases": cases})
