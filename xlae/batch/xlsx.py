"""The xlsx package at the byte level: parts, defined names, formula cells, cached values.

Why: re-saving a workbook through openpyxl reads and rewrites every cell (13 s
for 100 000 ledger rows) while only the formula cells' values change. Here the
computed copy is the input zip with its untouched members copied *raw* (no
decompression) and only the worksheets that hold formulas rewritten, each
formula cell keeping its ``<f>`` and style and getting a cached ``<v>``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import os
import re
import struct
import threading
import zipfile
import zlib
from dataclasses import dataclass
from decimal import Decimal
from html import unescape
from pathlib import PurePosixPath
from typing import Any, BinaryIO, Mapping
from xml.sax.saxutils import escape

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
CALC_CHAIN_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.calcChain+xml"
EXCEL_EPOCH = dt.datetime(1899, 12, 30)
EXCEL_ERRORS = ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA")

_SHEET = re.compile(rb"<(?:\w+:)?sheet\b([^>]*?)/?>")
_ATTR = re.compile(rb"([\w:]+)\s*=\s*(\"[^\"]*\"|'[^']*')")
_RELATIONSHIP = re.compile(rb"<(?:\w+:)?Relationship\b([^>]*?)/?>")
_DEFINED_NAME = re.compile(rb"<(?:\w+:)?definedName\b([^>]*)>(.*?)</(?:\w+:)?definedName>", re.S)
_FORMULA = re.compile(rb"<(?:\w+:)?f\b[^>]*?(?:/>|>.*?</(?:\w+:)?f>)", re.S)
_FORMULA_TEXT = re.compile(rb"<(?:\w+:)?f\b[^>]*>(.*?)</(?:\w+:)?f>", re.S)
_CELL_OPEN = re.compile(rb"<((?:\w+:)?)c\b")
_CELL_START = re.compile(rb"<(?:\w+:)?c[\s>]")
_CELL_CLOSE = re.compile(rb"</(?:\w+:)?c>")
_ROOT = re.compile(rb"<(\w+:)?worksheet\b")
_CALC_PR = re.compile(rb"<((?:\w+:)?)calcPr\b([^>]*?)(/?)>")
_REF_ATTR = re.compile(rb"(?<![\w:])r\s*=\s*(\"[^\"]*\"|'[^']*')")
_TYPE_ATTR = re.compile(rb"\s+t\s*=\s*(\"[^\"]*\"|'[^']*')")


def _attrs(raw: bytes) -> dict[str, str]:
    return {k.decode(): unescape(v[1:-1].decode("utf-8")) for k, v in _ATTR.findall(raw)}


@dataclass(frozen=True)
class Package:
    """What the batch needs to know of an xlsx zip, read without parsing the cells."""

    sheets: dict[str, str]           # sheet name -> member path ("xl/worksheets/sheet3.xml")
    defined_names: dict[str, str]    # name (lower case) -> reference text ("'Paramètres'!$B$2")


def read_package(archive: zipfile.ZipFile) -> Package:
    """Sheet parts and defined names, from workbook.xml and its relationships.

    Memoised on those two parts' bytes (a batch of standard workbooks has the same ones, and every
    workbook asked it twice: the parts check, then the readers); each caller gets its own dicts.
    """
    main = workbook_path(archive)
    workbook = archive.read(main)
    rels_path = str(PurePosixPath(main).parent / "_rels" / (PurePosixPath(main).name + ".rels"))
    rels = archive.read(rels_path)
    key = (main, workbook, rels)
    known = _PACKAGES.get(key)
    if known is None:
        known = _PACKAGES[key] = _package(main, workbook, rels)
        if len(_PACKAGES) > _LAYOUTS_KEPT:
            del _PACKAGES[next(iter(_PACKAGES))]  # oldest first
    return Package(dict(known.sheets), dict(known.defined_names))


_PACKAGES: dict[tuple[str, bytes, bytes], Package] = {}


def _package(main: str, workbook: bytes, rels: bytes) -> Package:
    targets = {}
    for raw in _RELATIONSHIP.findall(rels):
        attrs = _attrs(raw)
        targets[attrs.get("Id", "")] = attrs.get("Target", "")
    base = PurePosixPath(main).parent
    sheets = {}
    for raw in _SHEET.findall(workbook):
        attrs = _attrs(raw)
        rel = next((v for k, v in attrs.items() if k.endswith(":id")), "")
        target = targets.get(rel)
        if target is None:
            continue
        path = target.lstrip("/") if target.startswith("/") else str(base / target)
        sheets[attrs.get("name", "")] = _normalise_member(path)
    names = {}
    for raw, text in _DEFINED_NAME.findall(workbook):
        attrs = _attrs(raw)
        if "localSheetId" in attrs:
            continue
        names[attrs.get("name", "").lower()] = unescape(text.decode("utf-8")).strip()
    return Package(sheets, names)


def workbook_path(archive: zipfile.ZipFile) -> str:
    for raw in _RELATIONSHIP.findall(archive.read("_rels/.rels")):
        attrs = _attrs(raw)
        if attrs.get("Type", "").endswith("/officeDocument"):
            return attrs.get("Target", "xl/workbook.xml").lstrip("/")
    return "xl/workbook.xml"


def _normalise_member(path: str) -> str:
    parts: list[str] = []
    for part in path.split("/"):
        if part == "..":
            if parts:
                parts.pop()
        elif part not in ("", "."):
            parts.append(part)
    return "/".join(parts)


_REF = re.compile(r"^(?:'((?:[^']|'')+)'|([^!]+))!\$?([A-Z]{1,3})\$?(\d+)$")


def split_reference(text: str) -> tuple[str, str] | None:
    """``'Paramètres'!$B$2`` → ("Paramètres", "B2"); None for ranges and formulas."""
    match = _REF.match(text.strip())
    if not match:
        return None
    sheet = match.group(1).replace("''", "'") if match.group(1) is not None else match.group(2)
    return sheet, match.group(3) + match.group(4)


@dataclass(frozen=True)
class _FormulaCell:
    """One formula cell of a worksheet, as ``with_cached_values`` rewrites it."""

    start: int
    end: int
    ref: str
    text: str      # formula text as stored, unescaped (no '=')
    head: bytes    # start tag without its ``t`` attribute nor a closing '/'
    body: bytes    # the <f> element, byte for byte, then the opening <v>
    close: bytes   # </v></c> (with the namespace prefix of the cell element)

    @property
    def number_head(self) -> bytes:
        """What precedes a number's text: start tag (no type), <f>, <v>."""
        return self.head + b">" + self.body


