"""The commands that change a workbook (``importer --appliquer``, ``cloturer``, ``baremes``): only the sheets they change.

Why: loading and saving a whole workbook with openpyxl takes seconds at 10 000
rows, rewrites every part (a closing grew a file from 388 KB to 1.09 MB) and
drops what openpyxl does not know. Here new rows are spliced into the sheet's
XML and every other part of the zip is copied byte for byte (``xlsx.copy_with_changes``);
the previous version is copied aside first, the new one written to a temporary
file, fsynced and renamed (``atomic``), one writer at a time (``lock``).
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import stat
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import Any, Iterator
from xml.sax.saxutils import escape

from ..atomic import atomic_path, copy_file
from ..batch import xlsx
from ..errors import XlaeError, os_reason
from ..files import writable_target
from ..lock import workbook_lock
from ..template import layout
from .archive import DAMAGED_ADVICE
from .model import SHEETS, Books, column_index

RECALC_NOTE = ("Les chiffres de la Synthèse seront recalculés à l'ouverture du classeur dans Excel ou "
               "LibreOffice ; pour une copie calculée sans tableur : « xlae recalculer ».")
WORKSHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
WORKSHEET_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
# Excel's built-in formats for a new style when a column has none: short date, amount with two decimals.
BUILTIN_FORMATS = {"date": 14, "amount": 4}
_ROW = re.compile(rb"<(?:\w+:)?row\b[^>]*?\br\s*=\s*[\"'](\d+)[\"'][^>]*?(/?)>")
_ROW_END = re.compile(rb"</(?:\w+:)?row>")
_CELL = re.compile(rb"<(?:\w+:)?c\b[^>]*?\br\s*=\s*[\"']([A-Z]+)\d+[\"'][^>]*?(?:/>|>.*?</(?:\w+:)?c>)", re.S)
_STYLE = re.compile(rb"\bs\s*=\s*[\"'](\d+)[\"']")
_COL = re.compile(rb"<(?:\w+:)?col\b([^>]*?)/?>")
_SHEET_DATA_END = re.compile(rb"</(?:\w+:)?sheetData>|<(?:\w+:)?sheetData\s*/>")
_DIMENSION = re.compile(rb"(<(?:\w+:)?dimension\b[^>]*?\bref\s*=\s*[\"'])([^\"']*)([\"'])")
_AUTO_FILTER = re.compile(rb"(<(?:\w+:)?autoFilter\b[^>]*?\bref\s*=\s*[\"'])([^\"']*)([\"'])")
_CELL_XFS = re.compile(rb"<((?:\w+:)?)cellXfs\b([^>]*?)count\s*=\s*[\"'](\d+)[\"']([^>]*)>(.*?)</(?:\w+:)?cellXfs>", re.S)


@dataclass
class Edits:
    """New rows for some sheets of one workbook, written in one save."""

    books: Books
    rows: dict[str, dict[int, list[Any]]] = field(default_factory=dict)   # sheet -> row -> values by column
    kinds: dict[str, dict[str, str]] = field(default_factory=dict)        # sheet -> letter -> date|amount
    hidden: set[str] = field(default_factory=set)                          # sheets to hide and protect
    recalc_on_open: bool = False   # the ledgers changed: the Synthèse's cached values are stale
    filters: dict[str, str] = field(default_factory=dict)                 # sheet -> new autoFilter range

    def put(self, sheet: str, row: int, values: list[Any] | dict[str, Any],
            kinds: dict[str, str] | None = None) -> None:
        """``values`` in the sheet's column order (layout), from column A; or by column letter (a dict)."""
        self.rows.setdefault(sheet, {})[row] = values
        if kinds:
            self.kinds.setdefault(sheet, {}).update(kinds)


