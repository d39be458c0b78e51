"""The debrief's and the patterns' charts: "task predicts performance".

Server-side SVG through capacity/reports/charts.py (Altair, rendered by vl-convert), each
with the rows it was drawn from for the table beside it. A visit's level chart is drawn for
every move on the debrief page, so the SVG is kept per language and counts: moving a note
changes no level and redraws nothing.
"""

from __future__ import annotations

from functools import lru_cache

import altair as alt
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from capacity.reports.charts import Chart, render
from capacity.rounds.language import LEVELS, LevelCount
from capacity.rounds.models import Bloom


def _percent(share: float | None) -> str:
    return "—" if share is None else f"{round(share * 100)} %"


def levels_chart(levels: dict[str, LevelCount], *, title: str) -> Chart:
    """Horizontal bars: how many tasks sit at each of Bloom's levels, lowest first."""
    counts = tuple(levels[code]["count"] for code in LEVELS)
    return _levels_chart(counts, title, get_language() or "en")


@lru_cache(maxsize=256)
def _levels_chart(counts: tuple[int, ...], title: str, language: str) -> Chart:
    labels = [str(Bloom(code).label) for code in LEVELS]
    total = sum(counts)
    data = [{"level": label, "tasks": n} for label, n in zip(labels, counts, strict=True)]
    spec = (
        alt.Chart(alt.Data(values=data))
        .mark_bar()
        .encode(
            y=alt.Y("level:N", sort=labels, title=_("Level of the task")),
            x=alt.X(
                "tasks:Q",
                title=_("Tasks"),
                axis=alt.Axis(tickMinStep=1, format="d"),
                scale=alt.Scale(domain=[0, max(max(counts, default=0), 1)]),
            ),
        )
    )
    rows = [
        [label, n, _percent(n / total if total else None)]
        for label, n in zip(labels, counts, strict=True)
    ]
    return render(
        spec,
        title=title,
        description=_(
            "Bars for Bloom's six levels, from knowledge to evaluation: how many of the tasks "
            "observed sit at each level (%(total)s tasks with a confirmed level). The table below "
            "gives the same numbers."
        )
        % {"total": total},
        # Narrow enough to keep its words legible on a phone without scaling down.
        width=340,
        height=190,
        columns=[_("Level of the task"), _("Tasks"), _("Share")],
        rows=rows,
    )


def higher_share_chart(points: list[tuple[str, float | None, int]], *, title: str) -> Chart | None:
    """A line of the share of tasks at analysis, synthesis or evaluation, one point per visit
    or school year (`points`: label, share or None, tasks levelled). None under two points."""
    shown = [(label, share) for label, share, _n in points if share is not None]
    if len(shown) < 2:
        return None
    data = [{"when": label, "share": round(share * 100, 1)} for label, share in shown]
    spec = (
        alt.Chart(alt.Data(values=data))
        .mark_line(point=True, strokeWidth=2)
        .encode(
            x=alt.X("when:O", sort=[p[0] for p in shown], title=_("Visit")),
            y=alt.Y(
                "share:Q",
                title=_("% of tasks at the higher levels"),
                scale=alt.Scale(domain=[0, 100]),
            ),
        )
    )
    return render(
        spec,
        title=title,
        description=_(
            "The share of observed tasks at analysis, synthesis or evaluation, one point per "
            "visit in order. The table below gives every value."
        ),
        width=360,
        height=220,
        columns=[_("Visit"), _("% of tasks at the higher levels"), _("Tasks")],
        rows=[[label, _percent(share), n] for label, share, n in points],
    )