@dataclass(frozen=True)
class _Layout:
    """The formula cells of a sheet and, for a sheet up to ``_GAPS_MAX``, the bytes around and of them.

    Why the bytes: a copy's sheet is then written from the layout alone (no slicing of the XML,
    and no inflating of a member already known by its raw bytes, ``member_layout``).
    """

    cells: tuple[_FormulaCell, ...]
    gaps: tuple[bytes, ...] | None       # before each cell, then after the last (None: large sheet)
    originals: tuple[bytes, ...] | None  # each cell as stored
    number_heads: tuple[bytes, ...] | None = None  # each cell's ``number_head``


_LAYOUTS: dict[bytes, _Layout] = {}
_LAYOUTS_KEPT = 8  # distinct sheets remembered: a batch of standard workbooks has one Synthèse per --lignes
_GAPS_MAX = 4 << 20  # a ledger sheet with formulas (37 MB at 100 000 rows) is not copied into the memo


def _formula_layout(xml: bytes) -> _Layout:
    """The formula cells of ``xml``, parsed once per distinct sheet (keyed by its BLAKE2 digest).

    Why: every standard workbook of a batch holds the same Synthèse XML (≈ 400 KB,
    ≈ 700 formulas); listing its formulas and patching its values scanned it twice
    per workbook, about half the time of a small workbook.
    """
    key = hashlib.blake2b(xml, digest_size=20).digest()
    layout = _LAYOUTS.get(key)
    if layout is None:
        cells = tuple(_parse_formula_cell(xml, start, end) for start, end in _formula_cell_spans(xml))
        gaps = originals = None
        if len(xml) <= _GAPS_MAX:
            ends = [0] + [cell.end for cell in cells]
            gaps = tuple(xml[end:cell.start] for end, cell in zip(ends, cells)) + (xml[ends[-1]:],)
            originals = tuple(xml[cell.start:cell.end] for cell in cells)
        layout = _Layout(cells, gaps, originals,
                         tuple(cell.number_head for cell in cells) if gaps is not None else None)
        _remember(_LAYOUTS, key, layout)
    return layout