@contextmanager
def writing(path: str | os.PathLike[str], command: str) -> Iterator[Path]:
    """The real file behind ``path``, locked for ``command`` from before reading until after saving.

    Why: a second writer reading the workbook before the first one saved would
    write its version over the first one's rows. A symbolic link is followed (its
    target is the file updated); a read-only or hard-linked file is refused.
    """
    if not os.path.lexists(path):
        yield Path(path)  # open_books says it does not exist
        return
    real = writable_target(path)
    with workbook_lock(real, command):
        yield real


def refuse_if_open_in_excel(path: Path) -> None:
    """Excel (« ~$nom ») and LibreOffice (« .~lock.nom# ») leave a lock file beside an open workbook."""
    for lock in (path.with_name("~$" + path.name), path.with_name(f".~lock.{path.name}#")):
        if lock.exists():
            raise XlaeError(f"classeur : {path.name} semble ouvert dans un tableur (fichier {lock.name}) ; "
                            "fermez-le puis relancez la commande.", "classeur")


def backup_name(path: Path, now: dt.datetime | None = None) -> Path:
    """« FICHIER.sauvegarde-AAAAMMJJ-HHMMSS.xlsx », never an existing file."""
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    candidate = path.with_name(f"{path.stem}.sauvegarde-{stamp}{path.suffix}")
    counter = 2
    while os.path.lexists(candidate):
        candidate = path.with_name(f"{path.stem}.sauvegarde-{stamp}-{counter}{path.suffix}")
        counter += 1
    return candidate


def save(edits: Edits) -> Path:
    """Copy the previous version aside, then write the changed parts to a temporary file and rename.

    Both the backup and the new version go through a temporary file, fsync and a
    rename: a crash or a full disk never leaves a truncated file under either name.
    Returns the backup's path.
    """
    path = edits.books.path
    mode, backup = _backup(path)
    try:
        with zipfile.ZipFile(backup) as archive:  # the backup holds the very bytes that were read
            changes = changed_parts(archive, edits)
            with atomic_path(path, mode=mode, suffix=path.suffix) as temporary, open(temporary, "wb") as stream:
                xlsx.copy_with_changes(archive, stream, changes)
    except OSError as error:
        raise _write_failed(path, backup, error) from None
    except (zipfile.BadZipFile, ValueError, KeyError):
        raise XlaeError(f"classeur : {path.name} n'est pas un classeur Excel lisible (archive ou contenu XML "
                        f"endommagé) : {DAMAGED_ADVICE} ; rien n'a été modifié.", "classeur") from None
    return backup


def _backup(path: Path) -> tuple[int, Path]:
    """(mode of ``path``, its backup copy): refused while Excel holds the file; the workbook is untouched."""
    refuse_if_open_in_excel(path)
    mode = stat.S_IMODE(path.stat().st_mode)
    backup = None
    try:
        while backup is None:
            candidate = backup_name(path)
            try:
                copy_file(path, candidate)
                backup = candidate
            except FileExistsError:  # taken meanwhile: the next name
                continue
    except OSError as error:
        raise XlaeError(f"classeur : impossible d'écrire la sauvegarde dans le dossier de {path.name} "
                        f"({os_reason(error)}) ; le classeur n'a pas été modifié.", "classeur") from None
    return mode, backup


def _write_failed(path: Path, backup: Path, error: OSError) -> XlaeError:
    return XlaeError(f"classeur : écriture de {path.name} impossible ({os_reason(error)}) ; le fichier "
                     f"d'origine est intact, sauvegarde : {backup.name}.", "classeur")


