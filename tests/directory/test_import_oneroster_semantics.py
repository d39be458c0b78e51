"""What OneRoster data means, and who it may touch: matching people, the manifest, deletions, dates,
departments, the role mapping and organisation keys. Bundles are built per the OneRoster 1.1/1.2 CSV
layout (manifest.csv of propertyName,value; orgs.csv; users.csv; roles.csv)."""

from __future__ import annotations

import csv
import datetime
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from capacity.audit.models import Action, AuditEntry
from capacity.directory.access import scope_for
from capacity.directory.importers import import_oneroster
from capacity.directory.importers.oneroster import load_roster_config
from capacity.directory.models import Board, Membership, Role, School, User
from tests.factories import (
    BoardFactory,
    MembershipFactory,
    ProvinceFactory,
    SchoolFactory,
    UserFactory,
)

ORG_HEADER = [
    "sourcedId",
    "status",
    "dateLastModified",
    "name",
    "type",
    "identifier",
    "parentSourcedId",
]
USER_HEADER = [
    "sourcedId",
    "status",
    "dateLastModified",
    "enabledUser",
    "username",
    "givenName",
    "familyName",
    "email",
]
ROLE_HEADER = [
    "sourcedId",
    "status",
    "dateLastModified",
    "userSourcedId",
    "roleType",
    "role",
    "orgSourcedId",
    "beginDate",
    "endDate",
]
ORGS = [
    ["org-on", "", "", "Ontario", "state", "ON", ""],
    ["org-a", "", "", "Alpha District School Board", "district", "B66001", "org-on"],
    ["org-a1", "", "", "Aspen Public School", "school", "700001", "org-a"],
    ["org-a2", "", "", "Alder Secondary School", "school", "700002", "org-a"],
]
TODAY = timezone.localdate()
PAST, FUTURE = str(TODAY - datetime.timedelta(days=30)), str(TODAY + datetime.timedelta(days=30))


def write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)


def bundle(
    folder: Path,
    *,
    users: list[list[str]] | None = None,
    roles: list[list[str]] | None = None,
    orgs: list[list[str]] | None = ORGS,
    manifest: dict[str, str] | None = None,
    version: str = "1.2",
) -> Path:
    """A OneRoster CSV folder; `manifest` maps a file (orgs, users, roles) to bulk, delta or absent."""
    folder.mkdir(parents=True, exist_ok=True)
    if orgs is not None:
        write(folder / "orgs.csv", ORG_HEADER, orgs)
    if users is not None:
        write(folder / "users.csv", USER_HEADER, users)
    if roles is not None:
        write(folder / "roles.csv", ROLE_HEADER, roles)
    if manifest is not None:
        properties = [["manifest.version", "1.0"], ["oneroster.version", version]]
        for name in (
            "academicSessions",
            "classes",
            "courses",
            "demographics",
            "enrollments",
            "orgs",
            "users",
            "roles",
        ):
            properties.append([f"file.{name}", manifest.get(name, "absent")])
        properties += [["source.systemName", "Test SIS"], ["source.systemCode", "test"]]
        write(folder / "manifest.csv", ["propertyName", "value"], properties)
    return folder


def user(
    sourced_id: str,
    username: str,
    given: str = "Jo",
    family: str = "Smith",
    email: str = "",
    status: str = "",
    enabled: str = "true",
) -> list[str]:
    return [sourced_id, status, "", enabled, username, given, family, email]


def role(
    sourced_id: str,
    user_id: str,
    name: str,
    org: str,
    begins: str = "",
    ends: str = "",
    status: str = "",
) -> list[str]:
    return [sourced_id, status, "", user_id, "primary", name, org, begins, ends]


def problems(report: Any) -> list[str]:
    return [str(problem) for problem in report.problems]


def roles_of(username: str) -> set[tuple[str, str]]:
    return {
        (m.role, getattr(m.organisation, "number", str(m.organisation)))
        for m in Membership.objects.filter(user__username=username)
    }


@pytest.fixture
def alpha(db) -> Board:
    province = ProvinceFactory(code="ON", name="Ontario")
    board = BoardFactory(province=province, number="B66001", name="Alpha District School Board")
    SchoolFactory(board=board, number="700001", name="Aspen Public School")
    SchoolFactory(board=board, number="700002", name="Alder Secondary School")
    return board


# --- Matching people -------------------------------------------------------------------------------


