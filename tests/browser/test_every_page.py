"""Every HTML page a ministry officer or a principal may open, at 1280 and 390 px, in English and French.

The pages are the authorisation table's (tests/test_authorization.py): each row whose
status is 200 for the persona, plus an upload's page, a refusal (403), a page that
does not exist (404) and the sign-in page. They are opened over a world where each
page has something to show: results over three years and for student groups, a
school plan with goals, targets (from the results and custom, with an entry),
strategies and checkpoints, a board plan, a returned plan, support requests open
and answered, a rejected upload with its problems, notifications, a timeline, an
API token, and survey rounds: a closed one with figures, charts and comments (its
report, its page, the thanks shown to someone who answered) and an open rubric one
(its answer form with each level's descriptor, signed in and by a single-use link).

On each page axe-core runs with the WCAG 2.1 A and AA rules and must find nothing,
and at 390 px the page must not scroll sideways (a wide table scrolls inside its own
box). All findings are gathered and reported together, each with its page,
viewport, language, rule and element, so one run shows everything to fix.

Files (CSV, XLSX, PDF), the API's JSON and the API's third-party docs page are not
HTML that Capacity renders, and are left out.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.utils import timezone

from capacity.directory.services import api_token_create
from capacity.evidence.models import Assessment, ResultImport
from capacity.instruments import services as instrument_services
from capacity.instruments.definition import from_json
from capacity.instruments.models import Instrument, Round
from capacity.planning import services
from capacity.planning.models import Target
from tests.browser.conftest import AXE
from tests.conftest import PASSWORD, World, need
from tests.evidence.conftest import results_for
from tests.test_authorization import TABLE, board_plan_a, custom_target_a1, entry_a1, request_a1

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"1280 px": {"width": 1280, "height": 900}, "390 px": {"width": 390, "height": 844}}
PHONE_WIDTH = 390
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Not HTML that Capacity renders: files, the API (JSON and its third-party docs), the admin.
NOT_PAGES = (
    "api:",
    "admin:",
    "plan_pdf",
    "plan_export",
    "result_import_problems",
    "entry_file",
    "survey_report_export",
    "learning_pdf",
    "rounds_debrief_pdf",
    "rounds_lesson_pdf",
    "rounds_network_agreement_pdf",
    "partners_province_download",  # CSV/XLSX downloads of the lists of schools that beat the odds
    "partners_board_download",
    "themes_export",  # the counts of themes and lessons as CSV
    "ledger_export",  # the reciprocity ledger as CSV or XLSX
    "implementation_review_file",  # a strategy review's evidence file
    "implementation_board_export",  # the leading indicators as CSV or XLSX
    "implementation_province_export",
    "rounds_notes_worker",  # the notes pages' service worker: JavaScript, not a page
    "decisions_proposal_export",  # an identification proposal as CSV
    "yearclose_documentation_file",  # a pedagogical documentation file (the school team only)
    "gaps_school_export",  # the gaps and cohorts as CSV or XLSX
    "gaps_board_export",
    "healthz",  # JSON for load balancers and monitors
)


@dataclass
class Lived:
    """The world, and the pages beyond the table's rows that only exist once it is lived in."""

    world: World
    upload: ResultImport
    surveyed: Round  # closed, with figures
    rubric: Round  # open, the principal has not answered
    rubric_link: str  # a single-use link to the rubric round


