"""One school-year rule for every app (capacity/schoolyears.py)."""

from __future__ import annotations

from capacity.schoolyears import (
    is_school_year,
    normal_year,
    school_year_label,
    year_in,
    year_start_of,
)


def test_labels_and_starts() -> None:
    assert school_year_label(2018) == "2018-19" and school_year_label(1999) == "1999-00"
    assert year_start_of("2018-19") == 2018
    assert (
        is_school_year("2018-19")
        and not is_school_year("2018-20")
        and not is_school_year("2018-2019")
    )


def test_it_reads_years_as_people_and_file_names_spell_them() -> None:
    assert (
        normal_year(" 2018-2019 ") == normal_year("2018_19") == normal_year("2018/19") == "2018-19"
    )
    assert normal_year("2018-20") is None and normal_year("18-19") is None
    assert year_in("sif_data_table_2017_2018_en") == "2017-18"
    assert year_in("SIF_1718_EQAO1718_EN") == "2017-18"
    assert year_in("SIFprelim23-24_EN") == "2023-24"
    assert year_in("schools") is None


def test_the_century_turns_in_every_spelling() -> None:
    assert normal_year("1999-2000") == normal_year("1999-00") == "1999-00"
    assert is_school_year("1999-00") and not is_school_year("1999-01")
    assert year_in("sif_data_table_1999_2000_en") == "1999-00"


def test_it_finds_no_year_where_the_numbers_do_not_follow_or_stand_alone() -> None:
    assert is_school_year(None) is False and is_school_year("") is False
    assert normal_year("2018") is None and normal_year("2018-19-20") is None
    # A single year, or two years that do not follow, is not a school year.
    assert year_in("results_2019.csv") is None
    assert year_in("sif_2017_2019_en") is None
    # A longer number (a school number, a date) holds no year.
    assert year_in("export-20190615") is None
