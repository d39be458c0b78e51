"""A report's charts as SVG, drawn here (no script, no CDN): bars and a radar of dimension means.

Each chart names itself (role="img" with a title and a description) and repeats
each figure as text, and the report's table holds the same numbers, so nothing is
said by colour or shape alone. Hidden figures are not drawn.
"""

from __future__ import annotations

import math

from django.utils.formats import localize
from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from capacity.instruments.scoring import Report, rounded

WIDTH = 640
ROW = 28
LABEL = 260


def _shown(report: Report) -> list[tuple[str, float]]:
    language = get_language() or "en"
    return [
        (row.dimension.name.get(language), row.figure.mean)
        for row in report.dimensions
        if row.figure.mean is not None
    ]


def _scale_range(report: Report) -> tuple[float, float]:
    scale = report.definition.scale
    if scale is None:
        return 0.0, 1.0
    if report.definition.scoring == "sum" and report.definition.kind != "rubric":
        most = max((len(d.items) for d in report.definition.dimensions), default=1)
        return float(scale.min * 0), float(scale.max * most)
    return float(scale.min), float(scale.max)


def dimension_bars(report: Report) -> str:
    """Bars of each shown dimension's mean, on the instrument's own scale ('' when none is shown)."""
    rows = _shown(report)
    if not rows:
        return ""
    low, high = _scale_range(report)
    span = (high - low) or 1.0
    bar_width = WIDTH - LABEL - 60
    height = ROW * len(rows) + 10
    title = _("Mean by dimension")
    description = "; ".join(f"{name}: {localize(rounded(mean))}" for name, mean in rows)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="bars-title bars-desc" class="report-chart">',
        f'<title id="bars-title">{escape(title)}</title><desc id="bars-desc">{escape(description)}</desc>',
    ]
    for index, (name, mean) in enumerate(rows):
        y = 5 + index * ROW
        length = max(0.0, (mean - low) / span) * bar_width
        short = name if len(name) <= 40 else name[:39] + "…"
        parts.append(f'<text x="0" y="{y + 17}" font-size="13">{escape(short)}</text>')
        parts.append(
            f'<rect x="{LABEL}" y="{y + 4}" width="{length:.1f}" height="18" fill="#1f5f8b"></rect>'
        )
        parts.append(
            f'<text x="{LABEL + length + 6:.1f}" y="{y + 17}" font-size="13">{escape(localize(rounded(mean)))}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def dimension_radar(report: Report) -> str:
    """A radar of the shown dimensions' means (three or more dimensions; '' otherwise)."""
    rows = _shown(report)
    if len(rows) < 3:
        return ""
    low, high = _scale_range(report)
    span = (high - low) or 1.0
    size, centre, radius = 420, 210, 150
    title = _("Profile of the dimensions")
    description = "; ".join(f"{name}: {localize(rounded(mean))}" for name, mean in rows)
    points = []
    axes = []
    for index, (_name, mean) in enumerate(rows):
        angle = -math.pi / 2 + 2 * math.pi * index / len(rows)
        reach = radius * max(0.0, (mean - low) / span)
        points.append(
            f"{centre + reach * math.cos(angle):.1f},{centre + reach * math.sin(angle):.1f}"
        )
        end_x, end_y = centre + radius * math.cos(angle), centre + radius * math.sin(angle)
        axes.append(
            f'<line x1="{centre}" y1="{centre}" x2="{end_x:.1f}" y2="{end_y:.1f}" stroke="#888"></line>'
            f'<text x="{centre + (radius + 12) * math.cos(angle):.1f}" '
            f'y="{centre + (radius + 12) * math.sin(angle):.1f}" font-size="11" text-anchor="middle">'
            f"{index + 1}</text>"
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" role="img" '
        f'aria-labelledby="radar-title radar-desc" class="report-chart">'
        f'<title id="radar-title">{escape(title)}</title><desc id="radar-desc">{escape(description)}</desc>'
        + "".join(axes)
        + f'<polygon points="{" ".join(points)}" fill="#1f5f8b" fill-opacity="0.3" stroke="#1f5f8b"></polygon>'
        + "</svg>"
    )
