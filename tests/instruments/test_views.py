"""The survey pages as people use them: open a round, answer (save, resume, send), close, read the report."""

from __future__ import annotations

import datetime
import html
import re

import pytest
from django.utils import timezone

from capacity.instruments import selectors, services
from capacity.instruments.models import Instrument, Response, Round
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def text(response) -> str:
    body = response.content.decode()
    main = body[body.index("<main") : body.index("</main>")]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", main)).split())


def board_round(world, **kwargs) -> Round:
    return services.round_open(
        user=world.personas["board_a"],
        instrument=Instrument.objects.get(code=kwargs.pop("code", "strong-districts")),
        board=world.board_a,
        opens_on=TODAY,
        closes_on=TODAY + datetime.timedelta(days=10),
        **kwargs,
    )[0]


def all_answers(round_, value="3") -> dict[str, str]:
    definition = selectors.definition_of_round(round_)
    return {f"a-{item.code}": value for item in definition.items}


def test_a_board_leader_opens_a_round_from_the_form(client, world) -> None:
    client.force_login(world.personas["board_a"])
    page = client.get("/surveys/new/")
    assert page.status_code == 200 and "Alpha District School Board" in page.content.decode()
    answer = client.post(
        "/surveys/new/",
        {
            "instrument": Instrument.objects.get(code="strong-districts").pk,
            "place": f"board:{world.board_a.pk}",
            "opens_on": TODAY.isoformat(),
            "closes_on": (TODAY + datetime.timedelta(days=7)).isoformat(),
            "links": "2",
        },
    )
    assert answer.status_code == 200  # the links, shown this once
    links = re.findall(r"http://testserver/surveys/link/[\w-]+/", answer.content.decode())
    assert len(links) == 2
    round_ = Round.objects.get()
    assert round_.invitations.count() == 3 + 2
    assert client.get(links[0].replace("http://testserver", "")).status_code == 200


def test_a_form_with_a_bad_date_says_so_and_opens_nothing(client, world) -> None:
    client.force_login(world.personas["board_a"])
    answer = client.post(
        "/surveys/new/",
        {
            "instrument": Instrument.objects.get(code="strong-districts").pk,
            "place": f"board:{world.board_a.pk}",
            "opens_on": TODAY.isoformat(),
            "closes_on": (TODAY - datetime.timedelta(days=3)).isoformat(),
        },
    )
    assert answer.status_code == 200
    assert "A round closes on or after the day it opens." in text(answer)
    assert not Round.objects.exists()


def test_a_principal_saves_resumes_and_sends_and_sees_the_reflection_prompts(client, world) -> None:
    round_ = board_round(world)
    client.force_login(world.personas["principal_a1"])
    url = f"/surveys/{round_.pk}/respond/"
    form = client.get(url)
    assert "Our board" in text(form) and "The evidence you rely on" in text(form)
    saved = client.post(url, {"a-1.1": "2", "e-1.1": "Our plan's targets", "save": "1"})
    assert saved.status_code == 302
    again = client.get(url).content.decode()
    assert 'name="a-1.1" value="2" checked' in again and "Our plan&#x27;s targets" in again
    seen = re.search(r'name="seen" value="(\d+)"', again).group(1)
    missing = client.post(url, {"a-1.1": "2", "seen": seen, "send": "1"})
    assert "27 answers need your attention" in text(missing)
    sent = client.post(url, {**all_answers(round_), "seen": seen, "send": "1"})
    assert "Thank you: your answers were sent" in text(sent)
    assert "To reflect on" in text(sent)
    assert "Your answers were already sent" in text(client.get(url))
    assert Response.objects.get().submitted_at is not None


def test_the_form_speaks_french(client, world) -> None:
    round_ = board_round(world)
    client.force_login(world.personas["principal_a1"])
    client.cookies["django_language"] = "fr"
    page = text(client.get(f"/surveys/{round_.pk}/respond/"))
    assert "Notre conseil" in page and "Envoyer mes réponses" in page


def test_a_link_answers_once_without_an_account(client, world) -> None:
    round_, links = services.round_open(
        user=world.personas["board_a"],
        instrument=Instrument.objects.get(code="strong-districts"),
        board=world.board_a,
        opens_on=TODAY,
        closes_on=TODAY + datetime.timedelta(days=10),
        links=1,
    )
    url = f"/surveys/link/{links[0]}/"
    sent = client.post(url, {**all_answers(round_), "send": "1"})
    assert "Thank you: your answers were sent" in text(sent)
    again = client.post(url, {**all_answers(round_, "1"), "send": "1"})
    assert "Your answers were already sent" in text(again)
    assert Response.objects.get().answers["1.1"] == 3