def _remember(memo: dict, key: Any, value: Any) -> None:
    if len(memo) >= _LAYOUTS_KEPT:
        del memo[next(iter(memo))]  # oldest first
    memo[key] = value


_MEMBER_LAYOUTS: dict[tuple, _Layout] = {}


def member_layout(archive: zipfile.ZipFile, member: str) -> tuple[_Layout, bytes | None]:
    """(layout, XML) of a sheet member; XML None when the layout came from a member with the same raw
    bytes (``raw_key``): nothing inflated. Raises what ``ZipFile.read`` raises."""
    key = raw_key(archive, archive.getinfo(member))
    layout = _MEMBER_LAYOUTS.get(key) if key is not None else None
    if layout is not None:
        return layout, None
    xml = archive.read(member)
    layout = _formula_layout(xml)
    if key is not None and layout.gaps is not None:
        _remember(_MEMBER_LAYOUTS, key, layout)
    return layout, xml


def raw_key(archive: zipfile.ZipFile, info: zipfile.ZipInfo, largest: int = _GAPS_MAX) -> tuple | None:
    """What identifies a member's bytes exactly, read raw (no inflating); None: read it the usual way.

    (name, compression, CRC, size, BLAKE2 of the compressed bytes): equal compressed bytes inflate
    to equal bytes. The local header is checked as zipfile checks it when it opens a member
    (signature, same name decoded the same way, no encryption nor other flags), so a member
    zipfile would refuse never passes for a known one. Members above ``largest`` bytes: None.
    """
    if info.file_size > largest or info.flag_bits & ~_FLAGS_KNOWN or \
            info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        return None
    try:
        handle = archive.fp
        handle.seek(info.header_offset)
        header = handle.read(30)
        if len(header) != 30 or header[:4] != b"PK\x03\x04":
            return None
        flags = struct.unpack("<H", header[6:8])[0]
        if flags & ~_FLAGS_KNOWN or (flags ^ info.flag_bits) & 0x800:  # zipfile decodes the name by these
            return None
        name_length, extra_length = struct.unpack("<HH", header[26:30])
        name = handle.read(name_length)
        if name != info.orig_filename.encode("utf-8" if info.flag_bits & 0x800 else "cp437"):
            return None
        handle.seek(extra_length, 1)
        data = handle.read(info.compress_size)
    except (OSError, ValueError, AttributeError, UnicodeEncodeError, struct.error):
        return None
    if len(data) != info.compress_size:
        return None
    return (info.filename, info.compress_type, info.CRC, info.file_size,
            hashlib.blake2b(data, digest_size=20).digest())


_FLAGS_KNOWN = 0x808  # UTF-8 names, data descriptor: anything else takes zipfile's own way


def _parse_formula_cell(xml: bytes, start: int, end: int) -> _FormulaCell:
    cell = xml[start:end]
    head = cell[:cell.index(b">")]
    text = _FORMULA_TEXT.search(cell)
    formula = text.group(1).decode("utf-8") if text else ""
    ref = _REF_ATTR.search(head)
    prefix = _CELL_OPEN.match(cell).group(1)
    return _FormulaCell(
        start, end, unescape(ref.group(1)[1:-1].decode("utf-8")) if ref else "",
        unescape(formula) if "&" in formula else formula, _TYPE_ATTR.sub(b"", head.rstrip(b"/")),
        _FORMULA.search(cell).group(0) + b"<" + prefix + b"v>", b"</" + prefix + b"v></" + prefix + b"c>")