def changed_parts(archive: zipfile.ZipFile, edits: Edits) -> dict[str, bytes | None]:
    """New bytes of each zip member that changes: the edited sheets, and for a new sheet its entries."""
    package = xlsx.read_package(archive)
    changes: dict[str, bytes | None] = {}
    styles = _Styles(archive)
    for sheet, rows in edits.rows.items():
        columns = SHEETS.get(sheet, ())   # another sheet (Barèmes): rows given by column letter
        part = package.sheets.get(sheet)
        if part is None:
            part = _new_sheet(archive, changes, sheet, hidden=sheet in edits.hidden)
            xml = _empty_sheet([c.title for c in columns], sheet in edits.hidden)
        else:
            xml = archive.read(part)
            if sheet in edits.hidden:
                xml = _protected(xml)
        letters = [c.letter for c in columns] if columns else []
        xml = _with_rows(xml, rows, letters, edits.kinds.get(sheet, {}), styles)
        if sheet in edits.filters:
            xml = _AUTO_FILTER.sub(lambda m: m.group(1) + edits.filters[sheet].encode() + m.group(3), xml, count=1)
        changes[part] = xml
    workbook = xlsx.workbook_path(archive)
    for sheet in edits.hidden:
        hidden = _hidden_in_workbook(changes.get(workbook) or archive.read(workbook), sheet)
        if hidden != archive.read(workbook):
            changes[workbook] = hidden
    if edits.recalc_on_open:
        changes[workbook] = _full_calc_on_load(changes.get(workbook) or archive.read(workbook))
    if styles.changed:
        changes[styles.part] = styles.xml
    return changes


# --- sheet XML ---------------------------------------------------------------------------------


def _with_rows(xml: bytes, rows: dict[int, list[Any]], letters: list[str], kinds: dict[str, str],
               styles: "_Styles") -> bytes:
    """The worksheet with ``rows`` written (cells of these columns replaced, others kept).

    Only the tail of ``<sheetData>``, from the row above the first written one, is
    parsed (found from the end): appending to a 100 000-row sheet costs its copy.
    """
    prefix = _prefix(xml)
    data = xml.find(b"<" + prefix + b"sheetData")
    if data < 0:
        raise ValueError("feuille sans sheetData")
    empty = re.compile(rb"<" + re.escape(prefix) + rb"sheetData\s*/>").match(xml, data)
    if empty:  # <sheetData/>: no rows yet
        xml = xml[:data] + b"<" + prefix + b"sheetData></" + prefix + b"sheetData>" + xml[empty.end():]
    close = xml.rfind(b"</" + prefix + b"sheetData>")
    column_styles = _column_styles(xml[:data])
    start = _tail_start(xml, prefix, min(rows) - 1, data, close)
    segment = _segment_with_rows(xml[start:close], prefix, rows, letters, kinds, styles, column_styles)
    used = letters + [letter for values in rows.values() if isinstance(values, dict) for letter in values]
    return _dimension(xml[:start] + segment + xml[close:], max(rows), used)


def _tail_start(xml: bytes, prefix: bytes, lowest: int, data: int, close: int) -> int:
    """Where the rows numbered ``lowest`` or more begin (rows are in order), scanning back from the end."""
    needle = b"<" + prefix + b"row"
    position = start = close
    while True:
        found = xml.rfind(needle, data, position)
        if found < 0:
            return start
        match = _ROW.match(xml, found)
        position = found
        if match is None:
            continue
        if int(match.group(1)) < lowest:
            return start
        start = found


