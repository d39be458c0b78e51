"""The evidence pipeline at national scale: Capacity (Ibis on DuckDB) vs hand-written DuckDB SQL vs pandas.

    .venv/bin/python benchmarks/evidence_scale.py                 # 100,000 schools: 6,000,000 rows
    .venv/bin/python benchmarks/evidence_scale.py --quick         # 5,000 schools: a smoke run (< 1 minute)
    .venv/bin/python benchmarks/evidence_scale.py --groups        # x10 rows: 9 student groups besides "all"

1. Generates a synthetic results file in the canonical schema (schema.py) as
   Parquet, with numpy and pyarrow, one row group per school year (and group):
   `--schools` schools x `--years` school years with results x the six Grade 3
   and 6 assessments (x 10 student groups with `--groups`). Values depend on
   each school's context (low income, language learners, special education,
   parents without a degree), a school effect and, for a quarter of the
   schools, a trend; about 3% of results carry no number ("nr", "sp", or a
   whole school year "nd"); the school year two years before the latest
   (2020-21, like Ontario's COVID years) has no results at all. Plus a context
   file: one row per school x calendar school year. The files are reused when
   they already exist for the same arguments.
2. Times the full pipeline three ways, each in its own fresh subprocess (so
   each one's peak resident memory is its own, measured with os.wait4):
   identification for the latest year under ofip-2016, school trends (3-year
   change and slope), the board rollup, board-level equity gaps (--groups) and
   the context model (fit and every school's residual).
     - capacity: the Ibis functions of capacity/evidence/analytics on DuckDB
       (engines.connect("duckdb"), con.read_parquet);
     - hand_sql: hand-written DuckDB SQL (benchmarks/hand_sql.py, with
       identification_sql for identification);
     - pandas: a straightforward pandas version (benchmarks/pandas_pipeline.py).
   Runs are interleaved (capacity, hand_sql, pandas, then rotated), `--repeat`
   times each; the figures are medians.
3. Checks that the three agree (same statuses; floats equal to 1e-6 on sorted
   frames) and exits 1 when they do not, or when a run fails.
4. Prints the figures and the targets, and writes them to --out/results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

WAYS = ("capacity", "hand_sql", "pandas")
ASSESSMENTS = ("G3-READ", "G3-WRITE", "G3-MATH", "G6-READ", "G6-WRITE", "G6-MATH")
# Provincial means per assessment, roughly Ontario's.
MEANS = (74.0, 70.0, 60.0, 82.0, 83.0, 50.0)
# Student groups besides "all": (offset in points from all students, share of the students or indicator).
GROUPS: dict[str, tuple[float, float | str]] = {
    "female": (4.0, 0.49),
    "male": (-4.0, 0.51),
    "ell": (-10.0, "pct_language_learners"),
    "special_education": (-25.0, "pct_special_education"),
    "low_income": (-8.0, "pct_low_income"),
    "indigenous": (-12.0, 0.05),
    "french_immersion": (8.0, 0.15),
    "gifted": (22.0, 0.04),
    "newcomer": (-6.0, 0.06),
}
INDICATORS = (
    "pct_low_income",
    "pct_language_learners",
    "pct_special_education",
    "pct_parents_no_degree",
)
LATEST = 2022  # 2022-23 is the latest school year
GAP = LATEST - 2  # 2020-21: no tests, no rows (with --years >= 3)
DATA_VERSION = 1
TARGETS = {
    "capacity_vs_hand_sql_time": ("<=", 1.25),
    "pandas_vs_capacity_time": (">=", 3.0),
    "capacity_vs_pandas_memory": ("<=", 0.25),
}
ATOL = 1e-6


def label(start: int) -> str:
    return f"{start}-{(start + 1) % 100:02d}"


# --------------------------------------------------------------------------- data


def school_years(years: int) -> tuple[list[int], list[int]]:
    """(the school years with results, every calendar school year) as start years, oldest first."""
    if years >= 3:
        calendar = list(range(LATEST - years, LATEST + 1))
        return [y for y in calendar if y != GAP], calendar
    calendar = list(range(LATEST - years + 1, LATEST + 1))
    return calendar, calendar


def generate(
    directory: Path, *, schools: int, years: int, groups: bool, seed: int
) -> dict[str, Any]:
    """Write results.parquet and context.parquet into `directory`; return the manifest."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    directory.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    n_schools = schools
    result_starts, calendar = school_years(years)

    # Schools and boards: arrays of `n_schools`, never rows.
    numbers = np.sort(rng.choice(1_000_000, size=n_schools, replace=False))
    school_number = pc.utf8_lpad(pa.array(numbers).cast(pa.string()), 6, "0")
    first = pa.array(
        [
            "Saint Mary",
            "Saint Joseph",
            "Sainte-Anne",
            "Saint-Louis",
            "Maple Grove",
            "Cedarbrae",
            "Lakeview",
            "Riverside",
            "Hillcrest",
            "Northwood",
            "Sir John A. Macdonald",
            "Laura Secord",
            "Terry Fox",
            "Roberta Bondar",
            "Pine Ridge",
            "Queen Elizabeth",
            "King George",
            "Central",
            "Parkdale",
            "Glenview",
            "Westmount",
            "Brookside",
            "Our Lady of Grace",
            "Jean-Vanier",
        ]
    )
    kind = pa.array(
        [
            "Public School",
            "Catholic Elementary School",
            "Elementary School",
            "Junior Public School",
            "Senior Public School",
            "école élémentaire",
        ]
    )
    school_name = pc.binary_join_element_wise(
        first.take(pa.array(rng.integers(0, len(first), n_schools))),
        kind.take(pa.array(rng.integers(0, len(kind), n_schools))),
        " ",
    )
    n_boards = max(4, round(n_schools / 65))
    board_of = np.minimum((n_boards * rng.random(n_schools) ** 1.6).astype(np.int64), n_boards - 1)
    places = (
        "Algoma",
        "Bluewater",
        "Durham",
        "Grand Erie",
        "Halton",
        "Hamilton-Wentworth",
        "Keewatin-Patricia",
        "Lakehead",
        "Limestone",
        "Near North",
        "Ottawa-Carleton",
        "Peel",
        "Rainbow",
        "Simcoe County",
        "Thames Valley",
        "Upper Canada",
        "Waterloo Region",
        "York Region",
    )
    kinds = (
        "District School Board",
        "Catholic District School Board",
        "Conseil scolaire public",
        "Conseil scolaire catholique",
    )
    boards_number = pa.array([f"B{10_000 + i}" for i in range(n_boards)])
    boards_name = pa.array(
        [
            f"{places[i % len(places)]} {kinds[i // len(places) % len(kinds)]} {i + 1}"
            for i in range(n_boards)
        ]
    )
    board_index = pa.array(board_of)
    board_number = boards_number.take(board_index)
    board_name = boards_name.take(board_index)

    base = {
        "pct_low_income": 100 * rng.beta(2.0, 9.0, n_schools),
        "pct_language_learners": 100 * rng.beta(1.1, 9.0, n_schools),
        "pct_special_education": 100 * rng.beta(4.0, 20.0, n_schools),
        "pct_parents_no_degree": 100 * rng.beta(3.0, 5.0, n_schools),
    }
    enrolment = np.clip(rng.lognormal(np.log(320), 0.45, n_schools), 40, 1500)
    language = pa.array(["en", "fr"]).take(
        pa.array((rng.random(n_schools) < 0.08).astype(np.int64))
    )
    quality = rng.normal(0, 9, n_schools)
    trend = np.where(rng.random(n_schools) < 0.25, rng.normal(0, 1.8, n_schools), 0.0)
    shift = {start: rng.normal(0, 1.5) for start in calendar}

    statuses = pa.array(["", "nr", "nd", "sp"])
    group_names = ["all", *(GROUPS if groups else ())]
    results_path = directory / "results.parquet"
    context_path = directory / "context.parquet"
    results_schema = pa.schema(
        [
            ("school_number", pa.string()),
            ("school_name", pa.string()),
            ("board_number", pa.string()),
            ("board_name", pa.string()),
            ("school_year", pa.string()),
            ("assessment", pa.string()),
            ("group", pa.string()),
            ("participating", pa.int64()),
            ("pct_at_standard", pa.float64()),
            ("status", pa.string()),
        ]
    )
    context_schema = pa.schema(
        [
            ("school_number", pa.string()),
            ("school_year", pa.string()),
            ("board_number", pa.string()),
            ("level", pa.string()),
            ("language", pa.string()),
            ("enrolment", pa.int64()),
            *((name, pa.float64()) for name in INDICATORS),
        ]
    )
    per_chunk = n_schools * len(ASSESSMENTS)
    row_school = pa.array(np.repeat(np.arange(n_schools), len(ASSESSMENTS)))
    row_assessment = pa.array(ASSESSMENTS).take(
        pa.array(np.tile(np.arange(len(ASSESSMENTS)), n_schools))
    )
    rows = 0
    context_rows = 0
    with (
        pq.ParquetWriter(results_path, results_schema) as results_out,
        pq.ParquetWriter(context_path, context_schema) as context_out,
    ):
        for start in calendar:
            year = label(start)
            ind = {
                name: np.clip(values + rng.normal(0, 1, n_schools), 0, 100)
                for name, values in base.items()
            }
            enrol = np.round(enrolment * rng.lognormal(0, 0.04, n_schools)).astype(np.int64)
            # About 2% of context rows lack one indicator (excluded from the model, never imputed).
            lacking = np.where(
                rng.random(n_schools) < 0.02, rng.integers(0, len(INDICATORS), n_schools), -1
            )
            context_out.write_table(
                pa.table(
                    {
                        "school_number": school_number,
                        "school_year": pa.repeat(pa.scalar(year), n_schools),
                        "board_number": board_number,
                        "level": pa.repeat(pa.scalar("elementary"), n_schools),
                        "language": language,
                        "enrolment": pa.array(enrol),
                        **{
                            name: pa.array(np.round(ind[name], 1), mask=lacking == i)
                            for i, name in enumerate(INDICATORS)
                        },
                    },
                    schema=context_schema,
                )
            )
            context_rows += n_schools
            if start not in result_starts:
                continue

            expected = (
                np.array(MEANS)[None, :]
                + (quality + trend * (start - LATEST) + shift[start])[:, None]
                - (
                    0.7 * (ind["pct_low_income"] - 20)
                    + 0.15 * (ind["pct_language_learners"] - 10)
                    + 0.3 * (ind["pct_special_education"] - 17)
                    + 0.2 * (ind["pct_parents_no_degree"] - 35)
                )[:, None]
            )
            value = np.clip(np.round(expected + rng.normal(0, 4, expected.shape)), 0, 100)
            cohort = enrol[:, None] / 7 * rng.lognormal(0, 0.1, (n_schools, 2))
            participating = np.maximum(
                np.round(np.repeat(cohort, 3, axis=1) - rng.integers(0, 3, expected.shape)), 1
            ).astype(np.int64)
            no_data = np.repeat((rng.random(n_schools) < 0.01)[:, None], len(ASSESSMENTS), axis=1)
            unknown = (rng.random(expected.shape) < 0.01) | no_data
            for group in group_names:
                if group == "all":
                    g_value, g_part = value, participating
                    status = np.where(rng.random(expected.shape) < 0.02, 1, 0)
                    status = np.where(g_part < 5, 3, status)
                else:
                    offset, share = GROUPS[group]
                    fraction = ind[share][:, None] / 100 if isinstance(share, str) else share
                    g_part = np.round(
                        participating * fraction * rng.lognormal(0, 0.15, expected.shape)
                    )
                    g_part = g_part.astype(np.int64)
                    g_value = np.clip(
                        np.round(expected + offset + rng.normal(0, 6, expected.shape)), 0, 100
                    )
                    status = np.where(rng.random(expected.shape) < 0.02, 1, 0)
                    status = np.where(g_part < 10, 3, status)
                status = np.where(no_data, 2, status).ravel()
                reported = status == 0
                results_out.write_table(
                    pa.table(
                        {
                            "school_number": school_number.take(row_school),
                            "school_name": school_name.take(row_school),
                            "board_number": board_number.take(row_school),
                            "board_name": board_name.take(row_school),
                            "school_year": pa.repeat(pa.scalar(year), per_chunk),
                            "assessment": row_assessment,
                            "group": pa.repeat(pa.scalar(group), per_chunk),
                            "participating": pa.array(g_part.ravel(), mask=unknown.ravel()),
                            "pct_at_standard": pa.array(
                                g_value.ravel().astype(np.float64), mask=~reported
                            ),
                            "status": statuses.take(pa.array(status)),
                        },
                        schema=results_schema,
                    )
                )
                rows += per_chunk
    return {
        "version": DATA_VERSION,
        "schools": schools,
        "years": years,
        "groups": groups,
        "seed": seed,
        "rows": rows,
        "context_rows": context_rows,
        "boards": n_boards,
        "school_years": [label(s) for s in result_starts],
        "gap_year": label(GAP) if years >= 3 else None,
        "results_bytes": results_path.stat().st_size,
        "context_bytes": context_path.stat().st_size,
    }