def formula_cells(xml: bytes) -> dict[str, str]:
    """Every formula cell of a worksheet: ref -> formula text as stored (no '=')."""
    return {cell.ref: cell.text for cell in _formula_layout(xml).cells}


def member_formula_cells(archive: zipfile.ZipFile, member: str) -> dict[str, str]:
    """``formula_cells`` of a member of ``archive`` (not inflated when its raw bytes are known)."""
    return {cell.ref: cell.text for cell in member_layout(archive, member)[0].cells}


def formula_needle(xml: bytes) -> bytes:
    """« <f » with the namespace prefix of the sheet's root element (read from its first 4 KiB): every
    formula cell holds it, so a sheet without it has none."""
    prefix = _ROOT.search(xml, 0, 4096)
    return b"<" + ((prefix.group(1) or b"") if prefix else b"") + b"f"


def _formula_cell_spans(xml: bytes) -> list[tuple[int, int]]:
    """(start, end) of each <c> element holding an <f>, found from the <f> tags (linear).

    ``<f>`` is the first child of its cell, so the cell's start tag is just before it.
    """
    needle = formula_needle(xml)
    spans = []
    position = 0
    while True:
        found = xml.find(needle, position)
        if found < 0:
            return spans
        if xml[found + len(needle):found + len(needle) + 1] not in (b" ", b">", b"/", b"\t", b"\r", b"\n"):
            position = found + len(needle)
            continue
        match = _FORMULA.match(xml, found)
        # the cell's start tag is just before: look close first (the latest start wins either way)
        starts = list(_CELL_START.finditer(xml, max(0, found - 160), found)) or list(
            _CELL_START.finditer(xml, max(0, found - 1000), found))
        close = _CELL_CLOSE.search(xml, match.end()) if match else None
        if not starts or close is None:
            raise ValueError("cellule de formule mal formée dans la feuille")
        spans.append((starts[-1].start(), close.end()))
        position = close.end()


_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text: str) -> str:
    """A cell text as XML: escaped, the characters XML 1.0 forbids written as Excel's ``_xHHHH_``."""
    return escape(_XML_ILLEGAL.sub(lambda m: f"_x{ord(m.group(0)):04X}_", text))


def cached_value(value: Any) -> tuple[str | None, str]:
    """(cell type attribute, text of <v>) for a computed value."""
    if value.__class__ is float and math.isfinite(value):  # most summary cells
        return None, _number(value)
    if isinstance(value, bool):
        return "b", "1" if value else "0"
    if isinstance(value, dt.datetime):
        return None, _number((value - EXCEL_EPOCH) / dt.timedelta(days=1))
    if isinstance(value, dt.date):
        return None, str((value - EXCEL_EPOCH.date()).days)
    if isinstance(value, (int, float, Decimal)):
        number = float(value)
        if not math.isfinite(number):
            return "e", "#NUM!"
        return None, _number(number)
    if value is None:
        return "str", ""
    text = str(value)
    if text in EXCEL_ERRORS:
        return "e", text
    return "str", text


def _number(number: float) -> str:
    if number.is_integer() and abs(number) < 1e15:
        return str(int(number))
    return repr(number)


def with_cached_values(xml: bytes, values: Mapping[str, Any]) -> tuple[bytes, set[str]]:
    """The worksheet XML with a cached value in each formula cell named in ``values``.

    Returns the new XML and the refs that were written; formulas, styles and
    every other cell are kept byte for byte.
    """
    return _patched(_formula_layout(xml), xml, values)


def member_with_cached_values(archive: zipfile.ZipFile, member: str,
                              values: Mapping[str, Any]) -> tuple[bytes, set[str]]:
    """``with_cached_values`` of a member of ``archive`` (not inflated when its raw bytes are known)."""
    layout, xml = member_layout(archive, member)
    if layout.gaps is None and xml is None:  # never: large sheets are not remembered by raw key
        xml = archive.read(member)
    return _patched(layout, xml, values)


_MISSING = object()


