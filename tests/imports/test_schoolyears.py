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
