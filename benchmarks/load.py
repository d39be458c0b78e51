"""Requests per second under load: the main pages against a trivial signed-in page.

    .venv/bin/python benchmarks/load.py                      # builds the demo province first
    .venv/bin/python benchmarks/load.py --reuse /tmp/demo    # a var dir already holding the demo
    DATABASE_URL=postgres://postgres@127.0.0.1:55433/capacity .venv/bin/python benchmarks/load.py

Setup: the full demo province (directory, results and plans, as `capacity demo`
builds it) in a fresh SQLite var dir or a fresh PostgreSQL database beside the
one DATABASE_URL names (dropped afterwards), or the var dir `--reuse` names.
The evidence analyses are computed ahead (`warm_analyses`, what the worker does
after the demo build), then `capacity serve --workers 4 --no-background` starts
on 127.0.0.1 with DEBUG off.

Load: `--users` (20) signed-in people, each a thread with its own session and
connection (opened again when the server closes it after an answer, as gunicorn's
workers do), requesting one page after another with no pause for
`--seconds` (30) per phase. Two phases, in this order, repeated `--rounds` (2)
times so that neither always runs on a fresher machine:

- trivial: `/account/tokens/` (the person's API tokens: one small query);
- main: home, plans, province evidence, a board's evidence, a school's evidence
  and a school search, in turn (boards, schools and searches rotate over 24
  boards, 200 elementary schools and 12 name fragments).

Printed: the machine, the load average before and after, the database and data
size, each phase's requests per second, p50 and p95, each main page's own p50 and
p95, and the two targets of issue 14 ("a province under load"): the main pages
serve at least half the trivial page's requests per second, with a p95 no more
than twice the trivial page's. `--check` exits 1 when a target is missed.

Every response must be 200: any other status, a connection refused or dropped,
or a request taking more than `--timeout` seconds stops the run at once, names
the request and exits 1 (the server's output is kept in the var dir's
`load-server.log` and its last lines printed). Each phase lasts `--seconds`, so
the measuring is bounded: rounds x 2 phases x seconds, plus a 5 s warm-up.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from pages_p95 import (  # noqa: E402
    drop_postgres,
    fresh_postgres,
    machine,
    percentile,
    served,
)

SEARCHES = ["saint", "public", "catholique", "north", "park", "lake", "sainte", "central"]
SEARCHES += ["river", "heights", "hill", "valley"]


def build(var_dir: Path) -> dict[str, Any]:
    """The demo province, as `capacity demo` builds it, then its analyses computed ahead."""
    from django.core.management import call_command

    from capacity.directory.demo import DemoOptions, build_demo
    from capacity.evidence.demo import build_demo_results
    from capacity.planning.demo import build_demo_plans

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    options = DemoOptions()
    demo = build_demo(options)
    results = build_demo_results(seed=options.seed, years=options.years)
    plans = build_demo_plans(seed=options.seed)
    return {
        "boards": demo.boards,
        "schools": demo.schools,
        "results": results,
        "plans": plans["plans"],
        "build_seconds": time.perf_counter() - started,
    }


def sessions(count: int) -> list[str]:
    """`count` session keys for the demo's ministry officer (each a sign-in of its own)."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    person = get_user_model().objects.get(username="ministry")
    keys = []
    for _ in range(count):
        client = Client()
        client.force_login(person)
        keys.append(client.cookies["sessionid"].value)
    return keys


