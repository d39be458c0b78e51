"""The one gate for results people read: pages, the API, exports, the command line.

The rule lives in policy data (disclosure.toml, or the file CAPACITY_DISCLOSURE_RULE
names), and is applied by one function, `gate_results` in
`capacity.evidence.analytics.suppression`:

* `shown_results(table)` gates an Ibis table of results; every analysis whose
  figures people read (rollups, gaps, trends, beat the odds, similar schools,
  a board plan's figure) starts from it, so hidden figures take no part in
  any aggregate and cannot be worked out from one;
* `suppress(rows)` gates a handful of result rows (a school's page, a page of
  the API, a plan's targets) with the same compiled query, run on DuckDB.

Groups under the minimum size are shown as N/R ("small"); groups hidden so
that a small group cannot be worked out from the total are "complementary".
"""

from __future__ import annotations

import hashlib
import threading
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir

from capacity.evidence.analytics.suppression import COMPLEMENTARY, SMALL, gate_results

__all__ = [
    "COMPLEMENTARY",
    "SMALL",
    "DisclosureRule",
    "rule",
    "shown_identification",
    "suppress_results",
    "shown_results",
    "suppress",
]

DEFAULT_RULE_FILE = Path(__file__).with_name("disclosure.toml")


@dataclass(frozen=True)
class DisclosureRule:
    version: int
    minimum_group: int
    margin_points: float
    total_group: str
    partitions: tuple[tuple[str, ...], ...]
    source: str

    @property
    def digest(self) -> str:
        raw = f"{self.minimum_group}:{self.margin_points}:{self.total_group}:{self.partitions}"
        return hashlib.sha1(raw.encode(), usedforsecurity=False).hexdigest()[:10]


class DisclosureRuleError(ValueError):
    pass