def ensure_data(
    directory: Path, *, schools: int, years: int, groups: bool, seed: int
) -> tuple[dict, float]:
    """The manifest of the data files (generated unless already there); seconds spent generating."""
    manifest_path = directory / "manifest.json"
    wanted = {
        "version": DATA_VERSION,
        "schools": schools,
        "years": years,
        "groups": groups,
        "seed": seed,
    }
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text())
        if (
            all(manifest.get(k) == v for k, v in wanted.items())
            and (directory / "results.parquet").exists()
        ):
            return manifest, 0.0
    started = time.perf_counter()
    manifest = generate(directory, schools=schools, years=years, groups=groups, seed=seed)
    seconds = time.perf_counter() - started
    manifest_path.write_text(json.dumps(manifest, indent=2))
    return manifest, seconds


# --------------------------------------------------------------------------- workers


def _rss_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def worker(way: str, data: Path, result: Path, *, groups: bool, write: bool) -> None:
    """Run one way of the pipeline in this (fresh) process and write timing.json (and the answers)."""
    import numpy as np  # noqa: F401  (imported before the clock starts, by every way)
    import pyarrow as pa
    import pyarrow.parquet as pq

    from capacity.evidence.analytics.policy import load_policy

    results_path, context_path = str(data / "results.parquet"), str(data / "context.parquet")
    policy = load_policy("ofip-2016")
    if way == "capacity":
        import pandas  # noqa: F401  (Ibis's execute() and the model's sums return pandas objects)

        from capacity.evidence.analytics import context_model, engines, gaps, identification, trends
    elif way == "hand_sql":
        import hand_sql
    else:
        import pandas_pipeline
    rss_imports = _rss_kb()

    stages: dict[str, float] = {}
    started = time.perf_counter()
    last = [started]

    def mark(stage: str) -> None:
        now = time.perf_counter()
        stages[stage] = now - last[0]
        last[0] = now

    if way == "capacity":
        con = engines.connect("duckdb")
        results = con.read_parquet(results_path, table_name="results")
        context = con.read_parquet(context_path, table_name="context")
        latest = results.filter(results.group == "all").school_year.max().execute()
        mark("latest_year")
        out: dict[str, Any] = {"latest": latest}
        out["identification"] = identification.identification_table(
            results, policy, latest
        ).to_pyarrow()
        mark("identification")
        out["trends"] = trends.school_trends(results, latest=latest).to_pyarrow()
        mark("trends")
        out["rollup"] = trends.rollup(results).to_pyarrow()
        mark("rollup")
        if groups:
            out["gaps"] = gaps.equity_gaps(results, level="board").to_pyarrow()
            mark("gaps")
        model = context_model.fit_context_model(results, context, year=latest)
        out["beat_the_odds"] = context_model.beat_the_odds(results, context, model).to_pyarrow()
        out["model"] = {
            "coefficients": dict(model.coefficients),
            "n": model.n,
            "r_squared": model.r_squared,
            "residual_sd": model.residual_sd,
        }
        mark("context_model")
    elif way == "hand_sql":
        out = hand_sql.run(results_path, context_path, policy=policy, groups=groups, timer=mark)
    else:
        out = pandas_pipeline.run(
            results_path, context_path, policy=policy, groups=groups, timer=mark
        )
    seconds = time.perf_counter() - started

    result.mkdir(parents=True, exist_ok=True)
    if write:
        for name in ("identification", "trends", "rollup", "gaps", "beat_the_odds"):
            if name in out:
                table = out[name]
                if not isinstance(table, pa.Table):
                    table = pa.Table.from_pandas(table, preserve_index=False)
                pq.write_table(table, result / f"{name}.parquet")
        (result / "model.json").write_text(json.dumps(out["model"], indent=2))
    import capacity

    (result / "timing.json").write_text(
        json.dumps(
            {
                "way": way,
                "capacity_package": str(Path(capacity.__file__).resolve().parent),
                "latest": out["latest"],
                "seconds": seconds,
                "stages": stages,
                "rss_after_imports_kb": rss_imports,
                "peak_rss_self_kb": _peak_rss_self_kb(),
                "output_rows": {
                    k: v.num_rows if isinstance(v, pa.Table) else len(v)
                    for k, v in out.items()
                    if k not in ("latest", "model")
                },
            },
            indent=2,
        )
    )


