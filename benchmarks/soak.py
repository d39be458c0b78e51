"""Soak: imports, plan reviews and reads at once against `capacity serve` and its worker; nothing lost.

    .venv/bin/python benchmarks/soak.py                                  # the demo province, 5 minutes
    .venv/bin/python benchmarks/soak.py --minutes 1 --boards 4 --schools 300
    DATABASE_URL=postgres://postgres@127.0.0.1:55433/postgres .venv/bin/python benchmarks/soak.py

Setup: the demo province (directory, results and plans, as load.py builds it;
`--boards`/`--schools` scale it down) in a fresh SQLite var dir, or a fresh
PostgreSQL database beside the one DATABASE_URL names (dropped afterwards), or
the var dir `--reuse` names. Its analyses are computed ahead (`warm_analyses`).
For `--plans` (4) school plans at the Plan stage, draft or returned, two team
members (a principal and a school team member), a leader of the plan's board,
and API tokens for the team member and the ministry officer. Then
`capacity serve --workers 4` starts on 127.0.0.1 with its background worker
(which imports the files uploaded through the web), DEBUG off, its output kept.

For `--minutes` (5), all at once:

- readers: `--readers` (20) signed-in ministry officers reading the main pages
  (load.py's list: home, plans, province, board and school evidence, school
  search), the soak's plan pages and the list of uploads, one after another
  with no pause;
- per plan, a thread that drives the review cycle through the web forms (with
  their CSRF tokens, as a browser posts them) and the API (with tokens), in
  turn: the principal edits the plan's overall impact and adds a goal; the team
  member adds a checkpoint; both edit the plan's next steps from the same
  version at the same moment, then the goal's statement (one must be saved, the
  other refused by the version check); the board leader adds a co-reflection
  and the principal replies; the principal (form) and the team member (API)
  submit from the same version at once; the team member then tries to add a
  goal to the submitted plan (refused); the board leader (form) and the
  ministry officer (API) return the same submission at once (one decision
  stands, the other is refused);
- an uploader (the ministry officer) sending results files through the upload
  page and following each to its end: a new file (CSV or Parquet), the same
  file again, a file with one deliberate error in its last row;
- a data team running `capacity import results` as processes: a new file, the
  same file again, a file with an error, and the uploader's current file (the
  same rows imported by the web worker and the command at once).

Every results file writes rows of its own student group (`soak-<run>-<n>`) in
the latest school year, so what each import wrote can be found. Once time is
up, the writers finish their step and the uploads still waiting are followed
to their end (`--drain`, 600 s at most); then the server stops.

Checked from the database afterwards: every write that was answered as saved is
there exactly once, with its text, and the plans' and goals' texts are the last
saved ones; every refused write left no trace (no row, no history entry); each
race had exactly one winner; the submissions and decisions are exactly the
saved ones; every file that was imported has exactly its rows with its values,
counted as created once in all (a re-import creates and changes nothing); every
file with an error was refused and wrote nothing; no upload is left waiting or
failed. And: no request answered 5xx or failed to connect, and the server's log
(web and worker) holds no error. Printed: counts, requests per second and
p50/p95 per kind of request, the machine, the database and the data size; the
exit status is 1 on any problem.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import http.cookies
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from load import main_urls, sessions  # noqa: E402
from pages_p95 import (  # noqa: E402
    drop_postgres,
    fresh_postgres,
    machine,
    percentile,
    served,
)

ASSESSMENTS = ("G3-READ", "G3-WRITE", "G3-MATH", "G6-READ", "G6-WRITE", "G6-MATH")
LONG_HEADER = (
    "school_number",
    "school_year",
    "assessment",
    "group",
    "participating",
    "pct_level_1",
    "pct_level_2",
    "pct_level_3",
    "pct_level_4",
    "pct_at_standard",
    "status",
)
# What the server's log may not hold: Python tracebacks, Django's 500s, gunicorn's errors and
# timeouts, SQLite's lock timeouts, the worker losing an import, JSON log lines at ERROR.
# The server's own line per request (capacity.request): its time in the app, the queue left out.
SERVED = re.compile(r"capacity\.request \[[^\]]*\] (GET|POST) (\S+) (\d{3}) ([\d.]+) ms")
LOG_ERRORS = re.compile(
    r"Traceback|Internal Server Error|\[(ERROR|CRITICAL)\]|WORKER TIMEOUT|database is locked"
    r'|lost its worker|"level": ?"(ERROR|CRITICAL)"'
)
CONFLICT = "Someone else changed this plan"
MESSAGE = re.compile(r'<p class="message ([^"]*)">(.*?)</p>', re.S)


# --- what happened -----------------------------------------------------------------------


@dataclass
class Write:
    """One write the soak asked for and what the app answered: `saved` or refused."""

    kind: str  # plan impact, plan next steps, goal, goal edit, checkpoint, co-reflection, ...
    plan: int
    text: str
    saved: bool
    how: str = ""  # the answer, for the report
    goal: int | None = None


@dataclass
class ImportRun:
    """One import of a results file, through the upload page or the command."""

    tag: str
    how: str  # "web" or "cli"
    valid: bool
    path: Path
    job: int | None = None  # the upload's ResultImport
    exit_code: int | None = None
    counts: tuple[int, int, int] | None = None  # created, updated, unchanged (the command's)
    output: str = ""


@dataclass
class Ledger:
    """Everything the threads saw, under one lock."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: Counter[int] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)
    writes: list[Write] = field(default_factory=list)
    imports: list[ImportRun] = field(default_factory=list)
    files: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # tag -> rows
    races: Counter[str] = field(default_factory=Counter)

    def timed(self, kind: str, seconds: float, status: int) -> None:
        with self.lock:
            self.times[kind].append(seconds)
            self.statuses[status] += 1

    def problem(self, text: str) -> None:
        with self.lock:
            self.problems.append(text)

    def wrote(self, write: Write) -> Write:
        with self.lock:
            self.writes.append(write)
        return write


# --- a browser: cookies, forms, CSRF -----------------------------------------------------


@dataclass
class Answer:
    status: int
    body: str
    location: str = ""

    def messages(self) -> list[tuple[str, str]]:
        return [(tags, text.strip()) for tags, text in MESSAGE.findall(self.body)]


