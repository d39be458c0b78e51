"""`capacity identify --results FILE` as a whole process, beside hand-written DuckDB SQL over the same file.

    .venv/bin/python benchmarks/identify_files.py                 # 6,000,000 rows (100,000 schools x 10 years x 6)
    .venv/bin/python benchmarks/identify_files.py --groups        # x10: 60,000,000 rows (nine more groups)
    .venv/bin/python benchmarks/identify_files.py --quick         # 300,000 rows, a smoke run
    .venv/bin/python benchmarks/identify_files.py --spark         # also `--engine spark`, answers compared

The data is evidence_scale.py's national Parquet file (generated once into --out
and reused). Each way runs as a fresh process, timed from its start to its exit,
so imports, reading, checking and the rule all count:

- **capacity**: `capacity identify --results FILE --format csv` (every row read
  and checked in DuckDB, then the ofip-2016 rule with its reasons);
- **hand**: a Python process that imports duckdb and runs `identification_sql`
  (benchmarks/identification_sql.py: the same rule, written by hand, no checks)
  over `read_parquet(FILE)` for the same year, writing the statuses as CSV;
- **checked**: the same work as the command written by hand in DuckDB SQL
  (HAND_CHECKED below: the distinct cells judged, the checks across a row
  counted, the keys proved unique, then the rule), without Django, Ibis or the
  wording of problems: the like-for-like yardstick;
- with `--spark`: `capacity identify --results FILE --engine spark --format csv`.

Runs are interleaved (capacity, hand, checked, then the other order) `--repeat`
times, and the medians compared: targets (issue 14) capacity <= 3 s at 6 million
rows and <= 1.5 x the checked way at 60 million (the rule alone reads a tenth of
the file and checks nothing, so no command checking every row can come near it;
its ratio is printed too). The identified schools of every way must agree.
Printed: the machine, the load average before and after, the data, each run.
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from evidence_scale import ensure_data, machine  # noqa: E402

PYTHON = sys.executable
CAPACITY = str(Path(sys.executable).with_name("capacity"))

HAND = """
import sys, duckdb
con = duckdb.connect()
path = sys.argv[1].replace("'", "''")
con.execute(f"CREATE VIEW results AS SELECT * FROM read_parquet('{path}')")
con.sql(open(sys.argv[2]).read()).write_csv(sys.argv[3])
"""

# The same work as the command, written by hand in DuckDB SQL with the same ways
# of making it quick, but none of Capacity's machinery (Django, Ibis, the wording
# of each problem): every column's distinct cells judged by its pattern, the checks
# across a row proved by least and greatest values and one count, the keys proved
# unique by one grouping by school (a bit per year x assessment x group), then the
# rule. It stops with exit status 1 if anything is wrong. This file's columns only
# (Parquet, typed figures, no levels): a yardstick, not a reader.
HAND_CHECKED = r"""
import sys, duckdb
con = duckdb.connect()
path = sys.argv[1].replace("'", "''")
con.execute(f"CREATE VIEW results AS SELECT * FROM read_parquet('{path}')")
faults, years, assessments, groups = con.execute(r'''
WITH found AS (
    SELECT
        list(DISTINCT school_number) AS numbers, list(DISTINCT school_year) AS years,
        list(DISTINCT assessment) AS assessments, list(DISTINCT "group") AS groups,
        list(DISTINCT status) AS statuses, list(DISTINCT school_name) AS names,
        list(DISTINCT board_number) AS boards, list(DISTINCT board_name) AS board_names
    FROM results
)
SELECT
    len(list_filter(numbers, x -> x IS NULL OR NOT regexp_full_match(trim(x), '\d{5,6}')))
    + len(list_filter(years, x -> x IS NULL OR NOT regexp_full_match(trim(x), '\d{4}-\d{2}')))
    + len(list_filter(assessments,
          x -> x IS NULL OR NOT regexp_full_match(upper(trim(x)), '[A-Z0-9-]{2,20}')))
    + len(list_filter(groups, x -> length(trim(coalesce(x, ''))) > 40))
    + len(list_filter(statuses,
          x -> lower(trim(coalesce(x, ''))) NOT IN ('', 'nr', 'n/r', 'nd', 'n/d', 'sp')))
    + len(list_filter(boards, x -> x IS NOT NULL AND NOT regexp_full_match(upper(trim(x)), 'B\d{5}')))
    + len(list_filter(names, x -> x IS NOT NULL AND x <> trim(x)))
    + len(list_filter(board_names, x -> x IS NOT NULL AND x <> trim(x))),
    years, assessments, groups
FROM found
''').fetchone()
# The checks across a row, proved as the command proves them: least and greatest values for the
# ranges, one count for "a percentage or a status, not both" (a second query: DuckDB runs the
# distinct lists and these aggregates together slower than apart).
faults += con.execute(r'''
SELECT
    CASE WHEN min(pct) < 0 OR max(pct) > 100 OR isnan(max(pct)) THEN 1 ELSE 0 END
    + CASE WHEN min(participating) < 0 OR max(participating) > 2147483647 THEN 1 ELSE 0 END
    + count(*) FILTER (WHERE (status <> '') = (pct IS NOT NULL))
FROM (SELECT CASE WHEN isnan(pct_at_standard) THEN NULL ELSE pct_at_standard END AS pct,
             participating, status FROM results)
''').fetchone()[0]
if faults:
    raise SystemExit(f"{faults} faults")
