"""benchmarks/survey_submit.py: its check of the database finds every way an answer can go wrong.

The benchmark's verdict (issue 10: 1,000 respondents sending at once lose nothing)
is only as good as `verify`, so it is tested here on a handful of links; the whole
script runs end to end on 30 respondents in the slow test.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.survey_submit import Sent, answers_for, open_round, verify
from capacity.instruments import services

ROOT = Path(__file__).resolve().parents[2]


def links(count: int) -> tuple[int, list[str], list[str]]:
    round_id, tokens, codes, low, high = open_round(count)
    assert (low, high) == (1, 5) and len(codes) == 51
    return round_id, tokens, codes


def answer(token: str, what: Sent, *, submit: bool = True) -> None:
    invitation = services.invitation_by_token(token)
    assert invitation is not None
    services.response_save(
        invitation=invitation, answers=what.answers, comment=what.comment, submit=submit
    )


@pytest.mark.django_db
def test_it_finds_nothing_wrong_when_each_link_sent_once_or_twice_the_same() -> None:
    round_id, tokens, codes = links(4)
    sent = {token: answers_for(i, codes, 1, 5, seed=1) for i, token in enumerate(tokens)}
    assert sent[tokens[0]].comment and not sent[tokens[1]].comment  # one in three comments
    for token, what in sent.items():
        answer(token, what)
    answer(tokens[0], sent[tokens[0]])  # a retry: the same answers again

    verdict = verify(round_id, sent)

    assert verdict.problems == []
    assert (verdict.expected, verdict.responses, verdict.submitted) == (4, 4, 4)
    assert verdict.most_per_invitation == 1


@pytest.mark.django_db
def test_it_reports_a_lost_a_draft_a_changed_and_an_unsent_response() -> None:
    round_id, tokens, codes = links(6)
    sent = {token: answers_for(i, codes, 1, 5, seed=2) for i, token in enumerate(tokens[:5])}
    ok, lost, draft, changed, commented = tokens[:5]
    answer(ok, sent[ok])
    answer(draft, sent[draft], submit=False)
    other = dict(sent[changed].answers, h2=6 - sent[changed].answers["h2"])
    if other["h2"] == sent[changed].answers["h2"]:  # 3 stays 3: move it instead
        other["h2"] = 4
    answer(changed, Sent(other, sent[changed].comment))
    answer(commented, Sent(sent[commented].answers, "another comment"))
    answer(tokens[5], answers_for(5, codes, 1, 5, seed=2))  # a response nobody sent

    problems = verify(round_id, sent).problems

    invitation = {t: services.invitation_by_token(t).pk for t in tokens}  # type: ignore[union-attr]
    assert sorted(problems) == sorted(
        [
            f"invitation {invitation[lost]}: lost (no response)",
            f"invitation {invitation[draft]}: a draft, not sent",
            f"invitation {invitation[changed]}: answers differ at h2",
            f"invitation {invitation[commented]}: comment differs",
            f"invitation {invitation[tokens[5]]}: a response nobody sent",
        ]
    )


@pytest.mark.django_db
def test_it_reports_a_link_that_is_not_the_rounds() -> None:
    round_id, tokens, codes = links(3)
    problems = verify(round_id, {"abcdef-not-this-rounds": Sent({"h1": 3})}).problems
    assert problems == [f"link abcdef... is not an invitation of round {round_id}"]


@pytest.mark.slow
def test_thirty_respondents_sending_at_once_some_twice_lose_nothing(tmp_path) -> None:
    """The script end to end: a real server on 127.0.0.1, its own SQLite database."""
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DATABASE_URL", "PYTEST", "CAPACITY_", "DJANGO_SETTINGS_MODULE"))
    }
    environment["TMPDIR"] = str(tmp_path)
    result = subprocess.run(  # noqa: S603 - our own script
        [
            sys.executable,
            str(ROOT / "benchmarks" / "survey_submit.py"),
            "--respondents",
            "30",
            "--connections",
            "8",
            "--workers",
            "2",
        ],
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    assert "In the database: 30 responses, 30 sent (expected 30)" in result.stdout
    # One in ten twice (0, 10, 20): 0 and 20 as double clicks, 10 as a retry.
    assert "2 again as a double click, 1 again as a retry (33 POSTs)" in result.stdout
    assert "Nothing lost, nothing doubled" in result.stdout
