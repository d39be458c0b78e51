"""Longer school identifiers: every directory importer reads them and refuses what the scheme refuses."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from capacity.directory.importers import import_oneroster, import_orgs, import_people, import_sif
from capacity.directory.lookup import find_organisation
from capacity.directory.models import Membership, Network, Role, School
from tests.directory.test_import_oneroster import edit, roster
from tests.directory.test_import_sif import school_row, write_csv
from tests.factories import BoardFactory, SchoolFactory

HEADER = "kind,number,name,board_number,language,board_type,level,schools\n"
TWELVE = "420000123456"
TOO_SHORT = "“12345” is not a school number: it should be 12 digits, like 123456789012."


@pytest.fixture
def national(settings) -> None:
    """Twelve digits, never padded (an example national scheme)."""
    settings.CAPACITY_SCHOOL_NUMBER_PATTERN = r"\d{12}"
    settings.CAPACITY_SCHOOL_NUMBER_PAD = 0
    settings.CAPACITY_SCHOOL_NUMBER_EXAMPLE = "123456789012"


def orgs_file(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "orgs.csv"
    path.write_text(HEADER + "".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def problems(report: Any) -> list[str]:
    return [str(problem) for problem in report.problems]


def test_the_organisations_file_reads_twelve_digit_schools(db, national, tmp_path) -> None:
    report = import_orgs(
        orgs_file(
            tmp_path,
            "board,B70001,Island School Authority,,en,authority,,",
            f"school,{TWELVE},Mindemoya Public School,B70001,,,elementary,",
            "school,000000070102,Manitoulin Secondary School,B70001,,,secondary,",
            f"network,,Island Network,,,,,{TWELVE} 000000070102",
        ),
        actor_label="test",
    )

    assert problems(report) == []
    assert report.applied
    assert School.objects.get(number=TWELVE).name == "Mindemoya Public School"
    # Leading zeros are kept as given, and nothing is padded or trimmed.
    assert School.objects.filter(number="000000070102").exists()
    network = Network.objects.get(name="Island Network")
    assert set(network.schools.values_list("number", flat=True)) == {TWELVE, "000000070102"}
    assert not any("leading zero" in note for note in report.notes)


def test_the_organisations_file_refuses_a_five_digit_school_in_the_configured_words(
    db, national, tmp_path
) -> None:
    report = import_orgs(
        orgs_file(
            tmp_path,
            "board,B70001,Island School Authority,,en,authority,,",
            "school,12345,Short Public School,B70001,,,elementary,",
            "school,,Nameless Public School,B70001,,,elementary,",
            "network,,Island Network,,,,,12345",
        ),
        actor_label="test",
    )

    assert not report.applied
    assert problems(report) == [
        f"row 3, number: {TOO_SHORT}",
        "row 4, number: A school needs its number: 12 digits, like 123456789012.",
        f"row 5, schools: {TOO_SHORT}",
    ]
    assert School.objects.count() == 0


def test_ontario_numbers_are_refused_under_a_national_scheme_and_long_ones_under_ontarios(
    db, settings, tmp_path
) -> None:
    line = "school,{},A Public School,B70001,,,elementary,"
    board = "board,B70001,Island School Authority,,en,authority,,"
    ontario = import_orgs(orgs_file(tmp_path, board, line.format(TWELVE)), actor_label="test")
    assert problems(ontario) == [
        f"row 3, number: “{TWELVE}” is not a school number: it should be five or six digits, "
        "like 019186."
    ]
    settings.CAPACITY_SCHOOL_NUMBER_PATTERN = r"\d{12}"
    settings.CAPACITY_SCHOOL_NUMBER_EXAMPLE = "123456789012"
    national = import_orgs(orgs_file(tmp_path, board, line.format("019186")), actor_label="test")
    assert problems(national) == [
        "row 3, number: “019186” is not a school number: it should be 12 digits, like 123456789012."
    ]


def test_the_school_information_table_reads_twelve_digit_schools(db, national, tmp_path) -> None:
    path = write_csv(
        tmp_path / "sif_data_table_2023_2024_en.csv",
        [
            school_row(**{"School Number": TWELVE}),
            school_row(**{"School Number": "12345", "School Name": "Short Public School"}),
        ],
    )
    refused = import_sif(path, actor_label="test")
    assert not refused.applied
    assert problems(refused) == [f"row 3, School Number: {TOO_SHORT}"]

    path = write_csv(
        tmp_path / "sif_data_table_2023_2024_en.csv", [school_row(**{"School Number": TWELVE})]
    )
    report = import_sif(path, actor_label="test")
    assert problems(report) == []
    assert report.applied
    assert School.objects.get(number=TWELVE).name == "Anna McCrea Public School"


def test_people_are_placed_in_twelve_digit_schools(db, national, tmp_path) -> None:
    SchoolFactory(number=TWELVE, board=BoardFactory(number="B70001"))
    path = tmp_path / "people.csv"
    path.write_text(
        "username,email,given_name,family_name,role,organisation,title\n"
        f"p.roy,p.roy@example.org,Pat,Roy,principal,{TWELVE},Principal\n",
        encoding="utf-8",
    )
    report = import_people(path, actor_label="test")
    assert problems(report) == []
    assert Membership.objects.get(user__username="p.roy", role=Role.PRINCIPAL).school.number == (
        TWELVE
    )

    path.write_text(
        "username,email,given_name,family_name,role,organisation,title\n"
        "q.roy,q.roy@example.org,Quinn,Roy,principal,12345,Principal\n",
        encoding="utf-8",
    )
    refused = import_people(path, actor_label="test")
    assert problems(refused) == [
        "row 2, organisation: The principal role is held in a school: give its number, like "
        "123456789012, not “12345”."
    ]


def test_a_roster_keys_schools_by_twelve_digit_identifiers(db, national, tmp_path) -> None:
    folder = roster(tmp_path)
    for number in ("019186", "920533", "023549", "999991"):
        edit(folder, "orgs.csv", f"school,{number},", f"school,420000{number},")
    report = import_oneroster(folder, actor_label="test")
    assert problems(report) == []
    assert report.applied
    assert School.objects.get(number="420000019186").name == "Anna McCrea Public School"

    folder = roster(tmp_path / "again")
    report = import_oneroster(folder, actor_label="test", dry_run=True)
    assert "row 5, orgs.csv: identifier: A school's identifier must be its school number " in (
        "\n".join(problems(report))
    )
    assert "(12 digits, like 123456789012), not “019186”." in "\n".join(problems(report))


def test_the_model_validates_against_the_configured_scheme(db, national) -> None:
    school = SchoolFactory.build(number=TWELVE, board=BoardFactory())
    school.full_clean()
    school.number = "019186"
    with pytest.raises(ValidationError) as refused:
        school.full_clean()
    assert refused.value.message_dict["number"] == [
        "“019186” is not a school number: it should be 12 digits, like 123456789012."
    ]


def test_the_model_holds_twenty_characters(db, settings) -> None:
    settings.CAPACITY_SCHOOL_NUMBER_PATTERN = r"[A-Z]{2}\d{18}"
    settings.CAPACITY_SCHOOL_NUMBER_PAD = 0
    settings.CAPACITY_SCHOOL_NUMBER_EXAMPLE = "FR" + "0" * 18
    number = "FR" + "1" * 18
    school = SchoolFactory(number=number)
    school.full_clean()
    assert School.objects.get(pk=school.pk).number == number


def test_ontario_model_validation_is_unchanged(db) -> None:
    school = SchoolFactory.build(number="1234567", board=BoardFactory())
    with pytest.raises(ValidationError) as refused:
        school.full_clean()
    assert refused.value.message_dict["number"] == [
        "“1234567” is not a school number: it should be five or six digits, like 019186."
    ]


def test_a_person_names_a_school_without_its_dropped_zero(db) -> None:
    stored = SchoolFactory(number="019186")
    assert find_organisation(role=Role.PRINCIPAL, reference="19186") == stored
    assert find_organisation(role=Role.PRINCIPAL, reference=" 019186 ") == stored
    assert find_organisation(role=Role.PRINCIPAL, reference="1918") is None