def _segment_with_rows(segment: bytes, prefix: bytes, rows: dict[int, list[Any]], letters: list[str],
                       kinds: dict[str, str], styles: "_Styles", column_styles: dict[int, bytes]) -> bytes:
    """The rows of ``segment`` (a run of ``<row>`` elements) with ``rows`` written in it, in row order."""
    existing = {int(m.group(1)): m for m in _ROW.finditer(segment)}
    pieces: list[bytes] = []
    position = 0
    inserts: dict[int, bytes] = {}
    for number in sorted(rows):
        above = _row_styles(segment, existing.get(number - 1))
        own = _row_styles(segment, existing.get(number))
        given = rows[number]
        pairs = list(given.items()) if isinstance(given, dict) else list(zip(letters, given))
        written = [letter for letter, _ in pairs]
        cells = []
        for letter, value in pairs:
            style = own.get(letter) or column_styles.get(column_index(letter)) or above.get(letter)
            kind = kinds.get(letter)
            if style is None and kind and value is not None:
                style = styles.builtin(kind)
            cells.append(_cell(prefix, f"{letter}{number}", value, style))
        match = existing.get(number)
        if match is None:
            inserts[number] = (b"<" + prefix + b"row r=\"" + str(number).encode() + b"\">" + b"".join(cells)
                               + b"</" + prefix + b"row>")
            continue
        start, body_start = match.start(), match.end()
        if match.group(2) == b"/":   # <row r="7"/>: no cells yet
            end, body = body_start, b""
            head = segment[start:body_start - 2].rstrip() + b">"
        else:
            close = _ROW_END.search(segment, body_start)
            end, body = close.end(), segment[body_start:close.start()]
            head = segment[start:body_start]
        kept = [(column_index(m.group(1).decode()), m.group(0)) for m in _CELL.finditer(body)
                if m.group(1).decode() not in written]
        merged = sorted(kept + [(column_index(letter), cell) for letter, cell in zip(written, cells)])
        pieces += [segment[position:start], head, b"".join(c for _, c in merged), b"</" + prefix + b"row>"]
        position = end
    segment = b"".join(pieces) + segment[position:]
    if not inserts:
        return segment
    pieces, position = [], 0
    pending = sorted(inserts.items())
    for match in _ROW.finditer(segment):  # new rows in row order among the existing ones
        while pending and pending[0][0] < int(match.group(1)):
            pieces += [segment[position:match.start()], pending.pop(0)[1]]
            position = match.start()
    return b"".join(pieces) + segment[position:] + b"".join(row for _, row in pending)


def _row_styles(xml: bytes, match: re.Match[bytes] | None) -> dict[str, bytes]:
    if match is None or match.group(2) == b"/":
        return {}
    close = _ROW_END.search(xml, match.end())
    found = {}
    for cell in _CELL.finditer(xml, match.end(), close.start()):
        head = cell.group(0)[:cell.group(0).index(b">")]
        style = _STYLE.search(head)
        if style and style.group(1) != b"0":
            found[cell.group(1).decode()] = style.group(1)
    return found


def _column_styles(xml: bytes) -> dict[int, bytes]:
    styles: dict[int, bytes] = {}
    for raw in _COL.findall(xml):
        attrs = xlsx.attributes(raw)
        if attrs.get("style", "0") == "0":
            continue
        for index in range(int(attrs.get("min", 0)), int(attrs.get("max", 0)) + 1):
            if index <= 16384:
                styles[index] = attrs["style"].encode()
    return styles


def _prefix(xml: bytes) -> bytes:
    match = re.search(rb"<(\w+:)?worksheet\b", xml[:4096])
    return (match.group(1) or b"") if match else b""


def _cell(prefix: bytes, ref: str, value: Any, style: bytes | None) -> bytes:
    head = b"<" + prefix + b'c r="' + ref.encode() + b'"' + (b' s="' + style + b'"' if style else b"")
    if value is None or value == "":
        return head + b"/>"
    if isinstance(value, bool):
        return head + b' t="b"><' + prefix + b"v>" + (b"1" if value else b"0") + b"</" + prefix + b"v></" + prefix + b"c>"
    if isinstance(value, (dt.date, int, float, Decimal)):
        kind, text = xlsx.cached_value(value)
        if kind is not None or (isinstance(value, float) and not math.isfinite(value)):
            raise ValueError(f"valeur {value!r} impossible à écrire en {ref}")
        return head + b"><" + prefix + b"v>" + text.encode() + b"</" + prefix + b"v></" + prefix + b"c>"
    return (head + b' t="inlineStr"><' + prefix + b'is><' + prefix + b't xml:space="preserve">'
            + xlsx.xml_text(str(value)).encode("utf-8") + b"</" + prefix + b"t></" + prefix + b"is></" + prefix + b"c>")