class Browser:
    """One person's browser (or API client): its cookies, one connection, every request timed.

    Redirects are not followed by themselves: a form's answer is its status, and the
    page it redirects to (with the flash message) is asked for like a browser would.
    """

    def __init__(
        self, port: int, ledger: Ledger, *, session: str = "", token: str = "", who: str = ""
    ) -> None:
        self.port, self.ledger, self.token, self.who = port, ledger, token, who
        self.cookies: dict[str, str] = {"sessionid": session} if session else {}
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)

    def request(
        self,
        method: str,
        path: str,
        *,
        kind: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> Answer:
        sent = {"Host": "127.0.0.1", "Accept-Language": "en", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.token:
            sent["Authorization"] = f"Bearer {self.token}"
        started = time.perf_counter()
        try:
            self.connection.request(method, path, body=body, headers=sent)
            response = self.connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException) as error:
            self.connection.close()
            seconds = time.perf_counter() - started
            self.ledger.timed(kind, seconds, 0)
            self.ledger.problem(
                f"{method} {path} ({kind}, {self.who}): {type(error).__name__}: {error}"
            )
            return Answer(0, "")
        seconds = time.perf_counter() - started
        self.ledger.timed(kind, seconds, response.status)
        for header in response.msg.get_all("Set-Cookie") or []:
            jar = http.cookies.SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                if morsel.value == "" or morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.coded_value
        if response.will_close:
            self.connection.close()
        if response.status >= 500:
            self.ledger.problem(
                f"{method} {path} ({kind}, {self.who}) answered {response.status}: {text[:200]!r}"
            )
        return Answer(response.status, text, response.getheader("Location", ""))

    def get(self, path: str, *, kind: str, headers: dict[str, str] | None = None) -> Answer:
        return self.request("GET", path, kind=kind, headers=headers)

    def post_form(self, path: str, pairs: list[tuple[str, str]], *, kind: str) -> Answer:
        from urllib.parse import urlencode

        return self.request(
            "POST",
            path,
            kind=kind,
            body=urlencode(pairs).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )

    def post_json(self, path: str, data: dict[str, Any], *, kind: str) -> Answer:
        return self.request(
            "POST",
            path,
            kind=kind,
            body=json.dumps(data).encode(),
            headers={"Content-Type": "application/json"},
        )

    def post_file(
        self, path: str, pairs: list[tuple[str, str]], file_field: str, file: Path, *, kind: str
    ) -> Answer:
        boundary = uuid.uuid4().hex
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            for name, value in pairs
        ]
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; '
            f'filename="{file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
            + file.read_bytes()
            + b"\r\n"
        )
        parts.append(f"--{boundary}--\r\n".encode())
        return self.request(
            "POST",
            path,
            kind=kind,
            body=b"".join(parts),
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
        )

    def follow(self, answer: Answer, *, kind: str) -> Answer:
        """The page a form's redirect leads to (where its message shows)."""
        return self.get(answer.location, kind=kind) if answer.location else answer


@dataclass
class Form:
    action: str
    fields: list[list[str]] = field(default_factory=list)
    buttons: list[tuple[str, str]] = field(default_factory=list)

    def value(self, name: str) -> str:
        return next((v for n, v in self.fields if n == name), "")

    def set(self, name: str, value: str) -> Form:
        self.fields = [f for f in self.fields if f[0] != name] + [[name, value]]
        return self

    def pairs(self, button: tuple[str, str] | None = None) -> list[tuple[str, str]]:
        return [(n, v) for n, v in self.fields] + ([button] if button else [])