def test_it_refuses_a_row_that_would_take_over_another_persons_account(alpha, tmp_path) -> None:
    beta = BoardFactory(number="B66002", name="Beta DSB")
    jsmith = UserFactory(
        username="jsmith",
        email="john.smith@beta.example",
        first_name="John",
        last_name="Smith",
        source_id="beta-17",
    )
    MembershipFactory(user=jsmith, role=Role.BOARD_LEADER, board=beta)
    folder = bundle(
        tmp_path / "r",
        users=[user("alpha-3", "jsmith", "Jane", "Smythe", "jane@alpha.example")],
        roles=[role("r1", "alpha-3", "teacher", "org-a1")],
    )
    entries = AuditEntry.objects.count()

    report = import_oneroster(folder)

    assert not report.applied
    assert problems(report) == [
        "row 2, users.csv: username: Refused: The username jsmith belongs to another person in Capacity "
        "(sourcedId beta-17); this row has the sourcedId alpha-3 and would take over their account. "
        "Nothing was applied."
    ]
    jsmith.refresh_from_db()
    assert (jsmith.first_name, jsmith.email, jsmith.source_id) == (
        "John",
        "john.smith@beta.example",
        "beta-17",
    )
    assert roles_of("jsmith") == {(Role.BOARD_LEADER, "B66002")}
    assert AuditEntry.objects.count() == entries + 1  # the rejection only
    assert AuditEntry.objects.first().action == Action.IMPORT_REJECTED  # newest first


def test_it_refuses_to_link_an_account_whose_email_disagrees(alpha, tmp_path) -> None:
    UserFactory(username="jsmith", email="john.smith@beta.example", source_id="")
    folder = bundle(
        tmp_path / "r",
        users=[user("alpha-3", "jsmith", email="jane@alpha.example")],
        roles=[role("r1", "alpha-3", "teacher", "org-a1")],
    )

    report = import_oneroster(folder)

    assert not report.applied
    assert "another email address (john.smith@beta.example)" in problems(report)[0]
    assert User.objects.get(username="jsmith").source_id == ""
    assert not Membership.objects.exists()


def test_it_links_an_account_by_username_when_nothing_contradicts(alpha, tmp_path) -> None:
    existing = UserFactory(username="jsmith", email="jo@alpha.example", source_id="")
    folder = bundle(
        tmp_path / "r",
        users=[user("alpha-3", "jsmith", email="jo@alpha.example")],
        roles=[role("r1", "alpha-3", "teacher", "org-a1")],
    )

    report = import_oneroster(folder)

    assert report.applied, problems(report)
    existing.refresh_from_db()
    assert existing.source_id == "alpha-3"
    assert roles_of("jsmith") == {(Role.TEACHER, "700001")}
    assert "People: 0 created, 1 updated, 0 deactivated, 0 unchanged." in report.notes


def test_it_matches_a_person_by_sourced_id_when_the_roster_renames_them(alpha, tmp_path) -> None:
    existing = UserFactory(username="jsmith", source_id="alpha-3")
    folder = bundle(
        tmp_path / "r",
        users=[user("alpha-3", "jsmythe")],
        roles=[role("r1", "alpha-3", "teacher", "org-a1")],
    )

    report = import_oneroster(folder)

    assert report.applied, problems(report)
    existing.refresh_from_db()
    assert existing.username == "jsmythe"
    assert User.objects.count() == 1


# --- The manifest: bulk, delta, absent -----------------------------------------------------------------


def two_schools(folder: Path, manifest: dict[str, str] | None) -> Path:
    return bundle(
        folder,
        users=[user("u1", "t.one")],
        manifest=manifest,
        roles=[role("r1", "u1", "teacher", "org-a1"), role("r2", "u1", "teacher", "org-a2")],
    )


def test_a_bulk_roles_file_ends_roster_roles_it_no_longer_lists(alpha, tmp_path) -> None:
    import_oneroster(
        two_schools(tmp_path / "first", {"orgs": "bulk", "users": "bulk", "roles": "bulk"})
    )
    by_hand = MembershipFactory(
        user=User.objects.get(username="t.one"),
        role=Role.SCHOOL_TEAM,
        school=School.objects.get(number="700002"),
    )
    folder = bundle(
        tmp_path / "second",
        users=[user("u1", "t.one")],
        roles=[role("r1", "u1", "teacher", "org-a1")],
        manifest={"orgs": "bulk", "users": "bulk", "roles": "bulk"},
    )

    report = import_oneroster(folder, actor_label="nightly")

    assert report.applied, problems(report)
    assert roles_of("t.one") == {(Role.TEACHER, "700001"), (Role.SCHOOL_TEAM, "700002")}
    assert Membership.objects.filter(
        pk=by_hand.pk
    ).exists()  # granted in Capacity: not the roster's to end
    entry = AuditEntry.objects.get(action=Action.MEMBERSHIP_REVOKED)
    assert (entry.target, entry.actor_label, entry.detail["reason"]) == (
        "t.one",
        "nightly",
        "not in the bulk roles.csv",
    )
    assert any(
        note.startswith(
            "Roles: 0 granted, 0 changed (of which 0 ended by their endDate), 1 removed"
        )
        for note in report.notes
    )
    assert (
        "manifest.csv: OneRoster 1.2; orgs.csv bulk, users.csv bulk, roles.csv bulk."
        in report.notes
    )