def _dimension(xml: bytes, last_row: int, letters: list[str]) -> bytes:
    match = _DIMENSION.search(xml)
    if match is None:
        return xml
    ref = match.group(2).decode()
    parts = re.fullmatch(r"([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?", ref)
    if parts is None:
        return xml
    first_col, first_row = parts.group(1), int(parts.group(2))
    last_col = parts.group(3) or first_col
    end_row = max(int(parts.group(4) or first_row), last_row)
    widest = max(letters, key=column_index)
    if column_index(widest) > column_index(last_col):
        last_col = widest
    new = f"{first_col}{first_row}:{last_col}{end_row}".encode()
    return xml[:match.start(2)] + new + xml[match.end(2):]


def _empty_sheet(titles: list[str], protected: bool) -> bytes:
    header = b"".join(_cell(b"", f"{chr(65 + i)}{layout.HEADER_ROW}", t, None) for i, t in enumerate(titles))
    return (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            b'<worksheet xmlns="' + xlsx.MAIN_NS.encode() + b'"><dimension ref="A1"/>'
            b'<cols><col min="7" max="7" width="68" customWidth="1"/></cols>'
            b'<sheetData><row r="1">' + header + b"</row></sheetData>"
            + (b'<sheetProtection sheet="1"/>' if protected else b"") + b"</worksheet>")


_PROTECTION = re.compile(rb"<(?:\w+:)?sheetProtection\b[^>]*?(/?)>")
_SHEET_ATTRIBUTE = re.compile(rb"\s+sheet\s*=\s*(\"[^\"]*\"|'[^']*')")


def _protected(xml: bytes) -> bytes:
    """Sheet protection on: ``sheet="1"`` on its ``<sheetProtection>``, added right after sheetData if none."""
    found = _PROTECTION.search(xml)
    if found:
        element = _SHEET_ATTRIBUTE.sub(b"", found.group(0))
        cut = len(element) - len(found.group(1)) - 1
        return xml[:found.start()] + element[:cut] + b' sheet="1"' + element[cut:] + xml[found.end():]
    end = _SHEET_DATA_END.search(xml)
    return xml[:end.end()] + b"<" + _prefix(xml) + b'sheetProtection sheet="1"/>' + xml[end.end():]


def _new_sheet(archive: zipfile.ZipFile, changes: dict[str, bytes | None], sheet: str, hidden: bool) -> str:
    """Entries of a new worksheet in workbook.xml, its relationships and [Content_Types].xml; its part name."""
    names = set(archive.namelist())
    number = 1
    while f"xl/worksheets/sheet{number}.xml" in names:
        number += 1
    part = f"xl/worksheets/sheet{number}.xml"
    workbook = xlsx.workbook_path(archive)
    rels = str(PurePosixPath(workbook).parent / "_rels" / (PurePosixPath(workbook).name + ".rels"))
    rels_xml = archive.read(rels)
    ids = {int(i) for i in re.findall(rb'Id\s*=\s*["\']rId(\d+)["\']', rels_xml)}
    rel_id = f"rId{max(ids, default=0) + 1}"
    rels_xml = rels_xml.replace(b"</Relationships>", f'<Relationship Id="{rel_id}" Type="{WORKSHEET_REL}" '
                                f'Target="/{part}"/></Relationships>'.encode())
    book_xml = changes.get(workbook) or archive.read(workbook)
    sheet_ids = [int(i) for i in re.findall(rb"<(?:\w+:)?sheet\b[^>]*?\bsheetId\s*=\s*[\"'](\d+)[\"']", book_xml)]
    rel_prefix = re.search(rb'xmlns:(\w+)\s*=\s*["\']http://schemas.openxmlformats.org/officeDocument/2006/'
                           rb'relationships["\']', book_xml)
    if rel_prefix is None:
        book_xml = re.sub(rb"<((?:\w+:)?)workbook\b", rb'<\1workbook xmlns:r="http://schemas.openxmlformats.org/'
                          rb'officeDocument/2006/relationships"', book_xml, count=1)
        r = b"r"
    else:
        r = rel_prefix.group(1)
    close = re.search(rb"</((?:\w+:)?)sheets>", book_xml)
    element = (b"<" + close.group(1) + b'sheet name="' + escape(sheet, {'"': "&quot;"}).encode("utf-8")
               + b'" sheetId="' + str(max(sheet_ids, default=0) + 1).encode() + b'"'
               + (b' state="hidden"' if hidden else b"") + b" " + r + b':id="' + rel_id.encode() + b'"/>')
    changes[workbook] = book_xml[:close.start()] + element + book_xml[close.start():]
    changes[rels] = rels_xml
    types = archive.read("[Content_Types].xml")
    changes["[Content_Types].xml"] = types.replace(
        b"</Types>", f'<Override PartName="/{part}" ContentType="{WORKSHEET_TYPE}"/></Types>'.encode())
    return part