def _peak_rss_self_kb() -> int:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def run_worker(way: str, data: Path, result: Path, *, groups: bool, write: bool) -> dict[str, Any]:
    """One fresh subprocess; its own peak RSS comes from wait4's rusage for that child alone."""
    result.mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--worker",
        way,
        "--data",
        str(data),
        "--result",
        str(result),
    ]
    if groups:
        command.append("--groups")
    if write:
        command.append("--write")
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    with open(result / "worker.log", "w") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    if process.returncode != 0:
        sys.stdout.write((result / "worker.log").read_text()[-4000:])
        raise SystemExit(
            f"The {way} run failed (exit {process.returncode}); log in {result / 'worker.log'}"
        )
    timing = json.loads((result / "timing.json").read_text())
    timing |= {
        "process_seconds": wall,
        "peak_rss_kb": usage.ru_maxrss,
        "load_1min_before": load_before,
    }
    return timing


# --------------------------------------------------------------------------- agreement

# table: (sort keys, columns that must be equal, numeric columns equal to ATOL)
COMPARED: dict[str, tuple[list[str], list[str], list[str]]] = {
    "identification": (["school_number"], ["status", "years_meeting", "years_missing"], []),
    "trends": (
        ["school_number", "assessment"],
        ["school_name", "board_number", "board_name", "latest_year", "base_year", "points"],
        ["latest_value", "latest_participating", "base_value", "change", "slope"],
    ),
    "rollup": (
        ["board_number", "school_year", "assessment", "group"],
        ["weighting", "schools"],
        ["pct_at_standard", "students"],
    ),
    "gaps": (
        ["board_number", "school_year", "assessment", "group"],
        ["board_name", "reference", "schools", "reference_schools"],
        ["pct_at_standard", "reference_pct", "gap", "participating", "reference_participating"],
    ),
    "beat_the_odds": (
        ["school_number"],
        ["school_name", "board_number", "board_name", "school_year", "level", "existence_proof"],
        [
            "actual",
            "participating",
            "enrolment",
            *INDICATORS,
            "predicted",
            "residual",
            "standardized_residual",
        ],
    ),
}


