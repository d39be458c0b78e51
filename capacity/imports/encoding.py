"""Decide a text file's encoding strictly: UTF-8, or Windows-1252 as Ontario publishes, never a mix.

A file is UTF-8 when every byte is valid UTF-8. It is Windows-1252 (or
Latin-1, when a byte has no meaning in Windows-1252) when no line holds UTF-8
beyond plain ASCII. A file with both is refused, naming the lines that are not
UTF-8: re-reading the whole of a mostly-UTF-8 file as Windows-1252 because of
one stray byte would garble every accented name in it ("Ã©cole" for "école").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

BLOCK = 1 << 22
UTF8_BOM = b"\xef\xbb\xbf"
# Bytes Windows-1252 leaves undefined: a file holding one is read as Latin-1.
CP1252_UNDEFINED = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")
# One well-formed UTF-8 character beyond ASCII.
UTF8_CHARACTER = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}|\xed[\x80-\x9f][\x80-\xbf]"
    rb"|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)


@dataclass
class TextScan:
    """What a scan found: the encoding to read with (None when the file mixes encodings) and its lines."""

    encoding: str | None
    lines: int
    # Lines (numbered from 1) that are not UTF-8 in a file otherwise UTF-8.
    bad_lines: list[int] = field(default_factory=list)
    bom: bool = False


def scan_text(path: Path) -> TextScan:
    """Read a file once in large blocks and decide its encoding. Blocks of plain ASCII are not decoded."""
    utf8_seen = False
    bad_lines: list[int] = []
    cp1252 = True
    lines = 0
    carry = b""
    bom = False
    last = b""
    with path.open("rb") as handle:
        first = True
        while True:
            block = handle.read(BLOCK)
            if first:
                bom = block.startswith(UTF8_BOM)
                if bom:
                    block = block[len(UTF8_BOM) :]
                    utf8_seen = True
                first = False
            if not block:
                break
            last = block[-1:]
            block = carry + block
            cut = block.rfind(b"\n") + 1
            whole, carry = block[:cut], block[cut:]
            if whole:
                utf8_seen |= _scan_lines(whole, lines, bad_lines)
                cp1252 &= not CP1252_UNDEFINED.search(whole)
                lines += whole.count(b"\n")
    if carry:
        utf8_seen |= _scan_lines(carry, lines, bad_lines)
        cp1252 &= not CP1252_UNDEFINED.search(carry)
    if last and last != b"\n":
        lines += 1
    if not bad_lines:
        return TextScan("utf-8", lines, bom=bom)
    if utf8_seen:
        return TextScan(None, lines, bad_lines, bom=bom)
    return TextScan("cp1252" if cp1252 else "latin-1", lines, bom=bom)


def _scan_lines(block: bytes, before: int, bad_lines: list[int]) -> bool:
    """Record the lines of `block` (whole lines, after `before` others) that are not UTF-8; True if any is."""
    if block.isascii():
        return False
    try:
        block.decode("utf-8")
        return True
    except UnicodeDecodeError:
        pass
    utf8 = False
    for number, line in enumerate(block.split(b"\n"), start=before + 1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            utf8 = True
        except UnicodeDecodeError:
            bad_lines.append(number)
            utf8 |= UTF8_CHARACTER.search(line) is not None
    return utf8