class _FormParser(HTMLParser):
    """The page's forms with what a browser would send: inputs, checked boxes, textareas,
    selects (the selected option; a required choice left on its empty option takes the
    first real one, as a person filling the form in would)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._text: list[str] | None = None
        self._textarea = ""
        self._select: tuple[str, bool] | None = None
        self._options: list[tuple[str, bool]] = []
        self._option: dict[str, Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(Form(action=a.get("action", "")))
        if not self.forms:
            return
        form = self.forms[-1]
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text").lower()
            if kind in ("submit", "image", "button"):
                form.buttons.append((a["name"], a.get("value", "")))
            elif kind in ("checkbox", "radio"):
                if "checked" in a:
                    form.fields.append([a["name"], a.get("value", "on")])
            elif kind not in ("file", "reset"):
                form.fields.append([a["name"], a.get("value", "")])
        elif tag == "button" and a.get("name"):
            form.buttons.append((a["name"], a.get("value", "")))
        elif tag == "textarea" and a.get("name"):
            self._textarea, self._text = a["name"], []
        elif tag == "select" and a.get("name"):
            self._select, self._options = (a["name"], "multiple" in a), []
        elif tag == "option" and self._select is not None:
            self._option = {"value": a.get("value"), "selected": "selected" in a}
            self._text = []

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea" and self._text is not None and self.forms:
            text = "".join(self._text)
            self.forms[-1].fields.append(
                [self._textarea, text[1:] if text.startswith("\n") else text]
            )
            self._text = None
        elif tag == "option" and self._option is not None:
            value = self._option["value"]
            text = "".join(self._text or []).strip()
            self._options.append((text if value is None else value, self._option["selected"]))
            self._option, self._text = None, None
        elif tag == "select" and self._select is not None and self.forms:
            name, multiple = self._select
            chosen = [v for v, selected in self._options if selected]
            if not multiple and not chosen and self._options:
                chosen = [self._options[0][0]]
            if not multiple and chosen == [""]:
                chosen = [next((v for v, _s in self._options if v), "")]
            for value in chosen:
                self.forms[-1].fields.append([name, value])
            self._select = None


def forms_of(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


def form_with(html: str, name: str, value: str | None = None) -> Form | None:
    """The first form holding a field `name` (with `value`, when given)."""
    for form in forms_of(html):
        if any(n == name and (value is None or v == value) for n, v in form.fields):
            return form
    return None


def at_once(*steps: Callable[[], Any]) -> list[Any]:
    """Run the steps in threads released together (two people pressing Save at the same moment)."""
    barrier = threading.Barrier(len(steps))
    results: list[Any] = [None] * len(steps)

    def run(index: int) -> None:
        barrier.wait()
        results[index] = steps[index]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(steps))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


# --- the people: readers ------------------------------------------------------------------


def kind_of(path: str) -> str:
    """The kind of page a reader asked for (the report's rows)."""
    for pattern, kind in (
        (r"^/$", "read: home"),
        (r"^/plans/$", "read: plans dashboard"),
        (r"^/plans/\d+/$", "read: a soak plan's page"),
        (r"^/evidence/$", "read: province evidence"),
        (r"^/evidence/imports/$", "read: uploads list"),
        (r"^/boards/[^/]+/evidence/$", "read: board evidence"),
        (r"^/schools/[^/]+/evidence/$", "read: school evidence"),
        (r"^/schools/\?q=", "read: school search"),
    ):
        if re.match(pattern, path):
            return kind
    return "read: other"


def reader(browser: Browser, urls: list[str], start: int, deadline: float) -> None:
    position = start
    while time.monotonic() < deadline:
        url = urls[position % len(urls)]
        position += 1
        answer = browser.get(url, kind=kind_of(url))
        if answer.status not in (200, 0) and answer.status < 500:
            browser.ledger.problem(f"GET {url} (reader) answered {answer.status}")


# --- the people: a plan's team and reviewers ----------------------------------------------


@dataclass
class PlanPeople:
    plan: int
    principal: Browser  # the plan's team (forms)
    team: Browser  # the plan's team (forms)
    team_api: Browser  # the same team member, by API token
    lead: Browser  # a leader of the plan's board (forms)
    ministry_api: Browser  # a ministry officer, by API token


class PlanCycle:
    """Drives one plan through edits, races, co-reflection, submission and review until time is up."""

    def __init__(self, people: PlanPeople, ledger: Ledger, run: str, deadline: float) -> None:
        self.p, self.ledger, self.run, self.deadline = people, ledger, run, deadline
        self.plan = people.plan
        self.count = 0
        self.goal: int | None = None  # the goal this cycle edits

    def text(self, what: str) -> str:
        self.count += 1
        return f"soak {self.run} plan {self.plan} {what} {self.count}: élèves « ça va » — ok"

    def unexpected(self, what: str, answer: Answer) -> None:
        said = "; ".join(f"{t}: {m}" for t, m in answer.messages()) or answer.body[:160]
        self.ledger.problem(f"plan {self.plan}: {what} answered {answer.status} ({said!r})")

    def loop(self) -> None:
        steps = [
            self.edit_impact,
            self.add_goal,
            self.add_checkpoint,
            self.race_next_steps,
            self.race_goal,
            self.coreflect_and_reply,
            self.race_submit,
            self.add_goal_while_submitted,
            self.race_decision,
        ]
        while True:
            for step in steps:
                if time.monotonic() >= self.deadline:
                    return
                try:
                    step()
                except Exception as error:  # a step that breaks is a problem, not a stopped soak
                    self.ledger.problem(
                        f"plan {self.plan}: {step.__name__} broke: {type(error).__name__}: {error}"
                    )
                    return

    # Each form: GET it (its CSRF token and the plan version the person read), change it, POST it.

    def _item_form(self, who: Browser, path: str, kind: str) -> Form | None:
        page = who.get(path, kind=f"write: {kind} (form)")
        form = form_with(page.body, "version")
        if page.status != 200 or form is None:
            self.unexpected(f"GET {path}", page)
            return None
        return form

    def _save_item(self, who: Browser, path: str, form: Form, kind: str) -> tuple[bool, Answer]:
        """POST an item form: saved (a redirect to the plan with "Saved.") or refused (the form again)."""
        answer = who.post_form(path, form.pairs(), kind=f"write: {kind}")
        if answer.status == 302:
            page = who.follow(answer, kind="write: the plan after a save")
            if ("success", "Saved.") not in page.messages():
                self.unexpected(f"{kind}: the redirect after saving", page)
            return True, answer
        if answer.status != 200:
            self.unexpected(kind, answer)
        return False, answer

    def edit_impact(self) -> None:
        path = f"/plans/{self.plan}/edit/"
        form = self._item_form(self.p.principal, path, "plan edit")
        if form is None:
            return
        text = self.text("impact")
        saved, answer = self._save_item(
            self.p.principal, path, form.set("overall_impact", text), "plan edit"
        )
        self.ledger.wrote(Write("plan impact", self.plan, text, saved))
        if not saved:
            self.unexpected("an edit of the overall impact nobody else made", answer)

    def add_goal(self) -> None:
        path = f"/plans/{self.plan}/goals/new/"
        form = self._item_form(self.p.principal, path, "goal add")
        if form is None:
            return
        text = self.text("goal")
        saved, answer = self._save_item(
            self.p.principal, path, form.set("statement", text), "goal add"
        )
        goal = None
        if saved:
            page = self.p.principal.get(f"/plans/{self.plan}/", kind="write: the plan after a save")
            ids = [int(n) for n in re.findall(rf"/plans/{self.plan}/goal/(\d+)/", page.body)]
            goal = max(ids) if ids else None
            self.goal = goal
        else:
            self.unexpected("adding a goal", answer)
        self.ledger.wrote(Write("goal", self.plan, text, saved, goal=goal))

    def add_checkpoint(self) -> None:
        path = f"/plans/{self.plan}/checkpoints/new/"
        form = self._item_form(self.p.team, path, "checkpoint add")
        if form is None:
            return
        text = self.text("checkpoint")
        due = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
        saved, answer = self._save_item(
            self.p.team, path, form.set("title", text).set("due", due), "checkpoint add"
        )
        self.ledger.wrote(Write("checkpoint", self.plan, text, saved))
        if not saved:
            self.unexpected("adding a checkpoint", answer)

    def _race(
        self, path: str, field_name: str, kind: str, what: str, goal: int | None = None
    ) -> None:
        """The principal and the team member save the same form, read at the same version, at once."""
        forms = [self._item_form(who, path, kind) for who in (self.p.principal, self.p.team)]
        if None in forms:
            return
        texts = [self.text(what), self.text(what)]
        if forms[0].value("version") != forms[1].value("version"):  # type: ignore[union-attr]
            self.ledger.problem(f"plan {self.plan}: two reads of {path} gave two versions")
        results = at_once(
            *[
                (
                    lambda who=who, form=form, t=t: self._save_item(
                        who, path, form.set(field_name, t), kind
                    )
                )
                for who, form, t in zip((self.p.principal, self.p.team), forms, texts, strict=True)
            ]
        )
        for (saved, answer), t in zip(results, texts, strict=True):
            how = (
                "saved"
                if saved
                else ("conflict" if CONFLICT in answer.body else f"refused {answer.status}")
            )
            self.ledger.wrote(Write(what, self.plan, t, saved, how=how, goal=goal))
            if not saved and how != "conflict":
                self.unexpected(f"{kind} race (not refused as a conflict)", answer)
        self._verdict(kind, [saved for saved, _answer in results])

    def _verdict(self, kind: str, saved: list[bool]) -> None:
        with self.ledger.lock:
            self.ledger.races[kind] += 1
        if saved.count(True) != 1:
            self.ledger.problem(
                f"plan {self.plan}: {kind} race: {saved.count(True)} of {len(saved)} saved (one must be)"
            )

    def race_next_steps(self) -> None:
        self._race(f"/plans/{self.plan}/edit/", "next_steps", "plan edit", "plan next steps")

    def race_goal(self) -> None:
        if self.goal is None:
            return
        self._race(
            f"/plans/{self.plan}/goal/{self.goal}/",
            "statement",
            "goal edit",
            "goal edit",
            self.goal,
        )

    def _action(
        self, who: Browser, form: Form, kind: str, button: tuple[str, str] | None = None
    ) -> tuple[bool, Answer]:
        """POST one of the plan page's action forms; its message on the plan page says how it went."""
        answer = who.post_form(
            f"/plans/{self.plan}/action/", form.pairs(button), kind=f"write: {kind}"
        )
        if answer.status != 302:
            return False, answer
        page = who.follow(answer, kind="write: the plan after a save")
        # A reply says nothing when it is saved; every refusal shows an error message.
        return "error" not in [t for t, _m in page.messages()], page

    def coreflect_and_reply(self) -> None:
        page = self.p.lead.get(f"/plans/{self.plan}/", kind="write: plan page (reviewer)")
        form = form_with(page.body, "action", "coreflect")
        if form is None:
            self.unexpected("the plan page has no co-reflection form for its board's leader", page)
            return
        text = self.text("co-reflection")
        form.set("themes", text).set("keep", "Garder le cap").set("consider", "Les élèves")
        saved, answer = self._action(self.p.lead, form, "co-reflection")
        self.ledger.wrote(Write("co-reflection", self.plan, text, saved))
        if not saved:
            self.unexpected("a co-reflection", answer)
            return
        page = self.p.principal.get(f"/plans/{self.plan}/", kind="write: plan page (team)")
        form = form_with(page.body, "action", "reply")
        if form is None:
            self.unexpected("the plan page has no reply form for its team", page)
            return
        text = self.text("reply")
        saved, answer = self._action(self.p.principal, form.set("text", text), "reply")
        self.ledger.wrote(Write("reply", self.plan, text, saved))
        if not saved:
            self.unexpected("a reply", answer)

    def race_submit(self) -> None:
        """The principal presses Submit on the page while the team member submits by API, same version."""
        page = self.p.principal.get(f"/plans/{self.plan}/", kind="write: plan page (team)")
        form = form_with(page.body, "action", "submit")
        state = self.p.team_api.get(f"/api/plans/{self.plan}", kind="api: plan (read)")
        if form is None or state.status != 200:
            self.unexpected("the plan offers no Submit (or its API read failed)", page)
            return
        version = json.loads(state.body)["version"]
        if str(version) != form.value("version"):
            self.ledger.problem(f"plan {self.plan}: page and API read two versions")

        def by_form() -> bool:
            return self._action(self.p.principal, form, "submit")[0]

        def by_api() -> bool:
            answer = self.p.team_api.post_json(
                f"/api/plans/{self.plan}/submit", {"version": version}, kind="api: submit"
            )
            # The loser is refused: 409 when it reads the plan before the winner's submission
            # commits (the version moved), 400 "already waiting for review" when after it.
            lost_after = answer.status == 400 and "already waiting for review" in answer.body
            if answer.status not in (200, 409) and not lost_after:
                self.unexpected("a submission by API", answer)
            return answer.status == 200

        results = at_once(by_form, by_api)
        for saved, how in zip(results, ("form", "api"), strict=True):
            self.ledger.wrote(Write("submit", self.plan, how, saved))
        self._verdict("submit", results)

    def add_goal_while_submitted(self) -> None:
        path = f"/plans/{self.plan}/goals/new/"
        form = self._item_form(self.p.team, path, "goal add")
        if form is None:
            return
        text = self.text("goal while submitted")
        saved, answer = self._save_item(self.p.team, path, form.set("statement", text), "goal add")
        self.ledger.wrote(Write("goal while submitted", self.plan, text, saved))
        if saved:
            self.ledger.problem(f"plan {self.plan}: a goal was added to a plan waiting for review")
        elif "waiting for review" not in answer.body:
            self.unexpected("a goal added while submitted (refused, but not for that)", answer)

    def race_decision(self) -> None:
        """The board's leader returns the plan on its page while a ministry officer returns it by API."""
        page = self.p.lead.get(f"/plans/{self.plan}/", kind="write: plan page (reviewer)")
        form = form_with(page.body, "submission")
        state = self.p.ministry_api.get(f"/api/plans/{self.plan}", kind="api: plan (read)")
        if form is None or state.status != 200:
            self.unexpected("the submitted plan offers its reviewer no decision", page)
            return
        basis = json.loads(state.body)
        texts = [self.text("returned (leader)"), self.text("returned (ministry)")]
        form.set("comments", texts[0])

        def by_form() -> bool:
            saved, answer = self._action(self.p.lead, form, "decision", ("action", "return"))
            if not saved and answer.status != 409:
                self.unexpected("a decision on the page (refused, but not as stale)", answer)
            return saved

        def by_api() -> bool:
            answer = self.p.ministry_api.post_json(
                f"/api/plans/{self.plan}/decision",
                {
                    "accept": False,
                    "submission": basis["waiting_submission"],
                    "version": basis["version"],
                    "comments": texts[1],
                },
                kind="api: decision",
            )
            if answer.status not in (200, 409):
                self.unexpected("a decision by API", answer)
            return answer.status == 200

        results = at_once(by_form, by_api)
        for saved, t in zip(results, texts, strict=True):
            self.ledger.wrote(Write("decision", self.plan, t, saved))
        self._verdict("decision", results)


# --- the people: importers ----------------------------------------------------------------


class Files:
    """Results files of the soak's own student groups, each remembered with its rows."""

    def __init__(
        self,
        folder: Path,
        run: str,
        year: str,
        schools: list[str],
        rows: int,
        ledger: Ledger,
        seed: int,
    ) -> None:
        self.folder, self.run, self.year, self.schools = folder, run, year, schools
        self.per_file = max(1, rows // len(ASSESSMENTS))
        self.ledger = ledger
        self.rng = random.Random(seed)
        self.lock = threading.Lock()
        self.count = 0

    def make(self, *, valid: bool, parquet: bool = False) -> tuple[str, Path]:
        with self.lock:
            self.count += 1
            n = self.count
            start = self.rng.randrange(len(self.schools))
            draws = [self.rng.random() for _ in range(self.per_file * len(ASSESSMENTS) * 5)]
        tag = f"soak-{self.run}-{n}"
        schools = [self.schools[(start + i) % len(self.schools)] for i in range(self.per_file)]
        rows: list[dict[str, Any]] = []
        d = iter(draws)
        for school in schools:
            for assessment in ASSESSMENTS:
                if next(d) < 0.05:  # a result not reported: a status, no number
                    row = {"participating": None, "levels": [None] * 4, "pct": None, "status": "nr"}
                    for _ in range(4):
                        next(d)
                else:
                    cuts = sorted(round(next(d) * 100) for _ in range(3))
                    levels = [cuts[0], cuts[1] - cuts[0], cuts[2] - cuts[1], 100 - cuts[2]]
                    row = {
                        "participating": 20 + int(next(d) * 100),
                        "levels": [float(x) for x in levels],
                        "pct": float(levels[2] + levels[3]),
                        "status": "",
                    }
                rows.append({"school": school, "assessment": assessment, **row})
        lines = [
            [
                r["school"],
                self.year,
                r["assessment"],
                tag,
                "" if r["participating"] is None else str(r["participating"]),
                *("" if x is None else f"{x:g}" for x in r["levels"]),
                "" if r["pct"] is None else f"{r['pct']:g}",
                r["status"],
            ]
            for r in rows
        ]
        if not valid:  # one deliberate error, in the last row, after every other row was written
            broken = lines[-1]
            match n % 3:
                case 0:
                    broken[9], broken[10] = "140", ""  # not a percentage
                case 1:
                    broken[0] = "999998"  # no such school
                case _:
                    broken[2] = "G9-ZZZ"  # no such assessment
        path = self.folder / f"{tag}.{'parquet' if parquet else 'csv'}"
        if parquet:  # typed columns, as a data team's tools write them
            import pyarrow as pa
            import pyarrow.parquet as pq

            table = {
                "school_number": [r["school"] for r in rows],
                "school_year": [self.year] * len(rows),
                "assessment": [r["assessment"] for r in rows],
                "group": [tag] * len(rows),
                "participating": pa.array([r["participating"] for r in rows], pa.int64()),
                **{
                    f"pct_level_{i + 1}": pa.array([r["levels"][i] for r in rows], pa.float64())
                    for i in range(4)
                },
                "pct_at_standard": pa.array([r["pct"] for r in rows], pa.float64()),
                "status": [r["status"] for r in rows],
            }
            pq.write_table(pa.table(table), path)
        else:
            path.write_text(
                ",".join(LONG_HEADER) + "\n" + "\n".join(",".join(line) for line in lines) + "\n",
                encoding="utf-8",
            )
        with self.ledger.lock:
            self.ledger.files[tag] = rows if valid else []
        return tag, path


class Uploader:
    """The ministry officer's uploads through the web page, each followed to its end as the page polls."""

    def __init__(
        self, browser: Browser, files: Files, ledger: Ledger, deadline: float, drain_until: float
    ) -> None:
        self.browser, self.files, self.ledger = browser, files, ledger
        self.deadline, self.drain_until = deadline, drain_until
        self.current: tuple[str, Path] | None = (
            None  # the file being imported (the data team shares it)
        )

    def loop(self) -> None:
        plan = ["new", "again", "bad", "new parquet", "again"]
        last: tuple[str, Path] | None = None
        step = 0
        while time.monotonic() < self.deadline:
            what = plan[step % len(plan)]
            step += 1
            if what.startswith("new") or last is None:
                last = self.files.make(valid=True, parquet="parquet" in what)
                tag, path, valid = *last, True
            elif what == "again":
                tag, path, valid = *last, True
            else:
                tag, path = self.files.make(valid=False)
                valid = False
            self.current = (tag, path) if valid else None
            self.upload(tag, path, valid)

    def upload(self, tag: str, path: Path, valid: bool) -> None:
        page = self.browser.get("/evidence/imports/", kind="upload: the page")
        form = form_with(page.body, "school_year")
        if form is None:
            self.ledger.problem(f"the upload page has no form ({page.status})")
            return
        run = ImportRun(tag, "web", valid, path)
        answer = self.browser.post_file(
            "/evidence/imports/", form.pairs(), "file", path, kind="upload: POST the file"
        )
        found = re.search(r"/evidence/imports/(\d+)/", answer.location)
        if answer.status != 302 or not found:
            self.ledger.problem(
                f"upload of {path.name} answered {answer.status}: {answer.body[:200]!r}"
            )
            return
        run.job = int(found.group(1))
        with self.ledger.lock:
            self.ledger.imports.append(run)
        status = f"/evidence/imports/{run.job}/"
        self.browser.get(status, kind="upload: its page")
        while time.monotonic() < self.drain_until:
            time.sleep(1)  # as the page polls
            poll = self.browser.get(
                status, kind="upload: poll its state", headers={"HX-Request": "true"}
            )
            if poll.status == 200 and "hx-get" not in poll.body:
                return
            if poll.status != 200:
                self.ledger.problem(f"polling upload {run.job} answered {poll.status}")
                return
        self.ledger.problem(f"upload {run.job} ({path.name}) did not end within the drain time")


class DataTeam:
    """`capacity import results` as a data team runs it, one process after another."""

    def __init__(
        self, files: Files, uploader: Uploader, ledger: Ledger, deadline: float, pause: float
    ) -> None:
        self.files, self.uploader, self.ledger, self.deadline = files, uploader, ledger, deadline
        self.pause = pause  # seconds between one import's end and the next one's start
        self.command = str(Path(sys.executable).parent / "capacity")

    def loop(self) -> None:
        plan = ["new", "again", "shared", "bad"]
        last: tuple[str, Path] | None = None
        step = 0
        while time.monotonic() < self.deadline:
            if step:
                time.sleep(max(0.0, min(self.pause, self.deadline - time.monotonic())))
                if time.monotonic() >= self.deadline:
                    return
            what = plan[step % len(plan)]
            step += 1
            if what == "shared" and self.uploader.current is not None:
                tag, path = self.uploader.current
                self.run(tag, path, True)
            elif what == "bad":
                self.run(*self.files.make(valid=False), False)
            elif what == "again" and last is not None:
                self.run(*last, True)
            else:
                last = self.files.make(valid=True)
                self.run(*last, True)

    def run(self, tag: str, path: Path, valid: bool) -> None:
        started = time.perf_counter()
        done = subprocess.run(  # noqa: S603 - our own command
            [self.command, "import", "results", str(path)],
            env=os.environ | {"COLUMNS": "400", "NO_COLOR": "1"},
            capture_output=True,
            text=True,
            timeout=900,
            cwd=ROOT,
        )
        self.ledger.timed(
            "cli: capacity import results (whole process)", time.perf_counter() - started, 200
        )
        output = " ".join((done.stdout + done.stderr).split())
        found = re.search(r"(\d+) created, (\d+) updated, (\d+) unchanged", output)
        run = ImportRun(
            tag,
            "cli",
            valid,
            path,
            exit_code=done.returncode,
            counts=tuple(int(x) for x in found.groups()) if found else None,  # type: ignore[arg-type]
            output=output[-600:],
        )
        with self.ledger.lock:
            self.ledger.imports.append(run)


# --- setup ---------------------------------------------------------------------------------


def build(boards: int, schools: int) -> dict[str, Any]:
    """The demo province (directory, results, plans) as load.py builds it, at the size asked."""
    from capacity.directory.demo import DemoOptions, build_demo
    from capacity.evidence.demo import build_demo_results
    from capacity.planning.demo import build_demo_plans

    started = time.perf_counter()
    options = DemoOptions(boards=boards, schools=schools)
    demo = build_demo(options)
    results = build_demo_results(seed=options.seed, years=options.years)
    plans = build_demo_plans(seed=options.seed)
    return {
        "boards": demo.boards,
        "schools": demo.schools,
        "plans": plans["plans"],
        "build_seconds": round(time.perf_counter() - started, 1),
        "results_built": results,
    }


def session_for(user: Any) -> str:
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def soak_people(run: str, count: int) -> list[dict[str, Any]]:
    """For `count` school plans at the Plan stage, draft or returned: their team, a board leader, tokens."""
    from django.contrib.auth import get_user_model

    from capacity.directory.models import Membership, Role
    from capacity.directory.services import api_token_create
    from capacity.planning.models import Kind, Plan, Review, Stage

    User = get_user_model()
    plans = list(
        Plan.objects.filter(
            kind=Kind.SCHOOL, stage=Stage.PLAN, review__in=[Review.DRAFT, Review.RETURNED]
        )
        .order_by("-school_year", "school__number")
        .select_related("school", "board")[:count]
    )
    if len(plans) < count:
        raise SystemExit(
            f"The demo has {len(plans)} plans a team can submit; --plans asks for {count}."
        )
    ministry = User.objects.get(username="ministry")
    _token, ministry_key = api_token_create(user=ministry, name=f"soak {run}", days=2)
    people = []
    for plan in plans:
        made = {}
        for who, role, where in (
            ("principal", Role.PRINCIPAL, {"school": plan.school}),
            ("team", Role.SCHOOL_TEAM, {"school": plan.school}),
            ("lead", Role.BOARD_LEADER, {"board": plan.board}),
        ):
            user = User.objects.create_user(username=f"soak.{run}.{plan.pk}.{who}", email="")
            Membership.objects.create(user=user, role=role, **where)
            made[who] = user
        _token, team_key = api_token_create(user=made["team"], name=f"soak {run}", days=2)
        people.append(
            {
                "plan": plan.pk,
                "principal": session_for(made["principal"]),
                "team": session_for(made["team"]),
                "lead": session_for(made["lead"]),
                "team_token": team_key,
                "ministry_token": ministry_key,
            }
        )
    return people


# --- verification --------------------------------------------------------------------------


def verify_plans(
    ledger: Ledger, plans: list[int], first_change: int, first_submission: int
) -> list[str]:
    """Every saved write is there once with its text; every refused one left nothing."""
    from capacity.planning.models import (
        Checkpoint,
        CoReflection,
        Goal,
        Plan,
        PlanChange,
        Reply,
        Submission,
    )

    problems: list[str] = []
    # Where a text can be: each table's text column, and the history's new values.
    stores: dict[str, Counter[str]] = {
        "goal": Counter(Goal.objects.filter(plan__in=plans).values_list("statement", flat=True)),
        "checkpoint": Counter(
            Checkpoint.objects.filter(plan__in=plans).values_list("title", flat=True)
        ),
        "co-reflection": Counter(
            CoReflection.objects.filter(plan__in=plans).values_list("themes", flat=True)
        ),
        "reply": Counter(
            Reply.objects.filter(coreflection__plan__in=plans).values_list("text", flat=True)
        ),
        "submission": Counter(
            Submission.objects.filter(plan__in=plans).values_list("comments", flat=True)
        ),
        "plan": Counter(
            text
            for pair in Plan.objects.filter(pk__in=plans).values_list(
                "overall_impact", "next_steps"
            )
            for text in pair
        ),
    }
    history: Counter[str] = Counter()
    submitted: Counter[int] = Counter()
    for change in PlanChange.objects.filter(plan__in=plans, pk__gte=first_change).order_by("pk"):
        for pair in (change.fields or {}).values():
            if isinstance(pair, list) and len(pair) == 2 and isinstance(pair[1], str):
                history[pair[1]] += 1
        if change.action == "submitted":
            submitted[change.plan_id] += 1
    # Where each saved text must be found once (the history keeps every saved edit once).
    table_of = {
        "goal": "goal",
        "checkpoint": "checkpoint",
        "co-reflection": "co-reflection",
        "reply": "reply",
        "decision": "submission",
    }
    in_history = {"plan impact", "plan next steps", "goal", "goal edit", "checkpoint", "decision"}
    last_plan_text: dict[tuple[int, str], str] = {}
    last_goal_text: dict[int, str] = {}
    for w in ledger.writes:
        if w.kind == "submit":
            continue
        if w.saved:
            table = table_of.get(w.kind)
            if table and stores[table][w.text] != 1 and w.kind not in ("goal",):
                problems.append(
                    f"plan {w.plan}: saved {w.kind} found {stores[table][w.text]} times: {w.text!r}"
                )
            if w.kind in in_history and history[w.text] != 1:
                problems.append(
                    f"plan {w.plan}: saved {w.kind} has {history[w.text]} history entries: {w.text!r}"
                )
            if w.kind in ("plan impact", "plan next steps"):
                last_plan_text[(w.plan, w.kind)] = w.text
            if w.kind in ("goal", "goal edit") and w.goal is not None:
                last_goal_text[w.goal] = w.text
        else:
            where = [name for name, counts in stores.items() if counts[w.text]]
            if history[w.text]:
                where.append("history")
            if where:
                problems.append(
                    f"plan {w.plan}: a refused {w.kind} was stored ({', '.join(where)}): {w.text!r}"
                )
    stored = {p.pk: p for p in Plan.objects.filter(pk__in=plans)}
    for (plan, kind), text in last_plan_text.items():
        column = "overall_impact" if kind == "plan impact" else "next_steps"
        if getattr(stored[plan], column) != text:
            problems.append(f"plan {plan}: {column} is not the last saved text")
    goals = dict(Goal.objects.filter(pk__in=list(last_goal_text)).values_list("pk", "statement"))
    for goal, text in last_goal_text.items():
        if goals.get(goal) != text:
            problems.append(f"goal {goal}: its statement is not the last saved text")
    # Submissions: exactly one per saved submit, numbered on from those before.
    saved_submits = Counter(w.plan for w in ledger.writes if w.kind == "submit" and w.saved)
    made = Counter(
        Submission.objects.filter(plan__in=plans, pk__gte=first_submission).values_list(
            "plan_id", flat=True
        )
    )
    for plan in plans:
        if made[plan] != saved_submits[plan] or submitted[plan] != saved_submits[plan]:
            problems.append(
                f"plan {plan}: {saved_submits[plan]} submissions saved, {made[plan]} stored, "
                f"{submitted[plan]} in its history"
            )
        numbers = sorted(Submission.objects.filter(plan_id=plan).values_list("number", flat=True))
        if numbers != list(range(1, len(numbers) + 1)):
            problems.append(f"plan {plan}: submission numbers {numbers} are not 1..n")
    decided = dict(Submission.objects.filter(plan__in=plans).values_list("comments", "decision"))
    for w in ledger.writes:
        if w.kind == "decision" and w.saved and decided.get(w.text) != Submission.Decision.RETURNED:
            problems.append(
                f"plan {w.plan}: a saved return is not a returned submission: {w.text!r}"
            )
    return problems


def verify_imports(ledger: Ledger, year: str) -> tuple[list[str], dict[str, int]]:
    """Each file's rows are there exactly as written, or (a file with an error) none of them."""
    from capacity.evidence.models import Result, ResultImport

    problems: list[str] = []
    jobs = {
        job.pk: job
        for job in ResultImport.objects.filter(pk__in=[r.job for r in ledger.imports if r.job])
    }
    by_tag: dict[str, list[ImportRun]] = defaultdict(list)
    for run in ledger.imports:
        by_tag[run.tag].append(run)
    counts = Counter()
    for tag, runs in by_tag.items():
        created = updated = 0
        for run in runs:
            counts[f"{run.how} {'valid' if run.valid else 'with an error'}"] += 1
            if run.how == "web":
                job = jobs.get(run.job or 0)
                state = job.state if job else "missing"
                wanted = ResultImport.State.APPLIED if run.valid else ResultImport.State.REJECTED
                if state != wanted:
                    why = job.summary if job else {}
                    problems.append(
                        f"upload {run.job} of {run.path.name}: {state}, expected {wanted} ({why})"
                    )
                elif run.valid and job is not None:
                    created += int(job.summary.get("created", 0))
                    updated += int(job.summary.get("updated", 0))
            else:
                if run.valid and (run.exit_code != 0 or run.counts is None):
                    problems.append(
                        f"capacity import results {run.path.name}: exit {run.exit_code}: {run.output}"
                    )
                elif not run.valid and (
                    run.exit_code != 1 or "Nothing was imported" not in run.output
                ):
                    problems.append(
                        f"capacity import results {run.path.name} (an error in it): exit {run.exit_code}: {run.output}"
                    )
                elif run.valid and run.counts is not None:
                    created += run.counts[0]
                    updated += run.counts[1]
        expected = ledger.files.get(tag, [])
        stored = list(
            Result.objects.filter(group=tag).values_list(
                "school__number",
                "assessment__code",
                "school_year",
                "participating",
                "pct_level_1",
                "pct_level_2",
                "pct_level_3",
                "pct_level_4",
                "pct_at_standard",
                "status",
            )
        )
        valid = any(run.valid for run in runs)
        if not valid:
            if stored:
                problems.append(
                    f"{tag}: a file with an error was refused, yet {len(stored)} of its rows are stored"
                )
            continue
        applied = [
            run
            for run in runs
            if (
                run.how == "web"
                and jobs.get(run.job or 0)
                and jobs[run.job or 0].state == "applied"
            )
            or (run.how == "cli" and run.exit_code == 0)
        ]
        if not applied:
            if stored:
                problems.append(
                    f"{tag}: no import of it succeeded, yet {len(stored)} rows are stored"
                )
            continue
        want = {
            (r["school"], r["assessment"]): (
                year,
                r["participating"],
                *r["levels"],
                r["pct"],
                r["status"],
            )
            for r in expected
        }
        have = {(row[0], row[1]): tuple(row[2:]) for row in stored}
        if len(stored) != len(want):
            problems.append(f"{tag}: {len(stored)} rows stored, the file has {len(want)}")
        wrong = [key for key, values in want.items() if have.get(key) != values]
        if wrong:
            problems.append(
                f"{tag}: {len(wrong)} rows differ from the file, e.g. {wrong[0]}: "
                f"{have.get(wrong[0])} != {want[wrong[0]]}"
            )
        if created != len(want) or updated:
            problems.append(
                f"{tag}: its {len(applied)} imports created {created} and updated {updated} rows in all "
                f"(expected {len(want)} and 0)"
            )
    left = ResultImport.objects.filter(
        pk__in=list(jobs), state__in=[ResultImport.State.QUEUED, ResultImport.State.RUNNING]
    ).count()
    if left:
        problems.append(f"{left} uploads still waiting or running")
    return problems, dict(counts)


def upload_times(ledger: Ledger) -> dict[str, list[float]]:
    """Seconds each upload waited for the worker (uploaded to claimed), then took (claimed to finished)."""
    from capacity.evidence.models import ResultImport

    times: dict[str, list[float]] = {"waited": [], "importing": []}
    jobs = ResultImport.objects.filter(pk__in=[r.job for r in ledger.imports if r.job])
    for created, claimed, finished in jobs.values_list("created", "claimed_at", "finished"):
        if claimed is not None:
            times["waited"].append((claimed - created).total_seconds())
            if finished is not None:
                times["importing"].append((finished - claimed).total_seconds())
    return times


def worker_tasks() -> dict[str, int]:
    """How many of each task the worker ran (or has waiting), from django-tasks' table."""
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # another task backend
        return {}
    counts: Counter[str] = Counter()
    for path, status in DBTaskResult.objects.values_list("task_path", "status"):
        counts[f"{path.rsplit('.', 1)[-1]} {status.lower()}"] += 1
    return dict(sorted(counts.items()))


# --- the run ---------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--minutes", type=float, default=5.0, help="how long the load lasts (at most 60)"
    )
    parser.add_argument("--readers", type=int, default=20)
    parser.add_argument(
        "--plans", type=int, default=4, help="plans driven through the review cycle"
    )
    parser.add_argument("--rows", type=int, default=600, help="result rows per file")
    parser.add_argument(
        "--import-pause",
        type=float,
        default=0.0,
        help="seconds the data team waits between two imports (default 0: one after another)",
    )
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--boards", type=int, default=72, help="demo size (boards)")
    parser.add_argument("--schools", type=int, default=4870, help="demo size (schools)")
    parser.add_argument(
        "--drain", type=float, default=600.0, help="seconds to wait for uploads at the end"
    )
    parser.add_argument("--reuse", default="", help="a CAPACITY_VAR_DIR that holds the demo")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--log", default="", help="keep the server's log in this file")
    parser.add_argument("--json", default="", help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    if not 0 < args.minutes <= 60:
        parser.error("--minutes must be more than 0 and at most 60")

    load_before = os.getloadavg()
    server_url = os.environ.get("DATABASE_URL", "")
    postgres_db = ""
    if args.reuse:
        var_dir = Path(args.reuse)
    else:
        var_dir = Path(tempfile.mkdtemp(prefix="capacity-soak-"))
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


def served_times(log_text: str) -> dict[str, list[float]]:
    """Milliseconds each request spent in the server, by method, from its access lines."""
    times: dict[str, list[float]] = defaultdict(list)
    for match in SERVED.finditer(log_text):
        times[match.group(1)].append(float(match.group(4)))
    return dict(times)


def run(
    args: argparse.Namespace, *, var_dir: Path, load_before: tuple[float, ...], postgres_db: str
) -> int:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Max

    from capacity.directory.models import Board, School
    from capacity.evidence.models import Result
    from capacity.evidence.warming import warm_analyses
    from capacity.planning.models import PlanChange, Submission

    call_command("migrate", verbosity=0)
    data: dict[str, Any] = {}
    if not Board.objects.exists():
        print("Building the demo province...", flush=True)
        data = build(args.boards, args.schools)
    warmed = warm_analyses()
    print(f"Analyses computed ahead in {warmed.seconds:.1f} s", flush=True)
    run_id = uuid.uuid4().hex[:6]
    year = Result.objects.aggregate(latest=Max("school_year"))["latest"]
    elementary = list(
        School.objects.filter(level=School.Level.ELEMENTARY)
        .order_by("number")
        .values_list("number", flat=True)
    )
    people = soak_people(run_id, args.plans)
    readers = sessions(args.readers)
    uploader_session = sessions(1)[0]
    plans = [p["plan"] for p in people]
    urls: list[str] = []
    for i, url in enumerate(main_urls()):
        urls.append(url)
        if i % 6 == 5:
            urls.append(f"/plans/{plans[(i // 6) % len(plans)]}/")
        if i % 30 == 29:
            urls.append("/evidence/imports/")
    first_change = (PlanChange.objects.aggregate(n=Max("pk"))["n"] or 0) + 1
    first_submission = (Submission.objects.aggregate(n=Max("pk"))["n"] or 0) + 1
    data |= {
        "boards": Board.objects.count(),
        "schools": School.objects.count(),
        "results_before": Result.objects.count(),
        "warm_seconds": round(warmed.seconds, 1),
    }
    connection.close()

    ledger = Ledger()
    files_dir = var_dir / f"soak-{run_id}"
    files_dir.mkdir(parents=True, exist_ok=True)
    log_path = var_dir / f"soak-{run_id}-server.log"
    seconds = args.minutes * 60
    with log_path.open("wb") as log, served(args.workers, background=True, log=log) as port:
        # One untimed pass first: each gunicorn worker's first requests load code.
        warmup = Ledger()
        for url in urls[:40]:
            Browser(port, warmup, session=readers[0]).get(url, kind="warm-up")
        started = time.monotonic()
        deadline = started + seconds
        files = Files(files_dir, run_id, year, elementary, args.rows, ledger, args.seed)
        uploader = Uploader(
            Browser(port, ledger, session=uploader_session, who="uploader"),
            files,
            ledger,
            deadline,
            deadline + args.drain,
        )
        threads = [
            threading.Thread(
                target=reader,
                args=(Browser(port, ledger, session=key, who=f"reader {i}"), urls, i * 7, deadline),
            )
            for i, key in enumerate(readers)
        ]
        for p in people:
            team = PlanPeople(
                plan=p["plan"],
                principal=Browser(port, ledger, session=p["principal"], who="principal"),
                team=Browser(port, ledger, session=p["team"], who="team"),
                team_api=Browser(port, ledger, token=p["team_token"], who="team (API)"),
                lead=Browser(port, ledger, session=p["lead"], who="board leader"),
                ministry_api=Browser(port, ledger, token=p["ministry_token"], who="ministry (API)"),
            )
            threads.append(threading.Thread(target=PlanCycle(team, ledger, run_id, deadline).loop))
        threads.append(threading.Thread(target=uploader.loop))
        threads.append(
            threading.Thread(
                target=DataTeam(files, uploader, ledger, deadline, args.import_pause).loop
            )
        )
        load_during: list[float] = []
        for thread in threads:
            thread.start()
        report_at = started + 30
        while any(t.is_alive() for t in threads):
            time.sleep(1)
            now = time.monotonic()
            if now < deadline:
                load_during.append(os.getloadavg()[0])
            if now >= report_at:
                report_at += 30
                done = sum(len(v) for v in ledger.times.values())
                waiting = (
                    "" if now < deadline else " (time is up: finishing steps, draining uploads)"
                )
                print(
                    f"  {now - started:.0f} s: {done} requests, {len(ledger.problems)} problems{waiting}",
                    flush=True,
                )
        ended = time.monotonic()
    load_after = os.getloadavg()
    log_text = log_path.read_text("utf-8", "replace")
    log_errors = [line for line in log_text.splitlines() if LOG_ERRORS.search(line)]

    connection.close()
    plan_problems = verify_plans(ledger, plans, first_change, first_submission)
    import_problems, import_counts = verify_imports(ledger, year)
    tasks = worker_tasks()
    uploads = upload_times(ledger)
    data["results_after"] = Result.objects.count()
    problems = ledger.problems + plan_problems + import_problems
    problems += [f"server log: {line[:300]}" for line in log_errors]

    m = machine()
    database = connection.vendor + (f" ({postgres_db})" if postgres_db else "")
    database += " " + ".".join(str(part) for part in connection.get_database_version())
    rows = []
    for kind in sorted(ledger.times):
        times = ledger.times[kind]
        rows.append(
            {
                "kind": kind,
                "requests": len(times),
                "rps": len(times) / seconds,
                "p50_ms": percentile(times, 50) * 1000,
                "p95_ms": percentile(times, 95) * 1000,
            }
        )
    reads = [t for kind, times in ledger.times.items() if kind.startswith("read:") for t in times]
    saved = Counter(w.kind for w in ledger.writes if w.saved)
    refused = Counter(w.kind for w in ledger.writes if not w.saved)
    print()
    print(
        f"Machine: {m['platform']}, Python {m['python']}, {m['cpu_count']} CPUs "
        f"({m['cpu_model']}), {m['ram_gib']} GiB RAM"
    )
    print(
        f"Load average: before {tuple(round(x, 2) for x in load_before)}, during (1 min) "
        f"{min(load_during, default=0):.2f}-{max(load_during, default=0):.2f}, "
        f"after {tuple(round(x, 2) for x in load_after)}"
    )
    print(f"Database: {database}; data: {data}")
    print(
        f"Soak: {seconds:.0f} s of load (the writers' last steps and the uploads' drain took "
        f"{ended - started - seconds:.0f} s more); {args.readers} readers, {len(plans)} plans in review, "
        f"1 uploader, 1 data team ({args.import_pause:g} s between imports); "
        f"capacity serve --workers {args.workers} with its worker; "
        f"{files.per_file * len(ASSESSMENTS)} rows per file"
    )
    print()
    print(f"{'kind of request':<52} {'requests':>9} {'req/s':>7} {'p50':>9} {'p95':>9}")
    for row in rows:
        print(
            f"{row['kind']:<52} {row['requests']:>9} {row['rps']:>7.2f} "
            f"{row['p50_ms']:>6.0f} ms {row['p95_ms']:>6.0f} ms"
        )
    if reads:
        print(
            f"{'all reads':<52} {len(reads):>9} {len(reads) / seconds:>7.2f} "
            f"{percentile(reads, 50) * 1000:>6.0f} ms {percentile(reads, 95) * 1000:>6.0f} ms"
        )
    in_server = served_times(log_text)
    for method, times in sorted(in_server.items()):
        print(
            f"{'in the server (its log), ' + method:<52} {len(times):>9} {len(times) / seconds:>7.2f} "
            f"{percentile(times, 50):>6.0f} ms {percentile(times, 95):>6.0f} ms"
        )
    print()
    print(f"Statuses: {dict(sorted(ledger.statuses.items()))}")
    print(f"Plan writes saved: {dict(sorted(saved.items()))}")
    print(f"Plan writes refused: {dict(sorted(refused.items()))}")
    print(f"Races (two people at once, one must win): {dict(sorted(ledger.races.items()))}")
    print(
        f"Imports: {dict(sorted(import_counts.items()))}; "
        f"results rows {data['results_before']} -> {data['results_after']}"
    )
    print(f"Worker tasks: {tasks}")
    for name, label in (
        ("waited", "waited for the worker (uploaded to started)"),
        ("importing", "imported (started to finished)"),
    ):
        if uploads[name]:
            values = uploads[name]
            print(f"Uploads {label}: p50 {percentile(values, 50):.1f} s, max {max(values):.1f} s")
    kept = ""
    if args.log:
        shutil.copyfile(log_path, args.log)
        kept = f", kept in {args.log}"
    print(f"Server log: {len(log_text.splitlines())} lines, {len(log_errors)} errors{kept}")
    kinds = Counter(
        "the server's log"
        if p.startswith("server log:")
        else "a request answered 5xx or failed"
        if re.search(r" answered 5\d\d|Error: |Disconnected", p)
        else "the data or a refusal"
        for p in problems
    )
    if problems:
        print(f"Problems: {dict(kinds)}")
    for problem in problems[:30]:
        print(f"  PROBLEM: {problem}")
    ok = not problems
    print(
        "\nNo errors, nothing lost: every saved write is stored once as sent, every refused one left nothing."
        if ok
        else f"\nFAILED: {len(problems)} problems."
    )
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "machine": m,
                    "load": {"before": load_before, "during": load_during, "after": load_after},
                    "database": database,
                    "data": data,
                    "seconds": seconds,
                    "readers": args.readers,
                    "plans": len(plans),
                    "kinds": rows,
                    "statuses": ledger.statuses,
                    "saved": saved,
                    "refused": refused,
                    "races": ledger.races,
                    "imports": import_counts,
                    "tasks": tasks,
                    "uploads": uploads,
                    "problems": problems,
                },
                indent=2,
            )
        )
    if not ok and args.reuse == "":
        kept = Path(tempfile.gettempdir()) / log_path.name
        shutil.copy(log_path, kept)
        print(f"Server log kept: {kept}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