def test_a_delta_roles_file_removes_nothing_it_does_not_mention(alpha, tmp_path) -> None:
    import_oneroster(
        two_schools(tmp_path / "first", {"orgs": "bulk", "users": "bulk", "roles": "bulk"})
    )
    folder = bundle(
        tmp_path / "second",
        users=[user("u1", "t.one")],
        roles=[role("r1", "u1", "teacher", "org-a1")],
        manifest={"orgs": "delta", "users": "delta", "roles": "delta"},
    )

    report = import_oneroster(folder)

    assert report.applied, problems(report)
    assert roles_of("t.one") == {(Role.TEACHER, "700001"), (Role.TEACHER, "700002")}
    assert not AuditEntry.objects.filter(action=Action.MEMBERSHIP_REVOKED).exists()


def test_a_delta_may_name_people_and_organisations_from_earlier_imports(alpha, tmp_path) -> None:
    import_oneroster(two_schools(tmp_path / "first", None))
    folder = bundle(
        tmp_path / "second",
        orgs=None,
        users=None,
        manifest={"roles": "delta"},
        roles=[
            role("r2", "u1", "teacher", "org-a2", status="tobedeleted"),
            role("r3", "u1", "principal", "700001"),
        ],
    )

    report = import_oneroster(folder)

    assert report.applied, problems(report)
    assert roles_of("t.one") == {(Role.TEACHER, "700001"), (Role.PRINCIPAL, "700001")}
    assert (
        AuditEntry.objects.get(action=Action.MEMBERSHIP_REVOKED).detail["reason"]
        == "tobedeleted in roles.csv"
    )


def test_it_rejects_a_manifest_it_cannot_follow(alpha, tmp_path) -> None:
    folder = bundle(
        tmp_path / "r",
        users=[user("u1", "t.one")],
        roles=[],
        version="3.0",
        manifest={"orgs": "bulk", "users": "sometimes", "roles": "bulk", "enrollments": "bulk"},
    )
    (folder / "roles.csv").unlink()

    report = import_oneroster(folder)

    assert not report.applied
    assert problems(report) == [
        "row 3, manifest.csv: oneroster.version: “3.0” is not a OneRoster version this import reads: use 1.1 "
        "or 1.2.",
        "row 10, manifest.csv: file.users: “sometimes” is not a file mode: use bulk, delta or absent.",
        "file, roles.csv: The manifest lists roles.csv as bulk, but the folder has no such file.",
    ]


# --- tobedeleted and enabledUser ---------------------------------------------------------------------


def test_tobedeleted_and_disabled_people_are_deactivated_and_audited(alpha, tmp_path) -> None:
    import_oneroster(
        bundle(
            tmp_path / "first",
            users=[user("u1", "t.one"), user("u2", "t.two")],
            roles=[role("r1", "u1", "teacher", "org-a1"), role("r2", "u2", "teacher", "org-a1")],
        )
    )
    gone, disabled = User.objects.get(username="t.one"), User.objects.get(username="t.two")
    assert not scope_for(gone).empty
    folder = bundle(
        tmp_path / "second",
        manifest={"users": "delta", "roles": "delta", "orgs": "absent"},
        orgs=None,
        users=[user("u1", "t.one", status="tobedeleted"), user("u2", "t.two", enabled="false")],
        roles=[],
    )

    report = import_oneroster(folder, actor_label="nightly")

    assert report.applied, problems(report)
    gone.refresh_from_db()
    disabled.refresh_from_db()
    assert not gone.is_active and not disabled.is_active
    assert scope_for(gone).empty and scope_for(disabled).empty
    assert roles_of("t.one") == set()  # tobedeleted: the roster's roles go
    assert roles_of("t.two") == {(Role.TEACHER, "700001")}  # disabled: kept for when they come back
    assert sorted(
        AuditEntry.objects.filter(action=Action.USER_DEACTIVATED).values_list("target", "detail")
    ) == [
        ("t.one", {"reason": "tobedeleted in the roster"}),
        ("t.two", {"reason": "enabledUser false in the roster"}),
    ]
    assert AuditEntry.objects.get(action=Action.MEMBERSHIP_REVOKED).target == "t.one"
    assert "People: 0 created, 0 updated, 2 deactivated, 0 unchanged." in report.notes
    assert report.updated == 2