def parse_rule(text: str, *, source: str) -> DisclosureRule:
    """Read a disclosure rule; every field is required and checked."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DisclosureRuleError(f"{source}: not valid TOML ({exc})") from exc
    try:
        minimum = int(data["minimum_group"])
        margin = float(data["margin_points"])
        version = int(data["version"])
        total = str(data["total_group"])
        partitions = tuple(tuple(str(g) for g in members) for members in data["partitions"])
    except (KeyError, TypeError, ValueError) as exc:
        raise DisclosureRuleError(
            f"{source}: needs version, minimum_group, margin_points, total_group and partitions ({exc})"
        ) from exc
    if minimum < 1 or not 0 <= margin < 50:
        raise DisclosureRuleError(
            f"{source}: minimum_group must be at least 1 and margin_points in [0, 50)"
        )
    if any(len(members) < 2 or total in members for members in partitions):
        raise DisclosureRuleError(
            f"{source}: each partition needs two or more groups other than {total!r}"
        )
    return DisclosureRule(version, minimum, margin, total, partitions, source)


def rule() -> DisclosureRule:
    """The disclosure rule in force."""
    from django.conf import settings

    path = getattr(settings, "CAPACITY_DISCLOSURE_RULE", "") or str(DEFAULT_RULE_FILE)
    return _load(path)


@lru_cache(maxsize=4)
def _load(path: str) -> DisclosureRule:
    return parse_rule(Path(path).read_text(encoding="utf-8"), source=path)


def shown_results(results: ir.Table, *, using: DisclosureRule | None = None) -> ir.Table:
    """The results table as people may read it (lazy; see gate_results)."""
    r = using or rule()
    return gate_results(
        results,
        minimum=r.minimum_group,
        margin=r.margin_points,
        partitions=r.partitions,
        total_group=r.total_group,
    )


_ROW_SCHEMA = ibis.schema(
    {
        "_row": "int64",
        "school_number": "string",
        "school_year": "string",
        "assessment": "string",
        "group": "string",
        "participating": "int64",
        "pct_at_standard": "float64",
    }
)
_local = threading.local()


@lru_cache(maxsize=8)
def _compiled(r: DisclosureRule) -> str:
    return str(
        ibis.to_sql(
            shown_results(ibis.table(_ROW_SCHEMA, name="_cells"), using=r), dialect="duckdb"
        )
    )


def suppress(
    rows: Iterable[dict[str, Any]], *, using: DisclosureRule | None = None
) -> list[dict[str, Any]]:
    """Copies of result rows with hidden figures removed, by the same gate as `shown_results`.

    Each row needs school_number (or school), school_year, assessment, group,
    participating and pct_at_standard; other keys pass through. Give every group
    of a cell (school, year, assessment) that the output touches, not only the
    one shown: the complementary rule needs the others. Hidden rows get
    pct_at_standard and participating None, status "nr", `suppressed` True and
    `suppression_reason` "small" or "complementary"; shown rows `suppressed` False.
    """
    import duckdb
    import pyarrow as pa

    items = list(rows)
    if not items:
        return []
    r = using or rule()
    table = pa.table(
        {
            "_row": pa.array(range(len(items)), pa.int64()),
            "school_number": pa.array(
                [str(i.get("school_number", i.get("school"))) for i in items], pa.string()
            ),
            "school_year": pa.array([i["school_year"] for i in items], pa.string()),
            "assessment": pa.array([i["assessment"] for i in items], pa.string()),
            "group": pa.array([i["group"] for i in items], pa.string()),
            "participating": pa.array([i["participating"] for i in items], pa.int64()),
            "pct_at_standard": pa.array([i["pct_at_standard"] for i in items], pa.float64()),
        }
    )
    connection = getattr(_local, "duckdb", None)
    if connection is None:
        connection = _local.duckdb = duckdb.connect()
    connection.register("_cells", table)
    try:
        answer = connection.execute(_compiled(r)).fetchall()
    finally:
        connection.unregister("_cells")
    columns = [
        "_row",
        "school_number",
        "school_year",
        "assessment",
        "group",
        "participating",
        "pct_at_standard",
        "suppressed",
        "suppression_reason",
    ]
    out: list[dict[str, Any]] = []
    for values in sorted(answer, key=lambda v: v[0]):
        gated = dict(zip(columns, values, strict=True))
        row = dict(
            items[gated["_row"]],
            suppressed=gated["suppressed"],
            suppression_reason=gated["suppression_reason"],
        )
        if gated["suppressed"]:
            row.update(pct_at_standard=None, participating=None, status="nr")
        out.append(row)
    return out


def suppress_results(results: Any, *fields: str, **extra: Any) -> list[dict[str, Any]]:
    """The rows of a queryset of `Result` through the gate, as `suppress` returns them.

    Each row has school_number, school_year, assessment (the code), group,
    participating, pct_at_standard and status, plus any other `fields` and
    `extra` expressions (as `QuerySet.values` takes them). Filter the queryset
    by school, year and assessment, never by group: the complementary rule reads
    every group of a cell.
    """
    from django.db.models import F

    rows = results.values(
        "school_year",
        "group",
        "participating",
        "pct_at_standard",
        "status",
        *fields,
        _number=F("school__number"),
        _code=F("assessment__code"),
        **extra,
    )
    return suppress(
        {**row, "school_number": row.pop("_number"), "assessment": row.pop("_code")} for row in rows
    )


def _hidden_cells(group: str, cells: set[tuple[str, str, str]]) -> set[tuple[str, str, str]]:
    """Of (school number, school year, assessment) cells, those the gate hides for `group`."""
    from capacity.evidence.models import Result

    if not cells:
        return set()
    rows = Result.objects.filter(
        school__number__in={c[0] for c in cells},
        school_year__in={c[1] for c in cells},
        assessment__code__in={c[2] for c in cells},
    )
    return {
        (r["school_number"], r["school_year"], r["assessment"])
        for r in suppress_results(rows)
        if r["group"] == group and r["suppressed"]
    } & cells


def _shown_change(change: Any, number: str, hidden: set[tuple[str, str, str]]) -> Any:
    from dataclasses import replace

    if (number, change.before_year, change.assessment) in hidden:
        change = replace(change, before_pct=None)
    if (number, change.now_year, change.assessment) in hidden:
        change = replace(change, now_pct=None)
    return change


def shown_identification(found: Any) -> Any:
    """An Identification whose reasons, changes and trends show no hidden figure.

    The decision (identified or not) is the policy's, made on every result; the
    figures given as its reasons are results like any other, so a reason whose
    result the gate hides keeps its year and assessment and loses its figure. So
    does a change (what moved between two years); a trend whose two years hold a
    hidden result loses its means (a mean over a few results could give one away).
    """
    from dataclasses import replace

    group = found.policy.group
    cells = {
        (s.school_number, r.school_year, r.assessment) for s in found.schools for r in s.reasons
    }
    for s in found.schools:
        for c in s.changes:
            cells |= {
                (s.school_number, c.before_year, c.assessment),
                (s.school_number, c.now_year, c.assessment),
            }
        if s.trend is not None:
            cells |= {
                (s.school_number, year, code)
                for year in (s.trend.first_label, s.trend.last_label)
                for code in found.policy.assessments
            }
    hidden = _hidden_cells(group, cells)
    if not hidden:
        return found
    hidden_years = {(c[0], c[1]) for c in hidden}
    schools = tuple(
        replace(
            s,
            reasons=tuple(
                replace(r, pct_at_standard=None, participating=None)
                if (s.school_number, r.school_year, r.assessment) in hidden
                else r
                for r in s.reasons
            ),
            changes=tuple(_shown_change(c, s.school_number, hidden) for c in s.changes),
            trend=None
            if s.trend is not None
            and (
                (s.school_number, s.trend.first_label) in hidden_years
                or (s.school_number, s.trend.last_label) in hidden_years
            )
            else s.trend,
        )
        for s in found.schools
    )
    return replace(found, schools=schools)


def shown_changes(over: Any) -> Any:
    """An OverTime whose entries' and exits' changes show no hidden figure (as above)."""
    from dataclasses import replace

    cells = {
        (number, c[key], c["assessment"])
        for by_school in over.changes.values()
        for number, changes in by_school.items()
        for c in changes
        for key in ("before_year", "now_year")
    }
    hidden = _hidden_cells(over.policy.group, cells)
    if not hidden:
        return over
    changes = {
        year: {
            number: [
                c
                | {
                    "before_pct": None
                    if (number, c["before_year"], c["assessment"]) in hidden
                    else c["before_pct"],
                    "now_pct": None
                    if (number, c["now_year"], c["assessment"]) in hidden
                    else c["now_pct"],
                }
                for c in items
            ]
            for number, items in by_school.items()
        }
        for year, by_school in over.changes.items()
    }
    return replace(over, changes=changes)
