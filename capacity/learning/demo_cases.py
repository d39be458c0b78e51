"""The demo's case studies written in Capacity, each at a step of the workflow, through the services.

The demo director (`director`) writes for their board; the ministry officer (`ministry`)
coordinates:

* a draft in English, three questions still to answer (on the director's home page);
* one submitted and waiting for the ministry (on the ministry's home page and queue);
* one returned with the ministry's comment (on the director's home page, "returned");
* one written in French, submitted, returned once, rewritten and published through the
  workflow: version 2 in the library, version 1 kept on its draft page.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from capacity.learning import services


def _answers(answers: list[str], missing: int = 0) -> list[str]:
    """The seven answers, the last `missing` left blank (a draft not finished)."""
    return answers[: 7 - missing] + [""] * missing


# Each demo case study tells its own story (the three English ones once shared the trios' text).
_VICE_PRINCIPALS = [
    "We chose **leadership development**: a third of our principals could retire within five "
    "years, and few vice-principals felt ready to replace them.",
    "Exit interviews and our succession chart showed new principals learning the job alone, in "
    "their first September.",
    "Vice-principals handled timetables and discipline; few had led a school improvement plan.",
    "Each new vice-principal was paired with an experienced principal for a year. The pairs met "
    "every two weeks, and the vice-principal led one piece of the school's plan, start to finish.",
    "When two pairs asked to swap schools for a week, the board made the visit part of the year.",
    "Eleven of fourteen vice-principals in the first two cohorts have applied for a principalship.",
    "- Give the vice-principal a real piece of the plan.\n- Protect the pairs' meeting time.\n"
    "- Let principals learn from their partner too.",
]
_BUDGET = [
    "We chose **alignment**: the board improvement plan and the budget were written by "
    "different people, months apart.",
    "Trustees asked, at budget time, which line paid for which goal; no one could say.",
    "Budget lines were carried over from year to year; the plan's goals changed every year.",
    "Finance staff and superintendents built the budget together, one line at a time, each line "
    "naming the goal of the plan it serves. Lines that served no goal were discussed in public.",
    "The first year, a line for a program no school used any more was moved to reading tutors.",
    "Every line of this year's budget names a goal of the plan; trustees read both side by side.",
    "- Start with the plan, then the budget.\n- Put finance staff in the planning room.\n"
    "- Show trustees the line and its goal together.",
]
_EN = [
    "We chose **the use of evidence** because our planning cycle kept producing goals no one measured.",
    "Two school reviews in a row found the same gap: data collected, never discussed.",
    "Each school had a data binder; few principals opened it after September.",
    "Principals met monthly in trios to read one data set together, with a superintendent "
    "sitting in. When the first meetings turned into reporting, we changed the agenda to "
    "questions only.",
    "A principal brought student work instead of a chart, and the talk changed.",
    "Nine of twelve schools now bring a question and a piece of evidence to each trio meeting.",
    "- Start with one data set.\n- Keep the meetings short.\n- Let principals choose the question.",
]
_FR = [
    "Nous avons retenu **l'utilisation des données probantes** : nos plans fixaient des buts "
    "que personne ne mesurait.",
    "Deux examens d'écoles de suite ont relevé le même écart : des données recueillies, jamais "
    "discutées.",
    "Chaque école avait un cartable de données; peu de directions l'ouvraient après septembre.",
    "Les directions se sont réunies chaque mois en trios pour lire un même jeu de données, en "
    "présence d'une surintendance. Quand les rencontres sont devenues des comptes rendus, nous "
    "n'avons gardé que des questions à l'ordre du jour.",
    "Une direction a apporté des travaux d'élèves plutôt qu'un graphique, et la discussion a "
    "changé.",
    "Neuf écoles sur douze arrivent maintenant à chaque rencontre avec une question et une donnée.",
    "- Commencez par un seul jeu de données.\n- Gardez les rencontres courtes.\n"
    "- Laissez les directions choisir la question.",
]


def _text(
    language: str,
    title: str,
    summary: str,
    themes: list[str],
    missing: int = 0,
    answers: list[str] | None = None,
) -> dict:
    """One language's text; `answers` default to the trios' story in that language."""
    if answers is None:
        answers = _FR if language == "fr" else _EN
    return {
        language: {
            "title": title,
            "summary": summary,
            "themes": themes,
            "sections": _answers(answers, missing),
        }
    }


def build_demo_cases(*, seed: int) -> dict[str, int]:
    """Four case studies of the director's board, at four steps of the workflow."""
    from capacity.directory.models import Membership, User

    del seed  # the words are fixed; nothing here is drawn at random
    director_role = (
        Membership.objects.filter(user__username="director").select_related("user", "board").get()
    )
    director: Any = director_role.user
    board = director_role.board
    ministry = User.objects.get(username="ministry")
    assert board is not None

    def draft(facts: dict[str, Any], texts: dict[str, Any]):
        return services.case_draft_create(user=director, board=board, facts=facts, texts=texts)

    with transaction.atomic():
        draft(
            {
                "year": 2019,
                "characteristics": ["leadership_development"],
                "contexts": ["mentoring"],
            },
            _text(
                "en",
                "Growing vice-principals into principals",
                "How the board paired new vice-principals with principals for a year.",
                ["mentoring", "succession"],
                missing=3,
                answers=_VICE_PRINCIPALS,
            ),
        )
        waiting = draft(
            {
                "year": 2017,
                "characteristics": ["evidence", "improvement_processes"],
                "contexts": ["networks", "study-groups"],
            },
            _text(
                "en",
                "Principals reading data in trios",
                "Monthly trios of principals turned data binders into questions.",
                ["data", "principals"],
            ),
        )
        services.case_submit(user=director, item=waiting)
        returned = draft(
            {"year": 2018, "characteristics": ["alignment"], "contexts": ["board-improvement"]},
            _text(
                "en",
                "Budget lines that follow the plan",
                "Tying each budget line to a goal of the board improvement plan.",
                ["budget", "alignment"],
                answers=_BUDGET,
            ),
        )
        services.case_submit(user=director, item=returned)
        services.case_return(
            user=ministry,
            item=returned,
            comment="Please say what changed in the schools, with one figure, under "
            "“Where we are now”.",
        )
        french = draft(
            {"year": 2016, "characteristics": ["evidence"], "contexts": ["study-groups"]},
            _text(
                "fr",
                "Lire nos données en équipe",
                "Comment des trios de directions ont appris à lire leurs données ensemble.",
                ["données", "directions"],
            ),
        )
        services.case_submit(user=director, item=french)
        services.case_return(
            user=ministry, item=french, comment="Ajoutez un résultat de la deuxième année."
        )
        french.refresh_from_db()
        assert french.current is not None
        rewritten = _text(
            "fr",
            "Lire nos données en équipe",
            "Comment des trios de directions ont appris à lire leurs données ensemble.",
            ["données", "directions"],
        )
        rewritten["fr"]["sections"][5] += (
            " En deuxième année, 62 % des élèves de 3e année lisaient au niveau."
        )
        services.case_draft_update(
            user=director,
            item=french,
            revision=french.current.revision,
            facts={"year": 2016, "characteristics": ["evidence"], "contexts": ["study-groups"]},
            texts=rewritten,
        )
        services.case_submit(user=director, item=french)
        services.case_publish(user=ministry, item=french, comment="Merci : publiée telle quelle.")
    return {"case_studies_written": 4, "case_studies_published": 1}