# --- Dates -------------------------------------------------------------------------------------------


def test_roles_begin_on_their_begin_date_and_end_on_their_end_date(alpha, tmp_path) -> None:
    folder = bundle(
        tmp_path / "r",
        users=[user("u1", "early"), user("u2", "now")],
        roles=[
            role("r1", "u1", "teacher", "org-a1", begins=FUTURE),
            role("r2", "u2", "teacher", "org-a1", begins=PAST, ends=FUTURE),
        ],
    )
    report = import_oneroster(folder)
    assert report.applied, problems(report)

    early = User.objects.get(username="early")
    assert Membership.objects.get(user=early).begins == TODAY + datetime.timedelta(days=30)
    assert scope_for(early).empty  # not yet
    assert not scope_for(User.objects.get(username="now")).empty

    folder = bundle(
        tmp_path / "later",
        users=[user("u2", "now")],
        roles=[
            role(
                "r2",
                "u2",
                "teacher",
                "org-a1",
                begins=PAST,
                ends=str(TODAY - datetime.timedelta(1)),
            )
        ],
    )
    report = import_oneroster(folder)

    assert report.applied, problems(report)
    assert scope_for(User.objects.get(username="now")).empty  # ended yesterday
    assert any("1 changed (of which 1 ended by their endDate)" in note for note in report.notes)


def test_it_rejects_a_role_that_ends_before_it_begins(alpha, tmp_path) -> None:
    folder = bundle(
        tmp_path / "r",
        users=[user("u1", "t.one")],
        roles=[role("r1", "u1", "teacher", "org-a1", begins=FUTURE, ends=PAST)],
    )
    report = import_oneroster(folder)
    assert not report.applied
    assert problems(report) == [
        f"row 2, roles.csv: endDate: The role ends ({PAST}) before it begins ({FUTURE})."
    ]


# --- Departments, the root administrator, the role mapping, organisation keys --------------------------


def test_department_staff_keep_their_roles_at_the_school(alpha, tmp_path) -> None:
    orgs = [
        *ORGS,
        ["org-sci", "", "", "Science Department", "department", "", "org-a2"],
        ["org-lab", "", "", "Labs", "department", "", "org-sci"],
    ]
    folder = bundle(
        tmp_path / "r",
        orgs=orgs,
        users=[user("u1", "t.one"), user("u2", "t.two")],
        roles=[role("r1", "u1", "teacher", "org-sci"), role("r2", "u2", "aide", "org-lab")],
    )

    report = import_oneroster(folder)

    assert report.applied, problems(report)
    assert roles_of("t.one") == {(Role.TEACHER, "700002")}
    assert roles_of("t.two") == {(Role.SCHOOL_TEAM, "700002")}
    assert School.objects.count() == 2  # a department is not a school


def test_an_administrator_at_the_root_is_not_made_a_ministry_officer(alpha, tmp_path) -> None:
    folder = bundle(
        tmp_path / "r",
        users=[user("u1", "it.admin"), user("u2", "sys.admin")],
        roles=[
            role("r1", "u1", "administrator", "org-on"),
            role("r2", "u2", "systemAdministrator", "org-on"),
        ],
    )

    report = import_oneroster(folder)

    assert report.applied, problems(report)
    assert not Membership.objects.filter(role=Role.MINISTRY_OFFICER).exists()
    assert (
        "Role mapping: administrator at a state gives no role in Capacity (1); a roster configuration can "
        "map it (see docs/data-formats.md)."
    ) in report.notes


