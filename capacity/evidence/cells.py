"""The long format's rules for single cells, shared by the reader and the engine's checks.

capacity/evidence/readers.py reads files and Ontario's table a chunk at a time;
capacity/evidence/checks.py judges a long-format file's distinct cells with
these same functions, so each rule (what a school year, a figure, a status or a
name may look like, and how it is tidied) is written once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from capacity.imports.patterns import NUMBER_PATTERN, THOUSANDS_PATTERN
from capacity.schoolyears import normal_year

LEVELS = ("pct_level_1", "pct_level_2", "pct_level_3", "pct_level_4")
FIGURES = ("participating", "pct_at_standard", *LEVELS)
STATUSES = ("nr", "nd", "sp")
DEFAULT_GROUP = "all"
LEVEL_SUM_TOLERANCE = 1.5
MAX_PARTICIPATING = 2_147_483_647  # the database column is a 32-bit integer
MAX_GROUP_LENGTH = 40
ASSESSMENT_PATTERN = r"^[A-Z0-9-]{2,20}$"
LONG_STATUS_CODES = {"nr": "nr", "n/r": "nr", "nd": "nd", "n/d": "nd", "sp": "sp"}


@dataclass
class _Coded:
    """A column as its distinct cells (trimmed text) and, per row, which of them the row holds.

    Checks run on `values` (few) and reach the rows through `codes`.
    """

    values: pa.Array
    codes: np.ndarray

    @classmethod
    def of(cls, array: pa.Array) -> _Coded:
        if pa.types.is_integer(array.type) or pa.types.is_floating(array.type):
            # A typed Parquet column: NaN is a missing value, and 69.0 reads "69".
            array = pc.cast(
                pc.if_else(
                    pc.is_nan(array) if pa.types.is_floating(array.type) else pc.is_null(array),
                    pa.scalar(None, array.type),
                    array,
                ),
                pa.string(),
            )
        encoded = array if pa.types.is_dictionary(array.type) else pc.dictionary_encode(array)
        values = encoded.dictionary
        if not pa.types.is_string(values.type):
            values = pc.cast(values, pa.string())
        values = pc.utf8_trim_whitespace(values)
        indices = encoded.indices
        if indices.null_count:
            values = pa.concat_arrays([values, pa.array([""], pa.string())])
            indices = pc.fill_null(indices, len(values) - 1)
        return cls(values, np.asarray(indices.to_numpy(zero_copy_only=False), dtype=np.int64))

    def rows(self, per_value: np.ndarray) -> np.ndarray:
        """A verdict on each distinct cell, for each row."""
        return per_value[self.codes]

    def spread(self, per_value: pa.Array) -> pa.Array:
        """A column computed on the distinct cells, for each row."""
        return pc.take(per_value, pa.array(self.codes))

    def cell(self, row: int | np.integer[Any]) -> str:
        return str(self.values[int(self.codes[row])].as_py())

    def blank(self) -> np.ndarray:
        return self.rows(_np(pc.equal(pc.utf8_length(self.values), 0)))


def _np(array: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """A boolean column as numpy, nulls as False."""
    return np.asarray(pc.fill_null(array, False).to_numpy(zero_copy_only=False), dtype=bool)


def _figures(column: _Coded, *, percent: bool) -> tuple[pa.Array, np.ndarray, np.ndarray]:
    """(numbers, not a number, blank) per row: "69", "69.5", "69 %" (when `percent`) or "1,280"."""
    text = column.values
    if percent:
        text = pc.replace_substring_regex(text, r"\s*%$", "")
    text = pc.if_else(
        pc.match_substring_regex(text, THOUSANDS_PATTERN), pc.replace_substring(text, ",", ""), text
    )
    empty = _np(pc.equal(pc.utf8_length(text), 0))
    good = _np(pc.match_substring_regex(text, NUMBER_PATTERN))
    numbers = pc.cast(pc.if_else(pa.array(good), text, pa.scalar(None, pa.string())), pa.float64())
    return column.spread(numbers), column.rows(~good & ~empty), column.rows(empty)


def _school_years(text: pa.Array) -> tuple[pa.Array, np.ndarray]:
    """(school years as 2018-19, not a school year) for distinct cells like "2018-19", "2018-2019" or "2018_19".

    The cells are the few distinct values of a column, so the one rule in
    capacity/schoolyears.py is applied to each in Python.
    """
    given = text.to_pylist()
    canonical = [normal_year(value) if value else None for value in given]
    wrong = np.array(
        [bool(value) and year is None for value, year in zip(given, canonical, strict=True)],
        dtype=bool,
    )
    return pa.array(
        [year or value for value, year in zip(given, canonical, strict=True)], pa.string()
    ), wrong


def _map(array: pa.Array, mapping: dict[str, str]) -> pa.Array:
    """Each cell replaced by its value in `mapping`; null when it has none."""
    keys = list(mapping)
    positions = pc.index_in(array, value_set=pa.array(keys, pa.string()))
    return pc.take(pa.array([mapping[key] for key in keys], pa.string()), positions)


def _clean_names(array: pa.Array) -> pa.Array:
    """Text with runs of spaces (common in published tables) collapsed to one."""
    return pc.utf8_trim_whitespace(pc.replace_substring_regex(pc.fill_null(array, ""), r"\s+", " "))
