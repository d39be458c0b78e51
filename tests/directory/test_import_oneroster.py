"""Importing organisations, staff and roles from a OneRoster CSV folder."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from capacity.audit.models import Action, AuditEntry
from capacity.directory.importers import import_oneroster
from capacity.directory.models import Board, Language, Membership, Province, Role, School, User
from tests.factories import BoardFactory, SchoolFactory

DATA = Path(__file__).resolve().parent.parent / "data" / "oneroster"
STAFF = {"d.okafor", "p.lavoie", "sam.nguyen@algoma.example", "t.singh", "j.gagnon", "c.martin"}


def counts() -> tuple[int, ...]:
    return (
        Province.objects.count(),
        Board.objects.count(),
        School.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
    )


def problems(report: Any) -> list[str]:
    return [str(problem) for problem in report.problems]


def roles_of(username: str) -> set[tuple[str, str]]:
    return {
        (
            m.role,
            m.organisation.number if hasattr(m.organisation, "number") else str(m.organisation),
        )
        for m in Membership.objects.filter(user__username=username)
    }


def roster(tmp_path: Path, version: str = "v12") -> Path:
    """A copy of a good folder, to break."""
    folder = tmp_path / "roster"
    shutil.copytree(DATA / version, folder)
    return folder


def edit(folder: Path, name: str, old: str, new: str) -> None:
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def append(folder: Path, name: str, *lines: str) -> None:
    with (folder / name).open("a", encoding="utf-8") as out:
        out.writelines(line + "\n" for line in lines)


def assert_rejected(report: Any, before: tuple[int, ...]) -> None:
    assert not report.applied
    assert report.problems
    assert counts() == before
    assert AuditEntry.objects.filter(action=Action.IMPORT_REJECTED, target=report.source).exists()
    assert not AuditEntry.objects.filter(
        action__in=[Action.USER_CREATED, Action.MEMBERSHIP_GRANTED]
    ).exists()


def test_a_good_folder_creates_boards_schools_people_and_roles(db) -> None:
    report = import_oneroster(DATA / "v12", actor_label="test")

    assert problems(report) == []
    assert report.applied
    # 8 orgs + 12 users + 16 roles; 6 orgs, 6 staff and 7 roles created; the rest skipped (the
    # systemAdministrator at the state org gets no role by default, so no account either).
    assert (report.rows, report.created, report.updated, report.unchanged, report.skipped) == (
        36,
        19,
        0,
        0,
        17,
    )

    assert Province.objects.get().code == "ON"
    algoma = Board.objects.get(number="B28010")
    assert (algoma.name, algoma.language, algoma.board_type) == (
        "Algoma District School Board",
        Language.ENGLISH,
        Board.Type.PUBLIC,
    )
    assert any(
        "B28010, B66303" in note and "English-language public" in note for note in report.notes
    )
    assert set(School.objects.values_list("number", "level", "board__number")) == {
        ("019186", "elementary", "B28010"),
        ("920533", "secondary", "B28010"),
        ("023549", "elementary", "B66303"),
    }
    assert School.objects.get(number="023549").name == "Académie Alexandre-Dumas"

    assert set(User.objects.values_list("username", flat=True)) == STAFF
    assert not User.objects.filter(username="m.tremblay").exists()
    assert (
        "Role mapping: systemAdministrator at a state gives no role in Capacity (1); a roster configuration "
        "can map it (see docs/data-formats.md)." in report.notes
    )
    assert roles_of("d.okafor") == {
        (Role.BOARD_LEADER, "B28010")
    }  # the ended principal role is skipped
    assert roles_of("p.lavoie") == {
        (Role.PRINCIPAL, "019186")
    }  # the tobedeleted teacher role is skipped
    assert roles_of("sam.nguyen@algoma.example") == {(Role.SCHOOL_TEAM, "019186")}
    assert roles_of("t.singh") == {(Role.TEACHER, "019186"), (Role.TEACHER, "920533")}
    assert roles_of("j.gagnon") == {(Role.TEACHER, "023549")}
    assert roles_of("c.martin") == {(Role.SCHOOL_TEAM, "920533")}

    tara = User.objects.get(username="t.singh")
    assert (tara.source_id, tara.email, tara.display_name) == (
        "u-teacher",
        "tara.singh@algoma.example",
        "Tara Singh",
    )
    assert not tara.has_usable_password()
    jeff = User.objects.get(username="j.gagnon")
    assert (jeff.display_name, jeff.first_name) == (
        "Jeff Gagnon",
        "Jean-François",
    )  # the preferred name shows
    sam = User.objects.get(source_id="u-vp")
    assert sam.username == "sam.nguyen@algoma.example"  # no username: keyed by email

    assert any("never accounts" in note for note in report.notes)
    assert AuditEntry.objects.filter(action=Action.USER_CREATED, actor_label="test").count() == 6
    assert AuditEntry.objects.filter(action=Action.MEMBERSHIP_GRANTED).count() == 7
    assert AuditEntry.objects.get(action=Action.IMPORT_APPLIED).detail["people_created"] == 6


def test_students_parents_and_guardians_are_never_accounts(db) -> None:
    report = import_oneroster(DATA / "v12")
    assert report.applied
    for username in ("s.lee", "a.brown", "k.lee"):
        assert not User.objects.filter(username=username).exists()
    # Nor are people marked tobedeleted or disabled.
    assert not User.objects.filter(username__in=["g.white", "o.green"]).exists()


def test_importing_the_same_folder_twice_changes_nothing(db) -> None:
    import_oneroster(DATA / "v12")
    before = counts()
    entries = AuditEntry.objects.count()

    report = import_oneroster(DATA / "v12")

    assert report.applied
    assert (report.created, report.updated, report.unchanged, report.skipped) == (0, 0, 19, 17)
    assert counts() == before
    assert AuditEntry.objects.count() == entries + 1


def test_existing_boards_and_schools_are_left_as_they_are(db) -> None:
    board = BoardFactory(
        number="B28010", name="Algoma DSB", board_type=Board.Type.CATHOLIC, language=Language.FRENCH
    )
    SchoolFactory(board=board, number="019186", name="Anna McCrea PS")

    report = import_oneroster(DATA / "v12")

    assert report.applied
    board.refresh_from_db()
    assert (board.name, board.board_type, board.language) == (
        "Algoma DSB",
        Board.Type.CATHOLIC,
        Language.FRENCH,
    )
    assert School.objects.get(number="019186").name == "Anna McCrea PS"
    # A new school in an existing board takes the board's language.
    assert School.objects.get(number="920533").language == Language.FRENCH
    assert any(
        "2 boards or schools already in Capacity have other names" in note for note in report.notes
    )


def test_a_changed_person_is_an_update(db, tmp_path) -> None:
    folder = roster(tmp_path)
    import_oneroster(folder)
    edit(folder, "users.csv", "tara.singh@algoma.example", "tara.singh@adsb.example")

    report = import_oneroster(folder)

    assert report.applied
    assert (report.created, report.updated) == (0, 1)
    assert User.objects.get(username="t.singh").email == "tara.singh@adsb.example"


def test_a_oneroster_11_folder_reads_roles_from_users_csv(db) -> None:
    report = import_oneroster(DATA / "v11", actor_label="test")

    assert problems(report) == []
    assert report.applied
    assert (report.rows, report.created, report.skipped) == (8, 6, 2)
    assert any("OneRoster 1.1" in note for note in report.notes)
    assert roles_of("d.okafor") == {(Role.BOARD_LEADER, "B28010")}
    assert roles_of("t.singh") == {(Role.TEACHER, "019186"), (Role.TEACHER, "953148")}
    assert roles_of("p.lavoie") == {(Role.SCHOOL_TEAM, "019186")}  # a 1.1 administrator at a school
    assert not User.objects.filter(username__in=["s.lee", "k.lee"]).exists()

    again = import_oneroster(DATA / "v11")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 6)


def test_a_roster_may_place_schools_in_boards_already_in_capacity(db, tmp_path) -> None:
    BoardFactory(number="B28010", name="Algoma DSB")
    folder = roster(tmp_path)
    edit(folder, "orgs.csv", "019186,org-algoma", "019186,B28010")
    report = import_oneroster(folder)
    assert report.applied
    assert School.objects.get(number="019186").board.number == "B28010"


def test_a_dry_run_counts_but_writes_nothing(db) -> None:
    report = import_oneroster(DATA / "v12", dry_run=True)
    assert report.ok and not report.applied
    assert report.created == 19
    assert counts() == (0, 0, 0, 0, 0)
    assert not AuditEntry.objects.exists()


# --- Broken folders ----------------------------------------------------------------


def test_it_reports_broken_references_and_applies_nothing(world, tmp_path) -> None:
    folder = roster(tmp_path)
    append(folder, "orgs.csv", "org-lost,active,,Lost Public School,school,019999,org-nowhere")
    append(
        folder,
        "users.csv",
        "u-teacher,active,,true,t.singh2,,Tara,Singh,,,,,,,,,,,,,,,",
        "u-new,active,,true,n.new,,Nia,New,,,nia.new(at)algoma,,,,,,,,,,,,",
    )
    append(
        folder,
        "roles.csv",
        "r-20,active,,u-nobody,primary,teacher,org-anna,,,",
        "r-21,active,,u-new,primary,teacher,org-nowhere,,,",
        "r-22,active,,u-new,primary,wizard,org-anna,,,",
        "r-23,active,,u-new,primary,principal,org-algoma,,,",
        "r-24,active,,u-new,primary,teacher,org-anna,,2024-13-01,",
    )
    before = counts()

    report = import_oneroster(folder)

    assert_rejected(report, before)
    assert problems(report) == [
        "row 10, orgs.csv: parentSourcedId: No organisation in orgs.csv has the sourcedId org-nowhere.",
        "row 14, users.csv: sourcedId: The sourcedId u-teacher is already on row 6.",
        "row 15, users.csv: email: “nia.new(at)algoma” is not an email address.",
        "row 18, roles.csv: userSourcedId: No person in users.csv has the sourcedId u-nobody.",
        "row 19, roles.csv: orgSourcedId: No organisation in orgs.csv has the sourcedId org-nowhere.",
        "row 20, roles.csv: role: “wizard” is not a OneRoster role. Use one of: administrator, aide, counselor, "
        "districtAdministrator, guardian, parent, principal, proctor, relative, siteAdministrator, student, "
        "systemAdministrator, teacher.",
        "row 21, roles.csv: role: The principal role is held at a school, but org-algoma is a district.",
        "row 22, roles.csv: beginDate: “2024-13-01” is not a date like 2024-09-01.",
    ]
    assert report.problems[0].row == 10


def test_it_rejects_a_school_whose_parent_is_not_a_district(db, tmp_path) -> None:
    folder = roster(tmp_path)
    edit(folder, "orgs.csv", "019186,org-algoma", "019186,org-on")
    before = counts()
    report = import_oneroster(folder)
    assert_rejected(report, before)
    assert problems(report) == [
        "row 5, orgs.csv: parentSourcedId: A school's parent must be a district, but org-on is a state.",
    ]


def test_it_rejects_bad_identifiers_and_types(db, tmp_path) -> None:
    folder = roster(tmp_path)
    edit(folder, "orgs.csv", "district,B28010", "district,28010")
    edit(folder, "orgs.csv", "school,023549", "school,Dumas")
    edit(folder, "orgs.csv", "department,", "club,")
    before = counts()
    report = import_oneroster(folder)
    assert_rejected(report, before)
    assert problems(report) == [
        "row 3, orgs.csv: identifier: A district's identifier must be its board number, like B28010, not “28010”.",
        "row 7, orgs.csv: identifier: A school's identifier must be its school number (five or six digits, like "
        "019186), not “Dumas”.",
        "row 8, orgs.csv: type: “club” is not an organisation type: use state, district, school or department.",
    ]


def test_it_rejects_a_school_that_moved_to_another_board(db, tmp_path) -> None:
    SchoolFactory(number="019186", board=BoardFactory(number="B66001"))
    before = counts()
    report = import_oneroster(DATA / "v12")
    assert_rejected(report, before)
    assert problems(report) == [
        "row 5, orgs.csv: parentSourcedId: School 019186 belongs to board B66001 in Capacity, but this file "
        "puts it in B28010.",
    ]


def test_it_rejects_a_folder_with_missing_columns(db, tmp_path) -> None:
    folder = roster(tmp_path)
    edit(folder, "users.csv", "givenName,familyName", "firstName,lastName")
    edit(folder, "roles.csv", "userSourcedId", "personSourcedId")
    before = counts()
    report = import_oneroster(folder)
    assert_rejected(report, before)
    assert problems(report) == [
        "row 1, users.csv: givenName: This required column is missing.",
        "row 1, users.csv: familyName: This required column is missing.",
        "row 1, roles.csv: userSourcedId: This required column is missing.",
    ]


def test_it_rejects_a_folder_without_users_csv(db, tmp_path) -> None:
    folder = roster(tmp_path)
    (folder / "users.csv").unlink()
    report = import_oneroster(folder)
    assert_rejected(report, (0, 0, 0, 0, 0))
    assert problems(report) == ["file, users.csv: The folder has no users.csv; OneRoster needs it."]


def test_it_rejects_a_folder_with_no_roles_anywhere(db, tmp_path) -> None:
    folder = roster(tmp_path)
    (folder / "roles.csv").unlink()
    report = import_oneroster(folder)
    assert_rejected(report, (0, 0, 0, 0, 0))
    assert "There is no roles.csv" in problems(report)[0]


def test_it_rejects_a_users_csv_in_utf16(db, tmp_path) -> None:
    folder = roster(tmp_path)
    text = (folder / "users.csv").read_text(encoding="utf-8")
    (folder / "users.csv").write_bytes(text.encode("utf-16"))
    report = import_oneroster(folder)
    assert_rejected(report, (0, 0, 0, 0, 0))
    assert problems(report)[0].startswith("file, users.csv: The file is not plain text")


def test_it_rejects_a_path_that_is_not_a_folder(db, tmp_path) -> None:
    report = import_oneroster(tmp_path / "nowhere")
    assert_rejected(report, (0, 0, 0, 0, 0))
    assert "This is not a folder" in problems(report)[0]