def test_a_roster_configuration_maps_roles_and_keys_organisations(alpha, tmp_path) -> None:
    config = tmp_path / "roster.toml"
    config.write_text(
        '[roles]\nadministrator = { state = "ministry_officer", district = "trustee" }\n\n'
        '[organisations.school]\ncolumn = "identifier"\npattern = "^ALPHA-(\\\\d{6})$"\n\n'
        '[organisations.numbers]\n"org-a" = "B66001"\n',
        encoding="utf-8",
    )
    orgs = [
        ["org-on", "", "", "Ontario", "state", "ON", ""],
        ["org-a", "", "", "Alpha District School Board", "district", "ADSB", "org-on"],
        ["org-a1", "", "", "Aspen Public School", "school", "ALPHA-700001", "org-a"],
    ]
    folder = bundle(
        tmp_path / "r",
        orgs=orgs,
        users=[user("u1", "chief"), user("u2", "trustee"), user("u3", "t")],
        roles=[
            role("r1", "u1", "administrator", "org-on"),
            role("r2", "u2", "administrator", "org-a"),
            role("r3", "u3", "teacher", "org-a1"),
        ],
    )

    without = import_oneroster(folder)
    assert not without.applied
    assert problems(without)[0] == (
        "row 3, orgs.csv: identifier: A district's identifier must be its board "
        "number, like B28010, not “ADSB”."
    )

    report = import_oneroster(folder, config=config)

    assert report.applied, problems(report)
    assert roles_of("chief") == {(Role.MINISTRY_OFFICER, "Ontario")}
    assert roles_of("trustee") == {(Role.TRUSTEE, "B66001")}
    assert roles_of("t") == {(Role.TEACHER, "700001")}
    assert "Role mapping: administrator at a state gives Ministry officer (1)." in report.notes


def test_it_rejects_a_roster_configuration_that_grants_the_wrong_level(alpha, tmp_path) -> None:
    config = tmp_path / "roster.toml"
    config.write_text(
        '[roles]\nteacher = { school = "ministry_officer" }\nwizard = { school = "teacher" }\n',
        encoding="utf-8",
    )
    report = import_oneroster(bundle(tmp_path / "r", users=[], roles=[]), config=config)
    assert not report.applied
    assert problems(report) == [
        "file, roster.toml: roles: teacher at a school cannot give “ministry_officer”: use none or one of "
        "principal, school_team, teacher.",
        "file, roster.toml: roles: “wizard” is not a OneRoster staff role.",
    ]


def test_a_bulk_oneroster_11_users_file_is_every_role_there_is(alpha, tmp_path) -> None:
    header = [*USER_HEADER, "role", "orgSourcedIds"]
    first = bundle(tmp_path / "first", manifest={"orgs": "bulk", "users": "bulk"}, version="1.1")
    write(first / "users.csv", header, [[*user("u1", "t.one"), "teacher", "org-a1,org-a2"]])
    assert import_oneroster(first).applied
    second = bundle(tmp_path / "second", manifest={"orgs": "bulk", "users": "bulk"}, version="1.1")
    write(second / "users.csv", header, [[*user("u1", "t.one"), "teacher", "org-a1"]])

    report = import_oneroster(second)

    assert report.applied, problems(report)
    assert roles_of("t.one") == {(Role.TEACHER, "700001")}
    assert "No roles.csv: roles were read from users.csv (OneRoster 1.1)." in report.notes


@pytest.mark.parametrize(
    ("text", "fault"),
    [
        ("[roles\n", "The roster configuration is not valid TOML: "),
        ("[people]\n", "Unknown sections: people. Use roles and organisations."),
        (
            '[roles]\nteacher = "teacher"\n',
            "roles: give teacher as a table of organisation type = ",
        ),
        (
            '[roles]\nteacher = { classroom = "teacher" }\n',
            "roles: teacher: “classroom” is not an organisation type: use state, district or school.",
        ),
        (
            '[organisations.school]\ncolumn = "identifier"\npattern = "([0-9]+"\n',
            "organisations.school: the pattern is not a regular expression: ",
        ),
        ('[organisations.region]\ncolumn = "name"\n', "organisations: “region” is not district, "),
    ],
    ids=["toml", "section", "role not a table", "level", "pattern", "organisation kind"],
)
def test_a_roster_configuration_is_refused_with_what_is_wrong(tmp_path, text, fault) -> None:
    path = tmp_path / "roster.toml"
    path.write_text(text, encoding="utf-8")

    _config, faults = load_roster_config(path)

    assert len(faults) == 1 and faults[0].startswith(fault), faults


def test_a_missing_roster_configuration_is_a_problem_not_a_crash(tmp_path) -> None:
    _config, faults = load_roster_config(tmp_path / "absent.toml")

    assert faults == ["The roster configuration cannot be read: No such file or directory"]


def test_a_roster_configuration_may_map_a_role_to_none(tmp_path) -> None:
    path = tmp_path / "roster.toml"
    path.write_text('[roles]\nteacher = { school = "none" }\n', encoding="utf-8")

    config, faults = load_roster_config(path)

    assert faults == [] and "" in config.roles["teacher"].values()
