"""1,000 respondents sending a survey at once, some twice: nothing lost, nothing doubled.

    .venv/bin/python benchmarks/survey_submit.py
    DATABASE_URL=postgres://postgres@127.0.0.1:55434/postgres .venv/bin/python benchmarks/survey_submit.py

Setup: a fresh SQLite var dir (or, when DATABASE_URL names PostgreSQL, a fresh
database created beside the one it names and dropped afterwards), migrated (the
shipped instruments load on migrate); one board with one school; a round of
"professional-capital" (51 items, agreement 1-5) for the school with
`--respondents` (1,000) single-use links (`services.round_open(links=...)`). Then
`capacity serve --workers 4 --no-background` starts on 127.0.0.1 with DEBUG off.

Each respondent is a browser of its own (its own cookie jar): it GETs its link's
form, which sets the CSRF cookie and holds the form's token, then POSTs every
answer with `send=1`, as the "Send my answers" button does. Every request goes
through a pool of `--connections` (50) threads, so at most that many are in flight.

1. warm-up: the first 50 forms once, untimed (each gunicorn worker loads its code);
2. baseline, `forms`: every respondent GETs its form, all at once through the pool;
3. `sends`: every respondent sends its answers, all at once. One respondent in ten
   sends twice: half of them as a double click (the same POST queued right behind
   the first, both in flight together), half as a retry (the same POST again once
   the first has answered).

Each respondent's answers are random (seeded) points on the scale, and one in
three adds a comment with accented letters. Afterwards the database must hold
exactly one sent response per respondent, no other response, and every answer
and comment exactly as sent (`verify`); every request must answer 200 and every
send must show the thank-you page. Anything lost, doubled, changed or refused is
printed and the script exits 1.

Printed: the machine, the load average, the database, the counts, and each
phase's requests per second, p50 and p95. The forms phase is the baseline: the
same server's rate for a page that writes nothing, measured in the same run.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import http.cookiejar
import json
import os
import random
import re
import shutil
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
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

INSTRUMENT = "professional-capital"
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# The thank-you page's heading, first sending or the same sending again (English).
THANKS = ("Thank you: your answers were sent", "Your answers were already sent")


@dataclass(frozen=True)
class Sent:
    """What one respondent sent: the answers by item code, and the comment."""

    answers: dict[str, int]
    comment: str = ""


@dataclass
class Verdict:
    """What the database holds for the round against what was sent; `problems` empty when all is well."""

    expected: int
    responses: int
    submitted: int
    most_per_invitation: int
    problems: list[str] = field(default_factory=list)


def token_hash(token: str) -> str:
    """The hash a link's invitation keeps (the same as capacity.instruments.services)."""
    return hashlib.sha256(token.encode()).hexdigest()


def verify(round_id: int, sent: dict[str, Sent]) -> Verdict:
    """Compare the round's responses in the database with what each link sent.

    Every link in `sent` must have exactly one response, sent, with the same answers
    and comment; no other invitation of the round may have a response at all.
    """
    from capacity.instruments.models import Invitation, Response

    by_hash = dict(
        Invitation.objects.filter(round_id=round_id, token_hash__isnull=False).values_list(
            "token_hash", "pk"
        )
    )
    rows = list(
        Response.objects.filter(invitation__round_id=round_id).values(
            "invitation_id", "answers", "comment", "submitted_at"
        )
    )
    per_invitation = Counter(row["invitation_id"] for row in rows)
    stored = {row["invitation_id"]: row for row in rows}
    verdict = Verdict(
        expected=len(sent),
        responses=len(rows),
        submitted=sum(1 for row in rows if row["submitted_at"] is not None),
        most_per_invitation=max(per_invitation.values(), default=0),
    )
    problems = verdict.problems
    for doubled, count in sorted(per_invitation.items()):
        if count > 1:
            problems.append(f"invitation {doubled} has {count} responses")
    wanted: set[int] = set()
    for token, what in sent.items():
        invitation = by_hash.get(token_hash(token))
        if invitation is None:
            problems.append(f"link {token[:6]}... is not an invitation of round {round_id}")
            continue
        wanted.add(invitation)
        row = stored.get(invitation)
        if row is None:
            problems.append(f"invitation {invitation}: lost (no response)")
        elif row["submitted_at"] is None:
            problems.append(f"invitation {invitation}: a draft, not sent")
        elif row["answers"] != what.answers:
            changed = sorted(
                code
                for code in set(what.answers) | set(row["answers"])
                if row["answers"].get(code) != what.answers.get(code)
            )
            problems.append(f"invitation {invitation}: answers differ at {', '.join(changed)}")
        elif row["comment"] != what.comment:
            problems.append(f"invitation {invitation}: comment differs")
    for stray in sorted(set(stored) - wanted):
        problems.append(f"invitation {stray}: a response nobody sent")
    return verdict