@pytest.fixture
def lived(world: World) -> Lived:
    """Something on every page: results, plans with everything, requests, an upload, messages."""
    w = world
    principal, leader = w.personas["principal_a1"], w.personas["board_a"]
    ministry = w.personas["ministry"]
    for year in ("2016-17", "2017-18", "2018-19"):
        results_for(w.school_a1, year, [40, 42, 30, 45, 48, 70])
        results_for(w.school_b1, year, [80, 75, 70, 85, 82, 60])
        results_for(w.school_a1, year, [35, 38, 28, 40, 44, 62], group="ell", participating=20)

    # The table's school plan (A1, 2018-19), in its first stage with every kind of item.
    plan = services.plan_create(user=principal, school=w.school_a1, school_year="2018-19")
    goal = services.goal_add(plan=plan, user=principal, seen=plan.version, statement="Readers")
    services.target_add(
        goal=goal,
        user=principal,
        seen=plan.version,
        measure=Target.Measure.ASSESSMENT,
        assessment=Assessment.objects.get(code="G3-READ"),
        group="all",
        baseline_year="2017-18",
        target_value=60,
        target_year="2019-20",
    )
    plan.refresh_from_db()
    services.strategy_add(
        goal=goal,
        user=principal,
        seen=plan.version,
        action="Guided reading in small groups every morning",
        responsible="Literacy lead",
        starts=datetime.date(2018, 10, 1),
        ends=datetime.date(2019, 6, 1),
    )
    plan.refresh_from_db()
    services.checkpoint_add(
        plan=plan, user=principal, seen=plan.version, due=datetime.date(2019, 1, 31), title="Winter"
    )
    entry_a1(w)  # the table's custom target, with a value recorded
    custom_target_a1(w)
    board_plan_a(w)

    # Last year's plan, submitted and returned with comments: the principal's home and inbox.
    last = services.plan_create(user=principal, school=w.school_a1, school_year="2017-18")
    services.goal_add(plan=last, user=principal, seen=last.version, statement="Writing every day")
    services.plan_submit(plan=last, user=principal, seen=last.version)
    basis = services.review_basis(last)
    assert basis is not None
    services.plan_decide(
        plan=last, user=leader, accept=False, comments="Add a target for Grade 6 writing", **basis
    )

    # Support: the table's open request, and one answered by the ministry.
    services.support_request_create(
        user=principal, school=w.school_a1, tried="Reading groups", needs=["people"]
    )
    request_a1(w)
    asked = services.support_request_create(
        user=principal,
        school=w.school_a1,
        plan=plan,
        tried="Number talks in every class since October, with a coach",
        needs=["people", "professional_learning"],
        to_ministry=True,
    )
    services.support_request_answer(
        request=asked, user=ministry, answer="A numeracy coach two days a week", provided=["people"]
    )

    services.timeline_set(
        user=leader,
        board=w.board_a,
        school_year="2018-19",
        submit_by=datetime.date(2018, 10, 31),
        act_by=datetime.date(2018, 11, 30),
        observe_by=datetime.date(2019, 2, 28),
        reflect_by=datetime.date(2019, 6, 15),
    )
    assert principal is not None
    api_token_create(user=principal, name="nightly export of every plan")
    upload = ResultImport.objects.create(
        uploaded_by=ministry,
        file="imports/results-2018-19.csv",
        original_name="results-2018-19.csv",
        state=ResultImport.State.REJECTED,
        rows_done=3,
        rows_total=3,
        summary={"problems": 2},
        problems_csv="row,column,reason\n2,school_number,No school 999999\n3,pct_at_standard,Not a number\n",
    )
    surveyed, rubric, rubric_link = survey_rounds(w)
    return Lived(world=w, upload=upload, surveyed=surveyed, rubric=rubric, rubric_link=rubric_link)


def survey_rounds(w: World) -> tuple[Round, Round, str]:
    """A1's rounds: professional capital answered by the principal and five links, with comments,
    then closed (so its report has figures, charts and comments); the NPDL rubric, open, with a link.

    School rounds, so the table's round_a (board A's first round) is not one of these."""
    # A transactional test's database is flushed after it, and the flush's post_migrate signal
    # carries no app registry, so the shipped instruments are not loaded again by themselves.
    instrument_services.load_shipped(audit=False)
    principal = w.personas["principal_a1"]
    today = timezone.localdate()
    closes = today + datetime.timedelta(days=14)
    surveyed, tokens = instrument_services.round_open(
        user=principal,
        instrument=Instrument.objects.get(code="professional-capital"),
        school=w.school_a1,
        links=5,
        opens_on=today,
        closes_on=closes,
    )
    codes = [item.code for item in from_json(surveyed.definition).items]
    invitations = [instrument_services.invitation_by_token(token) for token in tokens]
    invitations.append(surveyed.invitations.get(user=principal))
    for number, invitation in enumerate(invitations):
        assert invitation is not None
        instrument_services.response_save(
            invitation=invitation,
            answers={code: 1 + (number + position) % 5 for position, code in enumerate(codes)},
            comment=f"Comment number {number + 1}, with a longer sentence to wrap on a phone",
            submit=True,
        )
    instrument_services.round_close(round_=surveyed, user=principal)
    rubric, links = instrument_services.round_open(
        user=principal,
        instrument=Instrument.objects.get(code="deep-learning-conditions"),
        school=w.school_a1,
        links=1,
        opens_on=today,
        closes_on=closes,
    )
    return surveyed, rubric, f"/surveys/link/{links[0]}/"