def _full_calc_on_load(book_xml: bytes) -> bytes:
    """``<calcPr fullCalcOnLoad="1">``: Excel and LibreOffice recompute every formula when opening."""
    match = re.search(rb"<((?:\w+:)?)calcPr\b([^>]*?)(/?)>", book_xml)
    if match is None:
        close = re.search(rb"</((?:\w+:)?)workbook>", book_xml)
        return book_xml[:close.start()] + b"<" + close.group(1) + b'calcPr fullCalcOnLoad="1"/>' + book_xml[close.start():]
    attrs = re.sub(rb"\s+fullCalcOnLoad\s*=\s*(\"[^\"]*\"|'[^']*')", b"", match.group(2))
    element = b"<" + match.group(1) + b"calcPr" + attrs + b' fullCalcOnLoad="1"' + match.group(3) + b">"
    return book_xml[:match.start()] + element + book_xml[match.end():]


def _hidden_in_workbook(book_xml: bytes, sheet: str) -> bytes:
    """The sheet's ``<sheet>`` element with ``state="hidden"``."""
    name = escape(sheet, {'"': "&quot;"}).encode("utf-8")
    pattern = re.compile(rb"<(?:\w+:)?sheet\b[^>]*?\bname\s*=\s*[\"']" + re.escape(name) + rb"[\"'][^>]*?/?>")
    match = pattern.search(book_xml)
    if match is None or re.search(rb"\bstate\s*=\s*[\"']hidden[\"']", match.group(0)):
        return book_xml
    element = re.sub(rb"\s+state\s*=\s*[\"'][^\"']*[\"']", b"", match.group(0))
    element = re.sub(rb"\s*(/?>)$", rb' state="hidden"\1', element)
    return book_xml[:match.start()] + element + book_xml[match.end():]


class _Styles:
    """styles.xml, touched only when a new cell needs a built-in date or amount format."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.part = next((n for n in archive.namelist() if n.lower().endswith("styles.xml")), "xl/styles.xml")
        self._archive = archive
        self.xml: bytes | None = None
        self.changed = False
        self._added: dict[str, bytes] = {}

    def builtin(self, kind: str) -> bytes | None:
        if kind in self._added:
            return self._added[kind]
        if self.xml is None:
            try:
                self.xml = self._archive.read(self.part)
            except KeyError:
                return None
        match = _CELL_XFS.search(self.xml)
        if match is None:
            return None
        count = int(match.group(3))
        xf = (b"<" + match.group(1) + b'xf numFmtId="' + str(BUILTIN_FORMATS[kind]).encode()
              + b'" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>')
        body_end = match.end(5)
        self.xml = (self.xml[:match.start(3)] + str(count + 1).encode() + self.xml[match.end(3):body_end]
                    + xf + self.xml[body_end:])
        self.changed = True
        self._added[kind] = str(count).encode()
        return self._added[kind]