con.execute(
    "CREATE TEMP TABLE grid AS SELECT y, a, g, (row_number() OVER () - 1)::INTEGER AS id "
    "FROM unnest(?) AS t1(y), unnest(?) AS t2(a), unnest(?) AS t3(g)",
    [years, assessments, groups],
)
size = len(years) * len(assessments) * len(groups)
repeated = con.execute(f'''
SELECT count(*) FILTER (WHERE given <> kinds) + sum(unnumbered) FROM (
    SELECT count(*) AS given, bit_count(bitstring_agg(grid.id, 0, {size - 1})) AS kinds,
           count(*) FILTER (WHERE grid.id IS NULL) AS unnumbered
    FROM results LEFT JOIN grid
      ON results.school_year = grid.y AND results.assessment = grid.a AND results."group" = grid.g
    GROUP BY results.school_number)
''').fetchone()[0]
if repeated:
    raise SystemExit(f"{repeated} schools with a result given twice")
con.sql(open(sys.argv[2]).read()).write_csv(sys.argv[3])
"""


def timed(command: list[str], out: Path, env: dict[str, str]) -> dict[str, Any]:
    """Run `command` with standard output to `out`; its wall time and peak memory (this child alone)."""
    started = time.perf_counter()
    with out.open("wb") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.PIPE, env=env)
        _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    stderr = process.stderr.read().decode() if process.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{command[:3]} failed ({status}):\n{stderr[-2000:]}")
    return {
        "seconds": seconds,
        "peak_mib": usage.ru_maxrss / 1024,
        "cpu": usage.ru_utime + usage.ru_stime,
        # `--engine spark` says on standard error how many tasks Spark ran.
        "spark": next(
            (line.strip() for line in stderr.splitlines() if line.startswith("Spark ran ")), ""
        ),
    }


def identified_in(path: Path, *, column: str = "status") -> set[str]:
    with path.open(newline="", encoding="utf-8") as handle:
        return {
            row["school_number"] for row in csv.DictReader(handle) if row[column] == "identified"
        }


def latest_year(results: Path) -> str:
    import duckdb

    return str(
        duckdb.sql(
            "SELECT max(school_year) FROM read_parquet(?) WHERE \"group\" = 'all'",
            params=[str(results)],
        ).fetchone()[0]  # type: ignore[index]
    )


def bytecode() -> str:
    """Write the bytecode of Capacity's modules (compileall; nothing when it is up to date)."""
    import compileall

    import capacity

    folder = Path(capacity.__file__).parent
    ok = compileall.compile_dir(str(folder), quiet=1, workers=1)
    return f"{sum(1 for _ in folder.rglob('*.py'))} modules" if ok else "some failed"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--schools", type=int, default=100_000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument(
        "--groups", action="store_true", help="ten times the rows: nine student groups"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", default="/tmp/capacity-bench")
    parser.add_argument("--quick", action="store_true", help="5,000 schools, for a smoke run")
    parser.add_argument("--spark", action="store_true", help="also run --engine spark")
    args = parser.parse_args(argv)
    if args.quick:
        args.schools = 5_000
    directory = Path(args.out) / f"data-{args.schools}-{args.years}-{int(args.groups)}-{args.seed}"
    manifest, generated = ensure_data(
        directory, schools=args.schools, years=args.years, groups=args.groups, seed=args.seed
    )
    results = directory / "results.parquet"
    rows = manifest.get("result_rows") or manifest.get("rows")

    from identification_sql import identification_sql

    from capacity.evidence.analytics.policy import load_policy

    year = latest_year(results)
    work = Path(tempfile.mkdtemp(prefix="capacity-identify-bench-"))
    sql_file = work / "hand.sql"
    sql_file.write_text(identification_sql("results", load_policy("ofip-2016"), year))
    env = {**os.environ, "CAPACITY_VAR_DIR": str(work / "var")}

    ways: dict[str, list[str]] = {
        "capacity": [
            CAPACITY,
            "identify",
            "--results",
            str(results),
            "--year",
            year,
            "--format",
            "csv",
        ],
        "hand": [PYTHON, "-c", HAND, str(results), str(sql_file), str(work / "hand.csv")],
        "checked": [
            PYTHON,
            "-c",
            HAND_CHECKED,
            str(results),
            str(sql_file),
            str(work / "checked.csv"),
        ],
    }
    if args.spark:
        ways["spark"] = [*ways["capacity"], "--engine", "spark"]
    print(f"machine: {machine()}")
    # Capacity's modules as an installed package has them: pip writes their bytecode at install,
    # and Python on first import; this sandbox sets PYTHONDONTWRITEBYTECODE=1, which would leave
    # every run compiling about forty modules from source (0.1-0.2 s, not the command's own time).
    compiled = bytecode()
    print(f"bytecode: Capacity's modules compiled ({compiled}), as after an install")
    print(
        f"data: {results} ({results.stat().st_size / 2**20:.1f} MiB), {rows} rows, year {year}"
        + (f", generated in {generated:.1f} s" if generated else "")
    )
    print(f"load before: {os.getloadavg()}")
    runs: dict[str, list[dict[str, Any]]] = {way: [] for way in ways}
    outputs: dict[str, Path] = {}
    names = list(ways)
    for repeat in range(args.repeat):
        order = names if repeat % 2 == 0 else list(reversed(names))
        for way in order:
            out = work / f"{way}.stdout"
            run = timed(ways[way], out, env)
            runs[way].append(run)
            outputs[way] = work / f"{way}.csv" if way in ("hand", "checked") else out
            print(
                f"  {way:9} run {repeat + 1}: {run['seconds']:7.2f} s  cpu {run['cpu']:6.2f} s  "
                f"peak {run['peak_mib']:7.0f} MiB  {run['spark']}".rstrip(),
                flush=True,
            )
    print(f"load after: {os.getloadavg()}")

    def median(way: str) -> float:
        values = sorted(run["seconds"] for run in runs[way])
        return values[len(values) // 2]

    found = {way: identified_in(path) for way, path in outputs.items()}
    agree = all(found[way] == found["hand"] for way in found)
    print(
        f"identified schools: {', '.join(f'{way} {len(found[way])}' for way in found)}; "
        f"{'the same schools' if agree else 'DIFFERENT SCHOOLS'}"
    )
    ratio = median("capacity") / median("checked")
    print(
        f"median: capacity {median('capacity'):.2f} s, the same checks and rule in hand SQL "
        f"{median('checked'):.2f} s (ratio {ratio:.2f}), the rule alone in hand SQL "
        f"{median('hand'):.2f} s (ratio {median('capacity') / median('hand'):.2f})"
        + (f", spark {median('spark'):.2f} s" if "spark" in runs else "")
    )
    return 0 if agree else 1


if __name__ == "__main__":
    raise SystemExit(main())