def pages_for(lived: Lived, persona: str) -> list[tuple[str, str]]:
    """(label, path) of every HTML page the persona may open, and one refusal and one missing page."""
    w = lived.world
    pages = [
        (label, build(w))
        for name, label, build, statuses in TABLE
        if statuses.get(persona) == 200 and not name.startswith(NOT_PAGES)
    ]
    if persona == "ministry":
        pages.append(("a rejected upload", f"/evidence/imports/{lived.upload.pk}/"))
        pages.append(("a plan that does not exist (404)", "/plans/999999/"))
        pages.append(("a network the officer sees", f"/networks/{w.network.pk}/"))
        pages.append(("a closed survey round", f"/surveys/{lived.surveyed.pk}/"))
        pages.append(("a survey report with figures", f"/surveys/{lived.surveyed.pk}/report/"))
        pages.append(("a rubric instrument", "/instruments/deep-learning-conditions/"))
    else:
        pages.append(("another board's school (403)", f"/schools/{w.school_b1.number}/"))
        pages.append(("a school that does not exist (404)", "/schools/999999/"))
        pages.append(("answers already sent", f"/surveys/{lived.surveyed.pk}/respond/"))
        pages.append(("a survey report with figures", f"/surveys/{lived.surveyed.pk}/report/"))
        pages.append(("a rubric to answer", f"/surveys/{lived.rubric.pk}/respond/"))
        pages.append(("a rubric by a single-use link", lived.rubric_link))
    return list(dict.fromkeys(pages))


@functools.cache
def _axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


def findings_on(page, where: str, width: int) -> list[str]:
    """axe's WCAG 2.1 A/AA violations on the page, and sideways scrolling on a phone."""
    found = []
    page.evaluate(_axe_source())
    # Only violations are collected: axe skips listing the passes, which halves its time here.
    result = page.evaluate(
        """async (tags) => await axe.run(document, {
            runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']
        })""",
        AXE_TAGS,
    )
    for violation in result["violations"]:
        targets = [node["target"] for node in violation["nodes"]][:3]
        found.append(f"{where}: axe {violation['id']} ({violation['help']}) at {targets}")
    if width <= PHONE_WIDTH:
        scroll = page.evaluate("() => document.scrollingElement.scrollWidth")
        if scroll > width:
            wide = page.evaluate(
                """(width) => [...document.querySelectorAll('body *')]
                    .filter(e => e.getBoundingClientRect().right > width + 1
                        && !e.closest('.table-scroll, .scroll'))
                    .slice(0, 3).map(e => e.tagName.toLowerCase()
                        + (e.id ? '#' + e.id : '') + (e.className ? '.' + e.className : ''))""",
                width,
            )
            found.append(f"{where}: scrolls sideways ({scroll} px on a {width} px screen) {wide}")
    return found


def sign_in(context, base: str, username: str):
    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    # By the fields' names: the labels are in the context's language.
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"{base}/")
    return page


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("persona", ["ministry", "principal_a1"])
def test_every_page_passes_axe_and_fits_a_phone(
    browser, live_server, lived, persona: str, language: str
) -> None:
    need(AXE.exists(), "axe-core is not installed (npm ci)")
    base = live_server.url
    pages = pages_for(lived, persona)
    assert len(pages) > 15, pages
    findings: list[str] = []
    blocked: list[str] = []
    for viewport_name, viewport in VIEWPORTS.items():
        context = browser.new_context(locale="en-CA", viewport=viewport)
        cookie = {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base}
        context.add_cookies([cookie])
        try:
            anonymous = context.new_page()
            anonymous.goto(f"{base}/accounts/login/")
            findings += findings_on(
                anonymous,
                f"sign in (/accounts/login/) {viewport_name} {language}",
                viewport["width"],
            )
            anonymous.close()
            page = sign_in(context, base, persona)
            page.on(
                "console",
                lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None,
            )
            for label, path in pages:
                response = page.goto(f"{base}{path}")
                assert response is not None and response.status in (200, 403, 404), path
                assert page.evaluate("() => document.documentElement.lang") == language, path
                where = f"{label} ({path}) {viewport_name} {language}"
                findings += findings_on(page, where, viewport["width"])
        finally:
            context.close()
    assert not blocked, "the Content-Security-Policy blocked:\n" + "\n".join(blocked)
    assert not findings, f"{len(findings)} findings as {persona}:\n" + "\n".join(findings)