def test_the_report_appears_from_the_minimum_and_never_shows_a_person(client, world) -> None:
    for n in range(4):
        MembershipFactory(
            user=UserFactory(username=f"p{n}", first_name="Named", last_name=f"Person{n}"),
            role="principal",
            school=world.school_a1,
        )
    round_ = board_round(world, roles=["principal"])
    client.force_login(world.personas["board_a"])
    report_url = f"/surveys/{round_.pk}/report/"
    invitations = list(round_.invitations.all())
    for n, invitation in enumerate(invitations):
        answers = {key[2:]: int(v) for key, v in all_answers(round_, str(1 + n % 4)).items()}
        services.response_save(
            invitation=invitation, answers=answers, comment=f"Note {n}", submit=True
        )
        page = text(client.get(report_url))
        if n + 1 < 5:
            assert "the figures appear from 5" in page and "Note 0" not in page
    assert len(invitations) == 5
    page = text(client.get(report_url))
    assert "Mean per dimension" in page and "Highest and lowest items" in page
    assert "Note 0" in page and "Person0" not in page
    csv = client.get(f"/surveys/{round_.pk}/report.csv").content.decode()
    assert csv.startswith("Dimension,Item,Text,Respondents,Mean")
    data = client.get(f"/surveys/{round_.pk}/report.json").json()
    assert data["respondents"] == 5 and data["dimensions"][0]["mean"] == pytest.approx(2.2)


def test_closing_a_round_stops_answers_and_opens_the_report_to_those_invited(client, world) -> None:
    round_ = board_round(world)
    client.force_login(world.personas["principal_a1"])
    assert client.get(f"/surveys/{round_.pk}/report/").status_code == 403
    client.force_login(world.personas["board_a"])
    assert client.post(f"/surveys/{round_.pk}/close/").status_code == 302
    client.force_login(world.personas["principal_a1"])
    assert "This round is closed." in text(client.get(f"/surveys/{round_.pk}/respond/"))
    assert client.get(f"/surveys/{round_.pk}/report/").status_code == 200


def test_the_instruments_pages_list_and_show_each_definition(client, world) -> None:
    client.force_login(world.personas["teacher_a1"])
    listing = text(client.get("/instruments/"))
    assert "Professional capital" in listing
    capital = client.get("/instruments/professional-capital/").content.decode()
    assert capital.count('<span class="tag">reverse-scored</span>') == 3


def test_the_home_page_lists_surveys_to_answer_and_rounds_to_close(client, world) -> None:
    from tests.home.conftest import section_text

    round_ = board_round(world)
    waiting = section_text(client, world.personas["principal_a1"], "home-surveys")
    assert "Nine characteristics of strong districts for Alpha District School Board" in waiting
    assert "to answer" in waiting
    running = section_text(client, world.personas["board_a"], "home-rounds")
    assert "0 of 3 answered" in running
    invitation = selectors.get_invitation(world.personas["principal_a1"], round_.pk)
    answers = {k[2:]: int(v) for k, v in all_answers(round_).items()}
    services.response_save(invitation=invitation, answers=answers, submit=True)
    assert section_text(client, world.personas["principal_a1"], "home-surveys") == ""
    assert "1 of 3 answered" in section_text(client, world.personas["board_a"], "home-rounds")
    assert section_text(client, world.personas["principal_b1"], "home-surveys") == ""


def test_a_round_opened_with_what_it_is_about_says_so_on_home_and_its_pages(client, world) -> None:
    from tests.home.conftest import section_text

    round_ = board_round(world, about={"en": "Spring check-in", "fr": "Bilan du printemps"})
    principal = world.personas["principal_a1"]
    waiting = section_text(client, principal, "home-surveys")
    assert (
        "Nine characteristics of strong districts: Spring check-in, Alpha District School Board"
        in waiting
    )
    client.force_login(principal)
    assert "Spring check-in" in text(client.get(f"/surveys/{round_.pk}/respond/"))
    client.cookies["django_language"] = "fr"
    assert "Bilan du printemps" in text(client.get(f"/surveys/{round_.pk}/respond/"))
    client.cookies["django_language"] = "en"
    client.force_login(world.personas["board_a"])
    assert "Spring check-in" in text(client.get(f"/surveys/{round_.pk}/"))
    assert "Spring check-in" in text(client.get(f"/surveys/{round_.pk}/report/"))


def test_a_round_opened_without_saying_what_it_is_about_reads_as_before(world) -> None:
    round_ = board_round(world)
    assert round_.about == {} and round_.about_in("fr") == ""
