"""A network's working agreement as a PDF: one version, its priorities, how the schools will work
together, its measures of progress and who took part. A WeasyPrint rendering of an HTML
template tagged PDF/UA-1, like the library's and the debrief's, with nothing fetched from
anywhere."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

PDF_VARIANT = "pdf/ua-1"


def agreement_pdf(*, network: Any, agreement: Any, members: list[Any]) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "rounds/networks/agreement_pdf.html",
        {
            "network": network,
            "agreement": agreement,
            "members": members,
            "took_part": list(agreement.schools.order_by("name")),
        },
    )
    pdf = HTML(string=html).write_pdf(pdf_variant=PDF_VARIANT)
    assert pdf is not None  # write_pdf returns bytes when given no target
    return bytes(pdf)
