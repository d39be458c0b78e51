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

Load: `--users` (20) signed-in people, each a thread with its own session and a
kept-alive connection, requesting one page after another with no pause for
`--seconds` (30) per phase. Two phases, in this order, repeated `--rounds` (2)
times so that neither always runs on a fresher machine:

- trivial: `/account/tokens/` (the person's API tokens: one small query);
- main: home, plans, province evidence, a board's evidence, a school's evidence
  and a school search, in turn (boards, schools and searches rotate over 24
  boards, 200 elementary schools and 12 name fragments).

Printed: the machine, the database and data size, each phase's requests per
second, p50 and p95, and the ratio of the main pages' rate to the trivial
page's (the target in issue 9: at least 1/3). Every response must be 200; any
other status stops the run.
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


def run_phase(
    port: int, keys: list[str], urls: list[str], seconds: float
) -> tuple[list[float], int]:
    """Each session requests `urls` in turn (each starting elsewhere) until time is up."""
    stop_at = time.monotonic() + seconds
    times: list[list[float]] = [[] for _ in keys]
    failures: list[str] = []

    def person(index: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        headers = {"Cookie": f"sessionid={keys[index]}", "Host": "127.0.0.1"}
        position = index * 7
        while time.monotonic() < stop_at and not failures:
            url = urls[position % len(urls)]
            position += 1
            start = time.perf_counter()
            try:
                connection.request("GET", url, headers=headers)
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                continue
            if response.status != 200:
                failures.append(f"GET {url} answered {response.status}")
                break
            times[index].append(time.perf_counter() - start)
        connection.close()

    started = time.monotonic()
    threads = [threading.Thread(target=person, args=(i,)) for i in range(len(keys))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise SystemExit(failures[0])
    elapsed = time.monotonic() - started
    flat = [t for per in times for t in per]
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


def run(
    args: argparse.Namespace, *, var_dir: Path, load_before: tuple[float, ...], postgres_db: str
) -> int:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from capacity.directory.models import Board
    from capacity.evidence.models import Result
    from capacity.evidence.warming import warm_analyses

    call_command("migrate", verbosity=0)  # a fresh PostgreSQL database has no tables yet
    data: dict[str, Any] = {}
    if not Board.objects.exists():
        data = build(var_dir)
    warmed = warm_analyses()
    data |= {"results": Result.objects.count(), "warm_seconds": warmed.seconds}
    keys = sessions(args.users)
    urls = main_urls()
    connection.close()

    with served(args.workers) as port:
        # One pass over every page first: each gunicorn worker's first requests load code.
        run_phase(port, keys, urls[:60], 5)
        phases: dict[str, list[float]] = {"trivial": [], "main": []}
        elapsed: dict[str, float] = {"trivial": 0.0, "main": 0.0}
        for round_ in range(args.rounds):
            for name, pages in (("trivial", ["/account/tokens/"]), ("main", urls)):
                times, seconds = run_phase(port, keys, pages, args.seconds)
                phases[name] += times
                elapsed[name] += seconds
                print(
                    f"round {round_ + 1} {name}: {len(times) / seconds:.1f} requests/s",
                    flush=True,
                )

    load_after = os.getloadavg()
    trivial = summary(phases["trivial"], elapsed["trivial"])
    main_ = summary(phases["main"], elapsed["main"])
    ratio = main_["rps"] / trivial["rps"]
    m = machine()
    database = connection.vendor + (f" ({postgres_db})" if postgres_db else "")
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
    verdict = "met" if ratio >= 1 / 3 else "missed"
    print(f"\nmain / trivial: {ratio:.2f} (target >= 0.33: {verdict})")
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
                    "trivial": trivial,
                    "main": main_,
                    "ratio": ratio,
                },
                indent=2,
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