def _patched(layout: _Layout, xml: bytes | None, values: Mapping[str, Any]) -> tuple[bytes, set[str]]:
    gaps, originals = layout.gaps, layout.originals
    if gaps is None:  # a large sheet: the pieces are sliced from its XML
        ends = [0] + [cell.end for cell in layout.cells]
        gaps = [xml[end:cell.start] for end, cell in zip(ends, layout.cells)] + [xml[ends[-1]:]]
        originals = [xml[cell.start:cell.end] for cell in layout.cells]
    heads = layout.number_heads or [cell.number_head for cell in layout.cells]
    pieces: list[bytes] = []
    append = pieces.append
    written: set[str] = set()
    add = written.add
    get = values.get
    isfinite = math.isfinite
    for cell, gap, original, head in zip(layout.cells, gaps, originals, heads):
        append(gap)
        value = get(cell.ref, _MISSING)
        if value is _MISSING:
            append(original)
            continue
        if value.__class__ is float and isfinite(value):  # most cells: cached_value's first case, inline
            append(head)
            append((str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)).encode())
            append(cell.close)
        else:
            kind, text = cached_value(value)
            if kind is None:  # a number: nothing to escape
                pieces += [head, text.encode(), cell.close]
            else:
                pieces += [cell.head, b' t="', kind.encode(), b'">', cell.body, escape(text).encode("utf-8"),
                           cell.close]
        add(cell.ref)
    append(gaps[-1])
    return b"".join(pieces), written


def without_full_calc(workbook_xml: bytes) -> bytes:
    """Drop ``fullCalcOnLoad`` so that viewers show the cached values instead of recomputing."""

    def fix(match: re.Match[bytes]) -> bytes:
        attrs = re.sub(rb"\s+fullCalcOnLoad\s*=\s*(\"[^\"]*\"|'[^']*')", b"", match.group(2))
        return b"<" + match.group(1) + b"calcPr" + attrs + match.group(3) + b">"

    return _CALC_PR.sub(fix, workbook_xml)


def without_calc_chain(content_types: bytes, rels: bytes) -> tuple[bytes, bytes]:
    """[Content_Types].xml and workbook rels without their calcChain entries."""
    content_types = re.sub(rb"<Override\b[^>]*calcChain[^>]*/>", b"", content_types)
    rels = re.sub(rb"<Relationship\b[^>]*calcChain[^>]*/>", b"", rels)
    return content_types, rels