def _frame(path: Path, columns: list[str]):
    import pyarrow.parquet as pq

    return pq.read_table(path, columns=columns).to_pandas()


def compare(first: dict[str, Path], *, groups: bool) -> list[dict[str, Any]]:
    """Every way against capacity: one entry per table and way, with what differed."""
    import numpy as np

    checks = []
    reference_dir = first["capacity"]
    for table, (keys, exact, numeric) in COMPARED.items():
        if table == "gaps" and not groups:
            continue
        columns = keys + exact + numeric
        expected = _frame(reference_dir / f"{table}.parquet", columns)
        expected = expected.sort_values(keys, ignore_index=True)
        for way in WAYS[1:]:
            got = _frame(first[way] / f"{table}.parquet", columns).sort_values(
                keys, ignore_index=True
            )
            problems = []
            if len(got) != len(expected):
                problems.append(f"{len(got)} rows, capacity has {len(expected)}")
            else:
                for column in keys + exact:
                    a = expected[column].astype(object).where(expected[column].notna(), None)
                    b = got[column].astype(object).where(got[column].notna(), None)
                    if column in (
                        "points",
                        "years_meeting",
                        "years_missing",
                        "schools",
                        "reference_schools",
                    ):
                        a = a.map(lambda v: None if v is None else int(v))
                        b = b.map(lambda v: None if v is None else int(v))
                    differing = int((a != b).sum())
                    if differing:
                        problems.append(f"{column}: {differing} rows differ")
                for column in numeric:
                    a = expected[column].to_numpy("float64", na_value=np.nan)
                    b = got[column].to_numpy("float64", na_value=np.nan)
                    close = np.isclose(a, b, rtol=0, atol=ATOL, equal_nan=True)
                    if not close.all():
                        worst = float(np.nanmax(np.abs(a - b)))
                        problems.append(
                            f"{column}: {int((~close).sum())} rows differ (max {worst:g})"
                        )
            checks.append(
                {
                    "table": table,
                    "way": way,
                    "rows": len(expected),
                    "ok": not problems,
                    "problems": problems,
                }
            )
    models = {way: json.loads((first[way] / "model.json").read_text()) for way in WAYS}
    for way in WAYS[1:]:
        problems = []
        a, b = models["capacity"], models[way]
        if a["n"] != b["n"]:
            problems.append(f"n: {b['n']} vs {a['n']}")
        for name, value in a["coefficients"].items():
            if abs(value - b["coefficients"][name]) > ATOL:
                problems.append(f"coefficient {name}: {b['coefficients'][name]!r} vs {value!r}")
        for name in ("r_squared", "residual_sd"):
            if abs(a[name] - b[name]) > ATOL:
                problems.append(f"{name}: {b[name]!r} vs {a[name]!r}")
        checks.append(
            {
                "table": "context_model",
                "way": way,
                "rows": a["n"],
                "ok": not problems,
                "problems": problems,
            }
        )
    return checks