def answers_for(index: int, codes: list[str], low: int, high: int, seed: int) -> Sent:
    """One respondent's answers: seeded random points; one in three adds a comment."""
    rng = random.Random(seed * 1_000_003 + index)
    answers = {code: rng.randint(low, high) for code in codes}
    comment = f"Réponse n° {index} : « ça va », élèves et équipe" if index % 3 == 0 else ""
    return Sent(answers, comment)


def open_round(respondents: int) -> tuple[int, list[str], list[str], int, int]:
    """A board, a school, and a round of the instrument for it with one link per respondent."""
    import datetime

    from django.utils import timezone

    from capacity.directory.models import Board, Language, Province, School
    from capacity.instruments import services
    from capacity.instruments.definition import from_json
    from capacity.instruments.models import Instrument

    province, _created = Province.objects.get_or_create(code="ON", defaults={"name": "Ontario"})
    board = Board.objects.create(
        province=province,
        number="B99001",
        name="Benchmark District School Board",
        language=Language.ENGLISH,
        board_type=Board.Type.PUBLIC,
    )
    school = School.objects.create(
        board=board,
        number="999001",
        name="Benchmark Public School",
        level=School.Level.ELEMENTARY,
        language=Language.ENGLISH,
    )
    instrument = Instrument.objects.get(code=INSTRUMENT)
    today = timezone.localdate()
    round_, tokens = services.round_open(
        user=None,
        instrument=instrument,
        school=school,
        opens_on=today,
        closes_on=today + datetime.timedelta(days=14),
        links=respondents,
        actor_label="benchmarks/survey_submit.py",
    )
    definition = from_json(round_.definition)
    assert definition.scale is not None
    codes = [item.code for item in definition.items]
    return round_.pk, tokens, codes, definition.scale.min, definition.scale.max


@dataclass
class Respondent:
    """One browser: its link, its cookie jar, the form's CSRF token once it has the form."""

    token: str
    sent: Sent
    opener: urllib.request.OpenerDirector
    csrf: str = ""


@dataclass
class Outcome:
    status: int
    seconds: float
    problem: str = ""
    started: float = 0.0  # time.perf_counter() when the request went out


def browser() -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )


def request(
    opener: urllib.request.OpenerDirector, url: str, data: bytes | None = None
) -> tuple[int, str, float, float]:
    """Status, body, start and duration of one request.

    An error status is returned, not raised; a connection that fails (refused, reset,
    timed out) is status 0 with the error as its body, so it counts as a refusal.
    """
    headers = {"Accept-Language": "en"}
    if data is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    started = time.perf_counter()
    try:
        with opener.open(urllib.request.Request(url, data=data, headers=headers), timeout=120) as r:
            body = r.read().decode("utf-8", "replace")
            status = r.status
    except urllib.error.HTTPError as error:
        body, status = error.read().decode("utf-8", "replace"), error.code
    except (OSError, http.client.HTTPException) as error:
        body, status = f"{type(error).__name__}: {error}", 0
    return status, body, started, time.perf_counter() - started