def copy_with_changes(source: zipfile.ZipFile, target: BinaryIO, changes: Mapping[str, bytes | None],
                      compresslevel: int = 6) -> None:
    """Write ``source`` to ``target``: members in ``changes`` replaced (None: dropped) or added,
    compressed at ``compresslevel``; the others copied raw, still compressed, so a 100 000-row
    sheet costs a disk copy."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        infos = source.infolist()
        for info in infos:
            if info.filename in changes:
                data = changes[info.filename]
                if data is not None:
                    fresh = zipfile.ZipInfo(info.filename, info.date_time)
                    fresh.compress_type = zipfile.ZIP_DEFLATED
                    fresh.external_attr = info.external_attr
                    _write_new(out, fresh, data, compresslevel)
                continue
            _copy_raw(source, info, out)
        present = {info.filename for info in infos}
        stamp = infos[0].date_time if infos else (1980, 1, 1, 0, 0, 0)
        for name, data in changes.items():
            if name not in present and data is not None:
                fresh = zipfile.ZipInfo(name, stamp)
                fresh.compress_type = zipfile.ZIP_DEFLATED
                _write_new(out, fresh, data, compresslevel)


# A part this large (the ledger sheet importer and cloturer rewrite: 37 MB at 100 000 rows, 0.5 s at
# level 6) is deflated in two halves on two threads (zlib releases the GIL), the second primed with
# the last 32 KiB of the first: one valid deflate stream, ~100 bytes larger, in half the time.
PARALLEL_DEFLATE_BYTES = 8 << 20
_WINDOW = 32 << 10


def _write_new(out: zipfile.ZipFile, info: zipfile.ZipInfo, data: bytes, level: int) -> None:
    if len(data) < PARALLEL_DEFLATE_BYTES or (os.cpu_count() or 1) < 2:
        out.writestr(info, data, compresslevel=level)
        return
    _write_member(out, info, deflated_in_halves(data, level), zlib.crc32(data), len(data))


def deflated_in_halves(data: bytes, level: int) -> bytes:
    """Raw deflate of ``data`` at ``level``, its two halves compressed side by side (see above)."""
    view = memoryview(data)
    middle = len(data) // 2
    first: list[bytes] = []

    def deflate_first() -> None:
        compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
        first.append(compressor.compress(view[:middle]) + compressor.flush(zlib.Z_SYNC_FLUSH))  # byte-aligned

    helper = threading.Thread(target=deflate_first, name="xlae-deflate")
    helper.start()
    try:
        second = zlib.compressobj(level, zlib.DEFLATED, -15, zdict=view[max(0, middle - _WINDOW):middle])
        rest = second.compress(view[middle:]) + second.flush()
    finally:
        helper.join()
    if not first:
        raise zlib.error("compression interrompue")
    return first[0] + rest


def _write_member(out: zipfile.ZipFile, info: zipfile.ZipInfo, compressed: bytes, crc: int, size: int) -> None:
    """Append a member already deflated (local header, data; the directory entry is written at close)."""
    info.compress_type = zipfile.ZIP_DEFLATED
    info.flag_bits = 0  # FileHeader and the directory add the UTF-8 flag for a non-ASCII name
    info.CRC = crc
    info.compress_size = len(compressed)
    info.file_size = size
    stream = out.fp
    info.header_offset = stream.tell()
    stream.write(info.FileHeader(zip64=size > zipfile.ZIP64_LIMIT or len(compressed) > zipfile.ZIP64_LIMIT))
    stream.write(compressed)
    out.filelist.append(info)
    out.NameToInfo[info.filename] = info
    out.start_dir = stream.tell()
    out._didModify = True  # noqa: SLF001 - the end record must be written on close


def _copy_raw(source: zipfile.ZipFile, info: zipfile.ZipInfo, out: zipfile.ZipFile) -> None:
    """Copy one member's compressed bytes as they are (zipfile has no public API for it)."""
    if info.flag_bits & 0x1:  # encrypted member: never in an xlsx, recompress to be safe
        out.writestr(info, source.read(info.filename))
        return
    handle = source.fp
    handle.seek(info.header_offset)
    header = handle.read(30)
    if len(header) != 30 or header[:4] != b"PK\x03\x04":
        raise zipfile.BadZipFile(f"en-tête local invalide pour {info.filename}")
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    handle.seek(info.header_offset + 30 + name_length + extra_length)
    copy = zipfile.ZipInfo(info.filename, info.date_time)
    copy.compress_type = info.compress_type
    copy.external_attr = info.external_attr
    copy.create_system = info.create_system
    copy.flag_bits = info.flag_bits & 0x800  # keep the UTF-8 flag, drop the data-descriptor bit
    copy.CRC = info.CRC
    copy.compress_size = info.compress_size
    copy.file_size = info.file_size
    stream = out.fp
    copy.header_offset = stream.tell()
    stream.write(copy.FileHeader(zip64=info.file_size > zipfile.ZIP64_LIMIT
                                 or info.compress_size > zipfile.ZIP64_LIMIT))
    remaining = info.compress_size
    while remaining:
        chunk = handle.read(min(remaining, 1 << 20))
        if not chunk:
            raise zipfile.BadZipFile(f"membre {info.filename} tronqué")
        stream.write(chunk)
        remaining -= len(chunk)
    out.filelist.append(copy)
    out.NameToInfo[copy.filename] = copy
    out.start_dir = stream.tell()
    out._didModify = True  # noqa: SLF001 - the end record must be written on close


__all__ = ["Package", "read_package", "split_reference", "formula_cells", "member_formula_cells", "cached_value",
           "with_cached_values", "member_with_cached_values", "raw_key", "without_full_calc", "without_calc_chain",
           "copy_with_changes"]


# Public names for the formulas engine's trimmed copy (xlae.formules).
formula_cell_spans = _formula_cell_spans
attributes = _attrs