# --------------------------------------------------------------------------- report


def machine() -> dict[str, Any]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = int(line.split()[1]) * 1024
    except OSError:
        pass
    return {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cpu_count": os.cpu_count(),
        "cpu_model": model,
        "ram_bytes": ram,
        "ram_gib": round(ram / 2**30, 1),
    }


def versions() -> dict[str, str]:
    found = {}
    for name in ("ibis-framework", "duckdb", "pandas", "pyarrow", "numpy"):
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def median(values: list[float]) -> float:
    return statistics.median(values)


def summarise(runs: dict[str, list[dict[str, Any]]], rows: int) -> dict[str, Any]:
    ways = {}
    for way, timings in runs.items():
        seconds = [t["seconds"] for t in timings]
        rss = [t["peak_rss_kb"] * 1024 for t in timings]
        stage_names = list(timings[0]["stages"])
        ways[way] = {
            "seconds_median": median(seconds),
            "seconds_runs": seconds,
            "peak_rss_bytes_median": median(rss),
            "peak_rss_bytes_runs": rss,
            "rss_after_imports_bytes_median": median(
                [t["rss_after_imports_kb"] * 1024 for t in timings]
            ),
            "rows_per_second": rows / median(seconds),
            "process_seconds_median": median([t["process_seconds"] for t in timings]),
            "stages_median": {s: median([t["stages"][s] for t in timings]) for s in stage_names},
        }
    ratios = {
        "capacity_vs_hand_sql_time": ways["capacity"]["seconds_median"]
        / ways["hand_sql"]["seconds_median"],
        "pandas_vs_capacity_time": ways["pandas"]["seconds_median"]
        / ways["capacity"]["seconds_median"],
        "capacity_vs_pandas_memory": ways["capacity"]["peak_rss_bytes_median"]
        / ways["pandas"]["peak_rss_bytes_median"],
    }
    met = {}
    for name, (op, target) in TARGETS.items():
        met[name] = ratios[name] <= target if op == "<=" else ratios[name] >= target
    return {
        "ways": ways,
        "ratios": ratios,
        "targets": {k: f"{op} {t}" for k, (op, t) in TARGETS.items()},
        "targets_met": met,
    }