def get_form(base: str, person: Respondent) -> Outcome:
    status, body, started, seconds = request(person.opener, f"{base}/surveys/link/{person.token}/")
    found = CSRF_FIELD.search(body)
    if status != 200 or found is None:
        problem = f"form: {status}, {'a' if found else 'no'} CSRF token"
        problem += f" ({body[:120]})" if status == 0 else ""
        return Outcome(status, seconds, problem, started)
    person.csrf = found.group(1)
    return Outcome(status, seconds, "", started)


def send(base: str, person: Respondent) -> Outcome:
    """POST the respondent's answers with `send=1`, as the form's "Send my answers" button does."""
    fields = [("csrfmiddlewaretoken", person.csrf), ("seen", "")]
    fields += [(f"a-{code}", str(value)) for code, value in person.sent.answers.items()]
    fields += [("comment", person.sent.comment), ("send", "1")]
    data = urllib.parse.urlencode(fields).encode()
    status, body, started, seconds = request(
        person.opener, f"{base}/surveys/link/{person.token}/", data
    )
    if status != 200:
        problem = f"send answered {status}" + (f" ({body[:120]})" if status == 0 else "")
        return Outcome(status, seconds, problem, started)
    if not any(heading in body for heading in THANKS):
        return Outcome(status, seconds, "send answered 200 without the thank-you page", started)
    return Outcome(status, seconds, "", started)


def run_pool(jobs: list[Any], connections: int) -> tuple[list[Outcome], float]:
    """Run the jobs (each returns a list of Outcomes) through `connections` threads, all queued at once."""
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=connections) as pool:
        futures = [pool.submit(job) for job in jobs]
        outcomes = [outcome for future in futures for outcome in future.result()]
    return outcomes, time.perf_counter() - started


