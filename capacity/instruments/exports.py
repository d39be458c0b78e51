"""A round's report as rows (CSV and XLSX through capacity/reports/tables.py) and as JSON.

Only what the report shows: hidden figures stay empty, with the reason. The CLI
(`capacity survey report`), the report page's downloads and the API all call these.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from capacity.instruments.models import Round
from capacity.instruments.scoring import Report, rounded


def reason_text(reason: str) -> str:
    """Why a figure is hidden, in the reader's words."""
    if reason == "small":
        return _("fewer respondents than the minimum")
    if reason == "complementary":
        return _("hidden with a smaller group, so that group cannot be worked out")
    return reason


def header() -> list[str]:
    return [
        _("Dimension"),
        _("Item"),
        _("Text"),
        _("Respondents"),
        _("Mean"),
        _("Change since the last round"),
        _("Cronbach's alpha"),
        _("Hidden because"),
    ]


def rows(report: Report) -> list[list[Any]]:
    language = get_language() or "en"
    out: list[list[Any]] = []
    items_by_dimension: dict[str, list[Any]] = {}
    for row in report.items:
        items_by_dimension.setdefault(row.dimension.code, []).append(row)
    for dimension_row in report.dimensions:
        figure = dimension_row.figure
        out.append(
            [
                dimension_row.dimension.code,
                "",
                dimension_row.dimension.name.get(language),
                figure.n if report.shown else "",
                rounded(figure.mean) if figure.mean is not None else "",
                rounded(dimension_row.change) if dimension_row.change is not None else "",
                rounded(dimension_row.alpha, 3) if dimension_row.alpha is not None else "",
                reason_text(figure.reason),
            ]
        )
        for item_row in items_by_dimension.get(dimension_row.dimension.code, []):
            out.append(
                [
                    dimension_row.dimension.code,
                    item_row.item.code,
                    item_row.item.text.get(language),
                    item_row.figure.n,
                    rounded(item_row.figure.mean),
                    "",
                    "",
                    "",
                ]
            )
    return out


def _place_number(round_: Round) -> str | None:
    place = round_.school or round_.board
    return place.number if place is not None else None


def as_json(round_: Round, report: Report, invited: int) -> dict[str, Any]:
    """The report as data: aggregates only, every hidden figure null with its reason."""
    return {
        "round": round_.pk,
        "instrument": report.definition.code,
        "instrument_version": report.definition.version,
        "place": _place_number(round_),
        "opens_on": round_.opens_on.isoformat(),
        "closes_on": round_.closes_on.isoformat(),
        "invited": invited,
        "respondents": report.respondents,
        "minimum": report.minimum,
        "shown": report.shown,
        "dimensions": [
            {
                "code": row.dimension.code,
                "respondents": row.figure.n if report.shown else None,
                "mean": rounded(row.figure.mean),
                "hidden_because": row.figure.reason or None,
                "change": rounded(row.change),
                "alpha": rounded(row.alpha, 3),
                "roles": [
                    {
                        "role": role,
                        # A hidden group's size is hidden too: it would say who took part.
                        "respondents": figure.n if figure.mean is not None else None,
                        "mean": rounded(figure.mean),
                        "hidden_because": figure.reason or None,
                    }
                    for role, figure in row.groups
                ],
            }
            for row in report.dimensions
        ],
        "items": [
            {
                "code": row.item.code,
                "dimension": row.dimension.code,
                "respondents": row.figure.n,
                "mean": rounded(row.figure.mean),
                "reverse_scored": row.item.reverse,
                "distribution": {str(point): count for point, count in row.distribution},
            }
            for row in report.items
        ],
        "quadrants": {code: count for code, _name, count in report.quadrants},
    }


def as_pdf(round_: Round, report: Report, rate: Any) -> bytes:
    """The report as a tagged PDF (PDF/UA-1, like the plans'), in the active language."""
    from django.template.loader import render_to_string
    from weasyprint import HTML

    from capacity.instruments.charts import dimension_bars

    html = render_to_string(
        "instruments/report_pdf.html",
        {"round": round_, "report": report, "rate": rate, "bars": dimension_bars(report)},
    )
    pdf = HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")
    assert pdf is not None
    return bytes(pdf)
