"""The directory's commands refuse what they cannot do, saying why, and write nothing then.

`capacity createuser`, `capacity token ...` and `capacity import people|orgs|schools`, run
as a person runs them (Typer's runner, the real database). The successful paths of
createuser and tokens are in tests/test_cli.py and test_api_tokens.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from capacity.audit.models import Action, AuditEntry
from capacity.cli import app
from capacity.directory.models import ApiToken, Board, Membership, Role, School, User
from capacity.directory.services import api_token_create
from tests.imports.variants import csv_lines

runner = CliRunner()

pytestmark = pytest.mark.django_db(transaction=True)

PASS_PHRASE = "a rather long pass phrase 9"


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "pw"
    path.write_text(PASS_PHRASE + "\n")
    return path


def createuser(*args: str):
    return runner.invoke(app, ["createuser", *args])


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        (["--role", "headmaster", "--org", "700001"], 2, "Unknown role 'headmaster'"),
        (["--role", "principal"], 2, "--role needs --org"),
        (["--role", "network_facilitator", "--org", "No Such Network"], 2, "No organisation"),
    ],
    ids=["unknown role", "role without org", "unknown network"],
)
def test_createuser_refuses_a_role_it_cannot_place(world, secret, args, code, says) -> None:
    result = createuser("newcomer", *args, "--password-file", str(secret))

    assert result.exit_code == code and says in result.output
    assert not User.objects.filter(username="newcomer").exists()


def test_createuser_refuses_a_name_already_taken_and_leaves_the_person_alone(world, secret) -> None:
    before = world.personas["teacher_a1"].password

    result = createuser("teacher_a1", "--password-file", str(secret))

    assert result.exit_code == 1 and "already exists" in result.output
    assert User.objects.get(username="teacher_a1").password == before


def test_createuser_refuses_a_weak_password_with_the_validators_reasons(world, tmp_path) -> None:
    weak = tmp_path / "pw"
    weak.write_text("password")

    result = createuser("newcomer", "--password-file", str(weak))

    assert result.exit_code == 1 and "This password is too common." in result.output
    assert not User.objects.filter(username="newcomer").exists()
    assert not AuditEntry.objects.filter(action=Action.USER_CREATED).exists()


def test_createuser_places_a_facilitator_in_a_network_named_in_any_case(world, secret) -> None:
    result = createuser(
        "nova",
        "--role",
        "network_facilitator",
        "--org",
        "north shore numeracy network",
        "--superuser",
        "--password-file",
        str(secret),
    )

    assert result.exit_code == 0, result.output
    user = User.objects.get(username="nova")
    assert user.is_superuser and user.is_staff
    assert Membership.objects.get(user=user).network == world.network


def test_token_create_refuses_an_unknown_person(world) -> None:
    result = runner.invoke(app, ["token", "create", "nobody"])

    assert result.exit_code == 1 and "No person with the user name 'nobody'" in result.output
    assert not ApiToken.objects.exists()


def test_token_list_shows_one_persons_tokens_and_marks_the_expired(world) -> None:
    teacher, principal = world.personas["teacher_a1"], world.personas["principal_a1"]
    old, _ = api_token_create(user=teacher, name="old export", days=1)
    ApiToken.objects.filter(pk=old.pk).update(expires=old.created)
    api_token_create(user=principal, name="principal's", days=30)

    listed = runner.invoke(app, ["token", "list", "teacher_a1"])

    assert listed.exit_code == 0
    lines = listed.output.strip().splitlines()
    assert lines[0] == "id\tperson\tname\tprefix\tmade\texpires\tlast used"
    assert len(lines) == 2 and lines[1].split("\t")[:4] == [
        str(old.pk),
        "teacher_a1",
        "old export",
        old.prefix,
    ]
    assert lines[1].split("\t")[5].endswith("(expired)")


def test_token_revoke_finds_a_token_by_its_id(world) -> None:
    token, key = api_token_create(user=world.personas["teacher_a1"], name="nightly")

    result = runner.invoke(app, ["token", "revoke", str(token.pk)])

    assert result.exit_code == 0 and f"Revoked {token.prefix}" in result.output
    assert not ApiToken.objects.exists()
    assert runner.invoke(app, ["token", "revoke", str(token.pk)]).exit_code == 1


def test_import_people_applies_a_file_and_a_dry_run_writes_nothing(world, tmp_path) -> None:
    people = tmp_path / "people.csv"
    people.write_text(
        "username,email,given_name,family_name,role,organisation,title\n"
        "d.evans,dan.evans@board.example,Dan,Evans,teacher,700001,\n"
        "b.chen,ben.chen@board.example,Ben,Chen,board_leader,B66001,Superintendent\n"
    )

    dry = runner.invoke(app, ["import", "people", str(people), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert not User.objects.filter(username__in=["d.evans", "b.chen"]).exists()

    applied = runner.invoke(app, ["import", "people", str(people)])
    assert applied.exit_code == 0, applied.output
    assert set(
        Membership.objects.filter(user__username__in=["d.evans", "b.chen"]).values_list(
            "user__username", "role"
        )
    ) == {("d.evans", Role.TEACHER), ("b.chen", Role.BOARD_LEADER)}


def test_import_orgs_writes_the_problems_file_and_exits_1(world, tmp_path) -> None:
    orgs = tmp_path / "orgs.csv"
    orgs.write_text("kind,number,name,board_number\nschool,700009,Cedar Public School,B99999\n")
    problems = tmp_path / "problems.csv"

    result = runner.invoke(app, ["import", "orgs", str(orgs), "--problems", str(problems)])

    assert result.exit_code == 1
    assert not School.objects.filter(number="700009").exists()
    written = problems.read_text().splitlines()
    assert written[0] == "row,column,reason" and written[1].startswith("2,board_number,")


def test_import_schools_takes_the_year_before_an_equals_sign(tmp_path) -> None:
    table = tmp_path / "schools.csv"
    table.write_bytes(b"".join(csv_lines("sif_data_table_2021_2022_en.csv")[:30]))

    result = runner.invoke(app, ["import", "schools", f"2019-20={table}"])

    assert result.exit_code == 0, result.output
    assert School.objects.count() == 29 and Board.objects.exists()
    assert set(School.objects.values_list("contexts__school_year", flat=True)) == {"2019-20"}
