"""Charts: Vega-Lite specs (built with Altair) rendered to SVG on the server.

One spec serves the page and the PDF. Every chart comes with the rows it was
drawn from, so templates can put a data table beside it for people who do not
see the picture (and for everyone who wants the numbers).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import altair as alt
import vl_convert as vlc
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Colours that keep 3:1 contrast against white for graphics (WCAG 1.4.11) and
# stay distinguishable for the common colour-vision deficiencies.
PALETTE = ["#0b4f8a", "#b35806", "#1e6b35", "#7b3294", "#a4262c", "#4a4a4a"]
FONT = "DejaVu Sans, Noto Sans, sans-serif"


@dataclass
class Chart:
    """A rendered chart: the SVG, its accessible title and description, and its data."""

    title: str
    description: str
    svg: SafeString
    columns: list[str] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)


def _theme(chart: Any, width: int, height: int) -> Any:
    return (
        chart.properties(width=width, height=height)
        .configure(font=FONT, background="white")
        .configure_axis(
            labelColor="#1b1b1b",
            titleColor="#1b1b1b",
            gridColor="#d9dde2",
            labelFontSize=12,
            titleFontSize=12,
        )
        .configure_legend(
            labelColor="#1b1b1b",
            titleColor="#1b1b1b",
            labelFontSize=12,
            titleFontSize=12,
            orient="bottom",
        )
        .configure_view(stroke=None)
        .configure_range(category=PALETTE)
    )


def render(
    spec: Any,
    *,
    title: str,
    description: str,
    width: int = 640,
    height: int = 260,
    columns: list[str] | None = None,
    rows: list[list[Any]] | None = None,
) -> Chart:
    """Render an Altair chart to inline SVG, marked up as one image with a title and description."""
    vega_lite = _theme(spec, width, height).to_dict()
    svg = vlc.vegalite_to_svg(vega_lite)
    svg = re.sub(r"<\?xml[^>]*>", "", svg).strip()
    label = escape(f"{title}. {description}")
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{label}" focusable="false" ', 1)
    return Chart(
        title=title,
        description=description,
        svg=mark_safe(svg),  # noqa: S308 - vl-convert's own output
        columns=columns or [],
        rows=rows or [],
    )


def line_chart(
    data: list[dict[str, Any]],
    *,
    x: str,
    y: str,
    series: str,
    title: str,
    description: str,
    x_title: str,
    y_title: str,
    series_title: str,
    y_domain: tuple[float, float] = (0, 100),
    rule: float | None = None,
) -> alt.LayerChart | alt.FacetChart:
    """Lines over school years, one per series, with an optional horizontal rule (a threshold)."""
    base = alt.Chart(alt.Data(values=data))
    lines = base.mark_line(point=True, strokeWidth=2).encode(
        x=alt.X(f"{x}:O", title=x_title),
        y=alt.Y(f"{y}:Q", title=y_title, scale=alt.Scale(domain=list(y_domain))),
        color=alt.Color(f"{series}:N", title=series_title),
        strokeDash=alt.StrokeDash(f"{series}:N", title=series_title),
    )
    layers: list[Any] = [lines]
    if rule is not None:
        layers.append(
            alt.Chart(alt.Data(values=[{"v": rule}]))
            .mark_rule(color="#a4262c", strokeDash=[4, 4])
            .encode(y="v:Q")
        )
    return alt.layer(*layers)


def bar_chart(
    data: list[dict[str, Any]],
    *,
    x: str,
    y: str,
    title: str,
    description: str,
    x_title: str,
    y_title: str,
    color: str | None = None,
    color_title: str = "",
) -> alt.Chart:
    """Bars per category (e.g. identified schools per school year)."""
    encoding: dict[str, Any] = {
        "x": alt.X(f"{x}:O", title=x_title),
        "y": alt.Y(f"{y}:Q", title=y_title),
    }
    if color:
        encoding["color"] = alt.Color(f"{color}:N", title=color_title)
    return alt.Chart(alt.Data(values=data)).mark_bar().encode(**encoding)