def main_urls() -> list[str]:
    from capacity.directory.models import Board, School

    boards = list(Board.objects.order_by("number").values_list("number", flat=True))[:24]
    schools = list(
        School.objects.filter(level=School.Level.ELEMENTARY)
        .order_by("number")
        .values_list("number", flat=True)
    )
    schools = schools[:: max(1, len(schools) // 200)][:200]
    urls = []
    for i in range(max(len(boards), len(schools), len(SEARCHES))):
        urls += [
            "/",
            "/plans/",
            "/evidence/",
            f"/boards/{boards[i % len(boards)]}/evidence/",
            f"/schools/{schools[i % len(schools)]}/evidence/",
            f"/schools/?q={SEARCHES[i % len(SEARCHES)]}",
        ]
    return urls


def page_kind(url: str) -> str:
    """The kind of page a URL of `main_urls` is, for the figures by page."""
    if url.startswith("/schools/?"):
        return "school search"
    if url.startswith("/schools/"):
        return "school evidence"
    if url.startswith("/boards/"):
        return "board evidence"
    return {"/": "home", "/plans/": "plans", "/evidence/": "province evidence"}.get(url, url)


class LoadFailure(SystemExit):
    """A request that did not answer 200 (or did not answer): the run stops with its message."""


def run_phase(
    port: int,
    keys: list[str],
    urls: list[str],
    seconds: float,
    *,
    by_page: dict[str, list[float]] | None = None,
    timeout: float = 60.0,
) -> tuple[list[float], int]:
    """Each session requests `urls` in turn (each starting elsewhere) until time is up.

    Returns every request's seconds and the phase's length; `by_page`, when given,
    also gets each request's seconds under its `page_kind`. Any answer but 200, and
    any request that fails or takes longer than `timeout`, stops the phase at once
    and raises LoadFailure naming it (nothing is retried or left out of the figures).
    """
    stop_at = time.monotonic() + seconds
    times: list[list[tuple[str, float]]] = [[] for _ in keys]
    failures: list[str] = []

    def person(index: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        headers = {"Cookie": f"sessionid={keys[index]}", "Host": "127.0.0.1"}
        position = index * 7
        while time.monotonic() < stop_at and not failures:
            url = urls[position % len(urls)]
            position += 1
            start = time.perf_counter()
            try:
                connection.request("GET", url, headers=headers)
                response = connection.getresponse()
                body = response.read()
            except (OSError, http.client.HTTPException) as error:
                failures.append(
                    f"GET {url} failed after {time.perf_counter() - start:.1f} s: {error!r}"
                )
                break
            if response.status != 200:
                where = response.getheader("Location") or body[:200].decode(errors="replace")
                failures.append(f"GET {url} answered {response.status}: {where}")
                break
            times[index].append((url, time.perf_counter() - start))
        connection.close()

    started = time.monotonic()
    threads = [threading.Thread(target=person, args=(i,)) for i in range(len(keys))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise LoadFailure(f"{len(failures)} request(s) failed; the first: {failures[0]}")
    elapsed = time.monotonic() - started
    flat = [seconds for per in times for _url, seconds in per]
    if by_page is not None:
        for per in times:
            for url, seconds_taken in per:
                by_page.setdefault(page_kind(url), []).append(seconds_taken)
    return flat, round(elapsed)


def summary(times: list[float], seconds: float) -> dict[str, float]:
    return {
        "requests": len(times),
        "rps": len(times) / seconds,
        "p50_ms": percentile(times, 50) * 1000,
        "p95_ms": percentile(times, 95) * 1000,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0, help="per phase and round")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--reuse", default="", help="a CAPACITY_VAR_DIR that holds the demo")
    parser.add_argument("--json", default="", help="also write the figures to this JSON file")
    parser.add_argument(
        "--timeout", type=float, default=60.0, help="seconds a request may take (default 60)"
    )
    parser.add_argument(
        "--check", action="store_true", help="exit 1 when a target of issue 14 is missed"
    )
    args = parser.parse_args(argv)

    load_before = os.getloadavg()
    server_url = os.environ.get("DATABASE_URL", "")
    postgres_db = ""
    if args.reuse:
        var_dir = Path(args.reuse)
    else:
        var_dir = Path(tempfile.mkdtemp(prefix="capacity-load-"))
        if server_url.startswith(("postgres://", "postgresql://")):
            os.environ["DATABASE_URL"], postgres_db = fresh_postgres(server_url)
        else:
            os.environ.pop("DATABASE_URL", None)
    os.environ["CAPACITY_VAR_DIR"] = str(var_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "capacity.settings")
    os.environ["DEBUG"] = "false"
    try:
        return run(args, var_dir=var_dir, load_before=load_before, postgres_db=postgres_db)
    finally:
        from django.db import connections

        connections.close_all()
        if postgres_db:
            drop_postgres(server_url, postgres_db)
        if not args.reuse:
            shutil.rmtree(var_dir, ignore_errors=True)


RATE_TARGET = 0.5  # the main pages' requests per second, at least this share of the trivial page's
P95_TARGET = 2.0  # the main pages' p95, at most this many times the trivial page's


def run(
    args: argparse.Namespace, *, var_dir: Path, load_before: tuple[float, ...], postgres_db: str
) -> int:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from capacity.directory.models import Board, School
    from capacity.evidence.models import Result
    from capacity.evidence.warming import warm_analyses
    from capacity.planning.models import Plan

    call_command("migrate", verbosity=0)  # a fresh PostgreSQL database has no tables yet
    data: dict[str, Any] = {}
    if not Board.objects.exists():
        data = build(var_dir)
    warmed = warm_analyses()
    data |= {
        "boards": Board.objects.count(),
        "schools": School.objects.count(),
        "results": Result.objects.count(),
        "plans": Plan.objects.count(),
        "warm_seconds": round(warmed.seconds, 1),
    }
    keys = sessions(args.users)
    urls = main_urls()
    connection.close()

    log_path = var_dir / "load-server.log"
    with log_path.open("ab") as log:
        try:
            phases, elapsed, by_page = _measure(args, keys, urls, log)
        except LoadFailure:
            log.flush()
            tail = log_path.read_text(errors="replace").splitlines()[-20:]
            print(f"The server's last lines ({log_path}):", *tail, sep="\n", file=sys.stderr)
            raise

    load_after = os.getloadavg()
    trivial = summary(phases["trivial"], elapsed["trivial"])
    main_ = summary(phases["main"], elapsed["main"])
    ratio = main_["rps"] / trivial["rps"]
    p95_ratio = main_["p95_ms"] / trivial["p95_ms"]
    pages = {
        kind: {
            "requests": len(times),
            "p50_ms": percentile(times, 50) * 1000,
            "p95_ms": percentile(times, 95) * 1000,
        }
        for kind, times in by_page.items()
    }
    m = machine()
    database = connection.vendor + (f" ({postgres_db})" if postgres_db else "")
    if connection.vendor == "postgresql":
        version = connection.cursor().connection.info.server_version  # 150018 for 15.18
        database = f"PostgreSQL {version // 10000}.{version % 100}" + database.removeprefix(
            "postgresql"
        )
    print()
    print(
        f"Machine: {m['platform']}, Python {m['python']}, {m['cpu_count']} CPUs "
        f"({m['cpu_model']}), {m['ram_gib']} GiB RAM"
    )
    print(
        f"Load average: before {tuple(round(x, 2) for x in load_before)}, "
        f"after {tuple(round(x, 2) for x in load_after)}"
    )
    print(f"Database: {database}; data: {data}")
    print(
        f"{args.users} users, capacity serve --workers {args.workers}, "
        f"{args.rounds} x {args.seconds:.0f} s per phase"
    )
    print()
    print(f"{'phase':<40} {'requests':>9} {'req/s':>8} {'p50':>8} {'p95':>8}")
    for name, row in (("trivial /account/tokens/", trivial), ("main pages, in turn", main_)):
        print(
            f"{name:<40} {row['requests']:>9} {row['rps']:>8.1f} "
            f"{row['p50_ms']:>6.0f} ms {row['p95_ms']:>5.0f} ms"
        )
    for kind, row in pages.items():
        print(
            f"{'  ' + kind:<40} {row['requests']:>9} {'':>8} "
            f"{row['p50_ms']:>6.0f} ms {row['p95_ms']:>5.0f} ms"
        )
    rate_met = ratio >= RATE_TARGET
    p95_met = p95_ratio <= P95_TARGET
    print(
        f"\nmain / trivial requests per second: {ratio:.2f} "
        f"(target >= {RATE_TARGET}: {'met' if rate_met else 'MISSED'})"
    )
    print(
        f"main / trivial p95: {p95_ratio:.2f} "
        f"(target <= {P95_TARGET}: {'met' if p95_met else 'MISSED'})"
    )
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "machine": m,
                    "load": {"before": load_before, "after": load_after},
                    "database": database,
                    "data": data,
                    "users": args.users,
                    "workers": args.workers,
                    "rounds": args.rounds,
                    "seconds": args.seconds,
                    "trivial": trivial,
                    "main": main_,
                    "pages": pages,
                    "ratio": ratio,
                    "p95_ratio": p95_ratio,
                    "targets": {"ratio": RATE_TARGET, "p95_ratio": P95_TARGET},
                    "met": rate_met and p95_met,
                },
                indent=2,
            )
        )
    return 1 if args.check and not (rate_met and p95_met) else 0


def _measure(
    args: argparse.Namespace, keys: list[str], urls: list[str], log: Any
) -> tuple[dict[str, list[float]], dict[str, float], dict[str, list[float]]]:
    """The rounds of both phases against `capacity serve`, its output going to `log`."""
    phases: dict[str, list[float]] = {"trivial": [], "main": []}
    elapsed: dict[str, float] = {"trivial": 0.0, "main": 0.0}
    by_page: dict[str, list[float]] = {}
    with served(args.workers, log=log) as port:
        # One pass over every page first: each gunicorn worker's first requests load code.
        run_phase(port, keys, urls[:60], 5, timeout=args.timeout)
        for round_ in range(args.rounds):
            for name, pages in (("trivial", ["/account/tokens/"]), ("main", urls)):
                times, seconds = run_phase(
                    port,
                    keys,
                    pages,
                    args.seconds,
                    by_page=by_page if name == "main" else None,
                    timeout=args.timeout,
                )
                phases[name] += times
                elapsed[name] += seconds
                print(
                    f"round {round_ + 1} {name}: {len(times) / seconds:.1f} requests/s, "
                    f"load {os.getloadavg()[0]:.2f}",
                    flush=True,
                )
    return phases, elapsed, by_page


if __name__ == "__main__":
    sys.exit(main())
