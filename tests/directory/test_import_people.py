"""Importing people and their roles from a plain CSV."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from capacity.audit.models import Action, AuditEntry
from capacity.directory.importers import import_people
from capacity.directory.models import Membership, Role, User

DATA = Path(__file__).resolve().parent.parent / "data" / "people"
HEADER = "username,email,given_name,family_name,role,organisation,title\n"


def write(tmp_path: Path, *lines: str, header: str = HEADER) -> Path:
    path = tmp_path / "people.csv"
    path.write_text(header + "".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def counts() -> tuple[int, int]:
    return User.objects.count(), Membership.objects.count()


def problems(report: Any) -> list[str]:
    return [str(problem) for problem in report.problems]


def assert_rejected(report: Any, before: tuple[int, int]) -> None:
    assert not report.applied
    assert report.problems
    assert counts() == before
    assert AuditEntry.objects.filter(action=Action.IMPORT_REJECTED, target=report.source).exists()


def roles_of(username: str) -> set[tuple[str, str]]:
    return {
        (m.role, str(m.organisation)) for m in Membership.objects.filter(user__username=username)
    }


def test_it_creates_people_and_their_roles(world) -> None:
    report = import_people(DATA / "people.csv", actor_label="test")

    assert problems(report) == []
    assert report.applied
    assert (report.rows, report.created, report.updated, report.unchanged) == (7, 7, 0, 0)
    ben = User.objects.get(username="b.chen")
    assert (ben.email, ben.display_name, ben.first_name, ben.last_name) == (
        "ben.chen@alpha.example",
        "Ben Chen",
        "Ben",
        "Chen",
    )
    assert not ben.has_usable_password()  # cannot sign in until a password is set
    assert roles_of("b.chen") == {
        (Role.BOARD_LEADER, str(world.board_a)),
        (Role.NETWORK_FACILITATOR, str(world.network)),
    }
    assert (
        Membership.objects.get(user=ben, role=Role.BOARD_LEADER).title
        == "Superintendent of Education"
    )
    assert roles_of("a.roy") == {(Role.MINISTRY_OFFICER, "Ontario")}
    assert roles_of("c.diaz") == {(Role.PRINCIPAL, str(world.school_a1))}
    assert roles_of("d.evans") == {
        (Role.TEACHER, str(world.school_a1)),
        (Role.SCHOOL_TEAM, str(world.school_a2)),
    }
    assert roles_of("e.fox") == {(Role.TRUSTEE, str(world.board_b))}
    assert User.objects.get(username="e.fox").email == ""
    assert AuditEntry.objects.filter(action=Action.USER_CREATED).count() == 5
    assert (
        AuditEntry.objects.filter(action=Action.MEMBERSHIP_GRANTED, actor_label="test").count() == 7
    )
    assert AuditEntry.objects.get(action=Action.IMPORT_APPLIED).detail["people_created"] == 5


def test_importing_the_same_file_twice_changes_nothing(world) -> None:
    import_people(DATA / "people.csv")
    before = counts()
    entries = AuditEntry.objects.count()

    report = import_people(DATA / "people.csv")

    assert report.applied
    assert (report.created, report.updated, report.unchanged) == (0, 0, 7)
    assert counts() == before
    assert AuditEntry.objects.count() == entries + 1  # only the import itself


def test_changed_details_and_titles_are_updates(world, tmp_path) -> None:
    import_people(DATA / "people.csv")

    report = import_people(
        write(
            tmp_path,
            "b.chen,ben.chen@alpha.example,Benjamin,Chen,board_leader,B66001,Director of Education",
            "c.diaz,carla.diaz@alpha.example,Carla,Diaz,principal,700001,",
        )
    )

    assert report.applied
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    ben = User.objects.get(username="b.chen")
    assert ben.display_name == "Benjamin Chen"
    assert Membership.objects.get(user=ben, role=Role.BOARD_LEADER).title == "Director of Education"


def test_an_existing_person_gets_a_new_role(world, tmp_path) -> None:
    report = import_people(write(tmp_path, "teacher_a1,,,,teacher,700002,"))

    assert report.applied
    assert report.created == 1
    assert roles_of("teacher_a1") == {
        (Role.TEACHER, str(world.school_a1)),
        (Role.TEACHER, str(world.school_a2)),
    }
    # Blank details leave the stored ones alone.
    assert User.objects.get(username="teacher_a1").email == "teacher_a1@example.org"


def test_roles_may_be_given_by_their_names(world, tmp_path) -> None:
    report = import_people(
        write(tmp_path, "f.gray,f.gray@alpha.example,Fay,Gray,School team member,700001,")
    )
    assert report.applied
    assert roles_of("f.gray") == {(Role.SCHOOL_TEAM, str(world.school_a1))}


def test_a_dry_run_counts_but_writes_nothing(world) -> None:
    before = counts()
    report = import_people(DATA / "people.csv", dry_run=True)
    assert report.ok and not report.applied
    assert report.created == 7
    assert counts() == before


def test_it_rejects_a_file_with_missing_columns(world, tmp_path) -> None:
    before = counts()
    report = import_people(
        write(tmp_path, "x,x@example.org,teacher", header="username,email,role\n")
    )
    assert_rejected(report, before)
    assert problems(report) == [
        "row 1, given_name: This required column is missing.",
        "row 1, family_name: This required column is missing.",
        "row 1, organisation: This required column is missing.",
    ]


def test_it_rejects_bad_values_naming_row_and_column(world, tmp_path) -> None:
    before = counts()
    report = import_people(
        write(
            tmp_path,
            "g.hill,g.hill@alpha.example,Gus,Hill,teacher,700001,",
            "h.ivy,not-an-email,Hana,Ivy,teacher,700001,",
            "i j,i.j@alpha.example,Ian,Jones,teacher,700001,",
            "k.lam,k.lam@alpha.example,Kai,Lam,wizard,700001,",
            "m.moe,m.moe@alpha.example,Mo,Moe,principal,B66001,",
            "n.ng,n.ng@alpha.example,Nat,Ng,teacher,799999,",
            "o.oh,o.oh@alpha.example,Oli,Oh,network_facilitator,No Such Network,",
            "p.po,p.po@alpha.example,Pat,Po,board_leader,B99999,",
            ",q@alpha.example,Q,Q,teacher,700001,",
        )
    )

    assert_rejected(report, before)
    assert problems(report) == [
        "row 3, email: “not-an-email” is not an email address.",
        "row 4, username: “i j” cannot be a username: use letters, digits and @ . + - _ only.",
        "row 5, role: “wizard” is not a role. Use one of: ministry_officer, board_leader, trustee, principal, "
        "school_team, teacher, network_facilitator.",
        "row 6, organisation: The principal role is held in a school: give its number, like 019186, not “B66001”.",
        "row 10, username: The username is missing.",
    ]
    # Organisations are looked up only once every row has the right shape.
    report = import_people(
        write(
            tmp_path,
            "n.ng,n.ng@alpha.example,Nat,Ng,teacher,799999,",
            "o.oh,o.oh@alpha.example,Oli,Oh,network_facilitator,No Such Network,",
            "p.po,p.po@alpha.example,Pat,Po,board_leader,B99999,",
        )
    )
    assert_rejected(report, before)
    assert problems(report) == [
        "row 2, organisation: There is no school 799999. Import Ontario's school information table first, "
        "or check the number.",
        "row 3, organisation: There is no learning network called “No Such Network”. Create it first, or "
        "check the spelling.",
        "row 4, organisation: There is no board B99999. Import Ontario's school information table first, "
        "or check the number.",
    ]


def test_it_rejects_a_person_with_different_details_on_two_rows(world, tmp_path) -> None:
    before = counts()
    report = import_people(
        write(
            tmp_path,
            "r.roe,r.roe@alpha.example,Ria,Roe,teacher,700001,",
            "r.roe,ria@elsewhere.example,Ria,Roe,school_team,700002,",
            "r.roe,r.roe@alpha.example,Ria,Roe,teacher,700001,",
        )
    )
    assert_rejected(report, before)
    assert problems(report) == [
        "row 3, email: r.roe has “r.roe@alpha.example” on row 2; one person must have the same details "
        "on every row.",
        "row 4, role: This role in this organisation is already on row 2.",
    ]


def test_it_rejects_a_file_that_is_not_text(world, tmp_path) -> None:
    before = counts()
    path = tmp_path / "people.csv"
    path.write_bytes(HEADER.encode("utf-16"))
    report = import_people(path)
    assert_rejected(report, before)
    assert "UTF-16" in problems(report)[0]


def test_it_rejects_an_empty_file(world, tmp_path) -> None:
    before = counts()
    path = tmp_path / "people.csv"
    path.write_bytes(b"")
    report = import_people(path)
    assert_rejected(report, before)
    assert problems(report) == ["file: The file is empty."]