def summary(outcomes: list[Outcome], seconds: float) -> dict[str, float]:
    times = [o.seconds for o in outcomes]
    return {
        "requests": len(times),
        "seconds": seconds,
        "rps": len(times) / seconds,
        "p50_ms": percentile(times, 50) * 1000,
        "p95_ms": percentile(times, 95) * 1000,
        "max_ms": max(times) * 1000,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--respondents", type=int, default=1000)
    parser.add_argument("--connections", type=int, default=50, help="requests in flight at most")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", default="", help="also write the figures to this JSON file")
    args = parser.parse_args(argv)

    load_before = os.getloadavg()
    server_url = os.environ.get("DATABASE_URL", "")
    postgres_db = ""
    var_dir = Path(tempfile.mkdtemp(prefix="capacity-survey-"))
    if server_url.startswith(("postgres://", "postgresql://")):
        os.environ["DATABASE_URL"], postgres_db = fresh_postgres(server_url)
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ["CAPACITY_VAR_DIR"] = str(var_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "capacity.settings")
    os.environ["DEBUG"] = "false"
    try:
        return run(args, load_before=load_before, postgres_db=postgres_db)
    finally:
        from django.db import connections

        connections.close_all()
        if postgres_db:
            drop_postgres(server_url, postgres_db)
        shutil.rmtree(var_dir, ignore_errors=True)


def run(args: argparse.Namespace, *, load_before: tuple[float, ...], postgres_db: str) -> int:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    round_id, tokens, codes, low, high = open_round(args.respondents)
    people = [
        Respondent(token, answers_for(i, codes, low, high, args.seed), browser())
        for i, token in enumerate(tokens)
    ]
    connection.close()

    with served(args.workers) as port:
        base = f"http://127.0.0.1:{port}"
        twice = {i for i in range(len(people)) if i % 10 == 0}
        # Untimed: each worker's first requests import and compile what the pages need.
        run_pool([lambda p=p: [get_form(base, p)] for p in people[:50]], args.connections)

        forms, forms_seconds = run_pool(
            [lambda p=p: [get_form(base, p)] for p in people], args.connections
        )

        def first_then_retry(index: int) -> list[Outcome]:
            outcomes = [send(base, people[index])]
            if index in twice and index % 20 == 10:  # a retry once the first has answered
                outcomes.append(send(base, people[index]))
            return outcomes

        clicks: dict[int, list[Outcome]] = {}

        def click(index: int) -> list[Outcome]:
            outcome = send(base, people[index])
            clicks.setdefault(index, []).append(outcome)
            return [outcome]

        jobs: list[Any] = []
        for index in range(len(people)):
            if index in twice and index % 20 == 0:  # a double click: both in flight together
                jobs += [lambda i=index: click(i), lambda i=index: click(i)]
            else:
                jobs.append(lambda i=index: first_then_retry(i))
        sends, sends_seconds = run_pool(jobs, args.connections)
    load_after = os.getloadavg()

    sent = {p.token: p.sent for p in people}
    verdict = verify(round_id, sent)
    refused = [o.problem for o in forms + sends if o.problem]
    statuses = Counter(o.status for o in forms + sends)
    doubles = sum(1 for i in twice if i % 20 == 0)
    retries = len(twice) - doubles
    together = sum(
        1
        for first, second in (pair for pair in clicks.values() if len(pair) == 2)
        if first.started < second.started + second.seconds
        and second.started < first.started + first.seconds
    )

    m = machine()
    database = connection.vendor + (f" ({postgres_db})" if postgres_db else "")
    database += " " + ".".join(str(part) for part in connection.get_database_version())
    forms_row = summary(forms, forms_seconds)
    sends_row = summary(sends, sends_seconds)
    print(
        f"Machine: {m['platform']}, Python {m['python']}, {m['cpu_count']} CPUs "
        f"({m['cpu_model']}), {m['ram_gib']} GiB RAM"
    )
    print(
        f"Load average: before {tuple(round(x, 2) for x in load_before)}, "
        f"after {tuple(round(x, 2) for x in load_after)}"
    )
    print(f"Database: {database}")
    print(
        f"Round {round_id}: {INSTRUMENT}, {len(codes)} items; {len(people)} single-use links; "
        f"capacity serve --workers {args.workers}; {args.connections} connections at most"
    )
    print(
        f"Sent: {len(people)} respondents once, {doubles} again as a double click, "
        f"{retries} again as a retry ({len(sends)} POSTs); {together} of the {doubles} "
        "double clicks were in flight together"
    )
    print()
    print(f"{'phase':<32} {'requests':>9} {'seconds':>8} {'req/s':>8} {'p50':>8} {'p95':>8}")
    for name, row in (("forms (GET, baseline)", forms_row), ("sends (POST send=1)", sends_row)):
        print(
            f"{name:<32} {row['requests']:>9} {row['seconds']:>8.1f} {row['rps']:>8.1f} "
            f"{row['p50_ms']:>5.0f} ms {row['p95_ms']:>5.0f} ms"
        )
    print(f"\nsends / forms rate: {sends_row['rps'] / forms_row['rps']:.2f}")
    print(f"Statuses: {dict(sorted(statuses.items()))}")
    print(
        f"In the database: {verdict.responses} responses, {verdict.submitted} sent "
        f"(expected {verdict.expected}); at most {verdict.most_per_invitation} per invitation"
    )
    for problem in (refused + verdict.problems)[:20]:
        print(f"  PROBLEM: {problem}")
    ok = not refused and not verdict.problems
    print(
        "\nNothing lost, nothing doubled, every answer as sent."
        if ok
        else f"\nFAILED: {len(refused)} requests refused, {len(verdict.problems)} problems in the data."
    )
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "machine": m,
                    "load": {"before": load_before, "after": load_after},
                    "database": database,
                    "respondents": len(people),
                    "items": len(codes),
                    "double_clicks": doubles,
                    "double_clicks_in_flight_together": together,
                    "retries": retries,
                    "connections": args.connections,
                    "workers": args.workers,
                    "forms": forms_row,
                    "sends": sends_row,
                    "statuses": statuses,
                    "responses": verdict.responses,
                    "submitted": verdict.submitted,
                    "problems": refused + verdict.problems,
                },
                indent=2,
            )
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
