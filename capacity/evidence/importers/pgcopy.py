"""Arrow tables in PostgreSQL's binary COPY format, built with numpy a block of rows at a time.

Why not CSV: measured on a million results under the same load, PostgreSQL
reads binary COPY about 2.5 times as fast as CSV (no number to parse; a
float is eight bytes swapped into place), and numpy builds it about twice as
fast as pyarrow writes the CSV (no number to format). Both ends of a first
load's COPY shrink (benchmarks/RESULTS.md, "PostgreSQL first load").

The format (PostgreSQL's documentation, COPY, "Binary Format"): a signature,
then per row a 16-bit count of fields and, per field, a 32-bit length (-1
for NULL) followed by that many bytes: big-endian integers and IEEE floats,
text as its UTF-8 bytes. Rows differ in length only where a field is NULL or
a text's length differs, so the rows are grouped by that *layout* (a table of
results has a handful: reported or not, and the few lengths of a group's
name) and every group is one numpy structured array, written with one
`tobytes()`. Row order does not matter to COPY.

`encodable` says when a table cannot be written this way (a number out of
its column's range, a text too long to be grouped); the caller then writes
CSV and lets PostgreSQL refuse the value with its own message.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

SIGNATURE = b"PGCOPY\n\xff\r\n\x00" + struct.pack(">ii", 0, 0)
TRAILER = struct.pack(">h", -1)

# PostgreSQL type (as format_type names it) -> the big-endian numpy type of its binary form;
# None for text, sent as its UTF-8 bytes.
TYPES: dict[str, str | None] = {
    "bigint": ">i8",
    "integer": ">i4",
    "smallint": ">i2",
    "double precision": ">f8",
    "character varying": None,
    "text": None,
}
# A text's length is part of a row's layout key, in ten bits.
MAX_TEXT_BYTES = 1022


def encodable(table: pa.Table, fields: Sequence[tuple[str, str]]) -> bool:
    """Whether every value fits its column's binary form (otherwise write CSV)."""
    for name, kind in fields:
        column = table[name]
        numpy_type = TYPES[kind]
        if numpy_type is None:
            if not (pa.types.is_string(column.type) or pa.types.is_large_string(column.type)):
                return False
            longest = pc.max(pc.binary_length(column)).as_py()
            if longest is not None and longest > MAX_TEXT_BYTES:
                return False
        elif numpy_type[1] == "i":
            if not pa.types.is_integer(column.type):
                return False
            bounds = np.iinfo(np.dtype(numpy_type))
            least, most = pc.min_max(column).values()
            if least.as_py() is not None and (
                least.as_py() < bounds.min or most.as_py() > bounds.max
            ):
                return False
        elif not pa.types.is_floating(column.type):
            return False
    return True


def binary_rows(table: pa.Table, fields: Sequence[tuple[str, str]]) -> Iterator[bytes]:
    """The rows of `table` as binary COPY data, one block per layout (no signature, no trailer).

    `fields` are (column, PostgreSQL type) in the COPY's column order; check
    the table with `encodable` first.
    """
    rows = table.num_rows
    if not rows:
        return
    types = [TYPES[kind] for _name, kind in fields]
    widths = np.empty((len(fields), rows), np.int64)
    key = np.zeros(rows, np.int64)
    for index, ((name, _kind), numpy_type) in enumerate(zip(fields, types, strict=True)):
        column = table[name]
        if numpy_type is None:
            widths[index] = pc.binary_length(column).fill_null(-1).to_numpy()
            key = key * 1024 + widths[index] + 1
        else:
            widths[index] = np.dtype(numpy_type).itemsize
            if column.null_count:
                widths[index][np.asarray(column.is_null().to_numpy(zero_copy_only=False))] = -1
            key = key * 2 + (widths[index] > 0)
    order = np.argsort(key, kind="stable")
    ordered_key = key[order]
    starts = np.flatnonzero(np.r_[True, ordered_key[1:] != ordered_key[:-1]])
    bounds = np.r_[starts, rows]
    ordered = table.take(pa.array(order))
    for start, stop in zip(bounds[:-1], bounds[1:], strict=True):
        count = int(stop - start)
        layout = widths[:, order[start]]
        parts: list[tuple[str, str]] = [("fields", ">i2")]
        for index, width in enumerate(layout):
            parts.append((f"length{index}", ">i4"))
            if width > 0:
                parts.append((f"value{index}", types[index] or f"S{width}"))
        template = np.zeros(1, np.dtype(parts))
        template["fields"] = len(fields)
        for index, width in enumerate(layout):
            template[f"length{index}"] = width
        block = np.repeat(template, count)
        for index, width in enumerate(layout):
            if width <= 0:
                continue
            column = ordered[fields[index][0]].slice(start, count).combine_chunks()
            if types[index] is not None:
                block[f"value{index}"] = column.to_numpy(zero_copy_only=False)
                continue
            # Every text in this block is `width` bytes long, so its bytes are the block's texts.
            offset_type = np.int64 if pa.types.is_large_string(column.type) else np.int32
            offsets = np.frombuffer(
                column.buffers()[1],
                offset_type,
                count + 1,
                column.offset * np.dtype(offset_type).itemsize,
            )
            data = np.frombuffer(column.buffers()[2], np.uint8)[offsets[0] : offsets[-1]]
            block[f"value{index}"] = data.view(f"S{width}")
        yield block.tobytes()


__all__ = ["SIGNATURE", "TRAILER", "TYPES", "binary_rows", "encodable"]