def mib(n: float) -> str:
    return f"{n / 2**20:,.0f} MiB"


def print_report(report: dict[str, Any]) -> None:
    m, d, s = report["machine"], report["data"], report["summary"]
    print()
    print(
        f"Machine: {m['platform']}, Python {m['python']}, {m['cpu_count']} CPUs ({m['cpu_model']}), "
        f"{m['ram_gib']} GiB RAM"
    )
    print("Versions: " + ", ".join(f"{k} {v}" for k, v in report["versions"].items()))
    load = report["load"]
    print(
        f"Load average (1, 5, 15 min): before {tuple(round(x, 2) for x in load['before'])}, "
        f"after {tuple(round(x, 2) for x in load['after'])}; 1-min before each run: "
        f"min {load['runs_min']:.2f}, max {load['runs_max']:.2f}"
    )
    print(
        f"Data: {d['rows']:,} result rows ({d['schools']:,} schools, {d['boards']:,} boards, "
        f"{len(d['school_years'])} school years {d['school_years'][0]}..{d['school_years'][-1]}, gap year "
        f"{d['gap_year']}, groups: {'10' if d['groups'] else 'all only'}), {d['context_rows']:,} context rows; "
        f"Parquet {d['results_bytes'] / 2**20:,.1f} MiB + {d['context_bytes'] / 2**20:,.1f} MiB"
    )
    print(
        f"Repeats: {report['repeat']} per way, interleaved, each in a fresh subprocess; medians shown."
    )
    print(f"Capacity package: {', '.join(report['capacity_package'])}")
    print()
    header = f"{'way':<10} {'wall (s)':>9} {'peak RSS':>11} {'RSS at start':>13} {'rows/s':>13}   runs (s)"
    print(header)
    print("-" * len(header))
    for way, w in s["ways"].items():
        runs = ", ".join(f"{x:.2f}" for x in w["seconds_runs"])
        print(
            f"{way:<10} {w['seconds_median']:>9.2f} {mib(w['peak_rss_bytes_median']):>11} "
            f"{mib(w['rss_after_imports_bytes_median']):>13} {w['rows_per_second']:>13,.0f}   {runs}"
        )
    print()
    print("Stages (median seconds):")
    stage_names = list(dict.fromkeys(n for w in s["ways"].values() for n in w["stages_median"]))
    print(f"  {'stage':<16}" + "".join(f"{way:>11}" for way in s["ways"]))
    for name in stage_names:
        print(
            f"  {name:<16}"
            + "".join(
                f"{w['stages_median'][name]:>11.2f}" if name in w["stages_median"] else f"{'-':>11}"
                for w in s["ways"].values()
            )
        )
    print()
    for name, value in s["ratios"].items():
        print(
            f"  {name:<28} {value:6.2f}   target {s['targets'][name]:<7} "
            f"{'met' if s['targets_met'][name] else 'MISSED'}"
        )
    print()
    failed = [c for c in report["checks"] if not c["ok"]]
    print(
        f"Agreement: {len(report['checks']) - len(failed)}/{len(report['checks'])} checks pass "
        f"(statuses exact, floats to {ATOL:g})."
    )
    for check in failed:
        print(
            f"  DISAGREE {check['table']} ({check['way']} vs capacity): "
            + "; ".join(check["problems"])
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--schools", type=int, default=100_000)
    parser.add_argument(
        "--years", type=int, default=10, help="school years with results (default 10)"
    )
    parser.add_argument(
        "--groups", action="store_true", help="x10 rows: 9 student groups besides all"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", default="/tmp/capacity-bench")
    parser.add_argument("--quick", action="store_true", help="5,000 schools, for a smoke run")
    parser.add_argument("--worker", choices=WAYS, help=argparse.SUPPRESS)
    parser.add_argument("--data", help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    parser.add_argument("--write", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker:
        worker(
            args.worker, Path(args.data), Path(args.result), groups=args.groups, write=args.write
        )
        return 0
    if args.quick:
        args.schools = 5_000
    if args.schools < 100 or args.years < 2 or args.repeat < 1:
        parser.error("use at least 100 schools, 2 years and 1 repeat")

    out = Path(args.out)
    load_before = os.getloadavg()
    data = (
        out / f"data-{args.schools}x{args.years}{'-groups' if args.groups else ''}-seed{args.seed}"
    )
    print(f"Data in {data} ...", flush=True)
    manifest, generated = ensure_data(
        data, schools=args.schools, years=args.years, groups=args.groups, seed=args.seed
    )
    print(
        f"  {manifest['rows']:,} rows, "
        + (f"generated in {generated:.1f} s" if generated else "reused"),
        flush=True,
    )

    runs: dict[str, list[dict[str, Any]]] = {way: [] for way in WAYS}
    first: dict[str, Path] = {}
    for r in range(args.repeat):
        order = WAYS[r % len(WAYS) :] + WAYS[: r % len(WAYS)]
        for way in order:
            result = out / "runs" / f"{way}-{r}"
            timing = run_worker(way, data, result, groups=args.groups, write=way not in first)
            first.setdefault(way, result)
            runs[way].append(timing)
            print(
                f"  run {r + 1}/{args.repeat} {way:<9} {timing['seconds']:7.2f} s  "
                f"peak {mib(timing['peak_rss_kb'] * 1024):>10}  load {timing['load_1min_before']:.2f}",
                flush=True,
            )
    latest = {t["latest"] for timings in runs.values() for t in timings}
    checks = compare(first, groups=args.groups)
    if len(latest) != 1:
        checks.append(
            {
                "table": "latest_year",
                "way": "all",
                "rows": 0,
                "ok": False,
                "problems": [f"latest years differ: {sorted(latest)}"],
            }
        )
    loads = [t["load_1min_before"] for timings in runs.values() for t in timings]
    packages = sorted({t["capacity_package"] for timings in runs.values() for t in timings})
    report = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "versions": versions(),
        "load": {
            "before": load_before,
            "after": os.getloadavg(),
            "runs_min": min(loads),
            "runs_max": max(loads),
        },
        "data": manifest | {"generate_seconds": generated, "directory": str(data)},
        "repeat": args.repeat,
        "capacity_package": packages,
        "pipeline": [
            "identification ofip-2016 latest year",
            "school_trends years=3",
            "rollup by board",
            *(["equity_gaps level=board"] if args.groups else []),
            "fit_context_model + beat_the_odds",
        ],
        "summary": summarise(runs, manifest["rows"]),
        "runs": runs,
        "checks": checks,
    }
    print_report(report)
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(report, indent=2))
    print(f"\nWritten: {out / 'results.json'}")
    if not all(c["ok"] for c in checks):
        print("FAILED: the three ways do not agree.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
