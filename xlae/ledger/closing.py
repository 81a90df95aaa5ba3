"""Closing a period: SHA-256 fingerprints of its rows, kept in a hidden sheet « Clôtures ».

Why: an inspector's worry with a spreadsheet is that it can be edited after
the fact. Once a period is closed, each of its rows (Recettes and Achats dated
in the period) has a recorded fingerprint over a canonical text of its cells;
any change, addition or removal shows up in ``xlae verifier``. The protection
is evidence, not a lock: the read-only archive copy made at closing, kept
elsewhere, is the proof.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..errors import XlaeError
from ..rules.money import to_decimal
from ..template import layout
from ..books.cells import cell_amount, lenient_date
from ..books.model import LEDGERS, Books, LedgerRow
from ..books.write import Edits

OBJET_PERIODE = layout.CLOTURE_OBJET_PERIODE


def canonical(value: Any) -> str:
    """Stable text of a cell value: ISO dates, exact decimals, stripped text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "VRAI" if value else "FAUX"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (int, float, Decimal)):
        number = to_decimal(value).normalize()
        return format(number, "f")
    return str(value).strip()


def row_digest(row: LedgerRow) -> str:
    columns = LEDGERS[row.sheet]
    text = "\x1f".join([row.sheet] + [canonical(row.get(c.key)) for c in columns])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def period_fingerprint(digests: list[tuple[str, str]]) -> str:
    """SHA-256 over the (sheet, row digest) pairs of the period, in book order."""
    text = "\n".join(f"{sheet}:{digest}" for sheet, digest in digests)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def rows_in(book: Books, debut: dt.date, fin: dt.date) -> list[LedgerRow]:
    """Rows of both ledgers whose date (even typed as text) falls in [debut, fin]."""
    found = []
    for sheet in LEDGERS:
        for row in book.rows(sheet):
            day = lenient_date(row.get("date"))
            if day is not None and debut <= day <= fin:
                found.append(row)
    return found


@dataclass
class Closure:
    """One closed period as recorded in the Clôtures sheet."""

    periode: str
    debut: dt.date
    fin: dt.date
    cloturee_le: str
    empreinte: str
    nombre: int
    total: str
    archive: str
    sheet_row: int
    lines: list[tuple[str, int, str]] = field(default_factory=list)   # (sheet, row at closing, digest)


def read_closures(book: Books) -> tuple[list[Closure], list[str]]:
    """Closures recorded in the workbook, and problems of the Clôtures sheet itself."""
    if not book.has(layout.SHEET_CLOTURES):
        return [], []
    closures: dict[str, Closure] = {}
    problems: list[str] = []
    for number, cells in enumerate(book.sheet_values(layout.SHEET_CLOTURES, layout.FIRST_DATA_ROW,
                                                     len(layout.CLOTURES_COLUMNS)),
                                   start=layout.FIRST_DATA_ROW):
        values = dict(zip((c.key for c in layout.CLOTURES_COLUMNS), cells))
        if all(v is None for v in values.values()):
            continue
        periode = str(values["periode"] or "")
        try:
            if values["objet"] == OBJET_PERIODE:
                closures[periode] = Closure(periode, dt.date.fromisoformat(str(values["debut"])),
                                            dt.date.fromisoformat(str(values["fin"])), str(values["cloturee_le"]),
                                            str(values["empreinte"]), int(values["nombre"]), str(values["total"]),
                                            str(values["archive"] or ""), number)
            else:
                closures[periode].lines.append((str(values["objet"]), int(values["ligne"]),
                                                str(values["empreinte"])))
        except (KeyError, ValueError, TypeError):
            problems.append(f"ligne {number} illisible : le registre des clôtures a été modifié à la main")
    for closure in closures.values():
        stored = period_fingerprint([(sheet, digest) for sheet, _, digest in closure.lines])
        if stored != closure.empreinte or len(closure.lines) != closure.nombre:
            problems.append(f"ligne {closure.sheet_row} : les empreintes enregistrées pour {closure.periode} "
                            "ne correspondent plus à l'empreinte de la période ; le registre des clôtures "
                            "a été modifié")
    return list(closures.values()), problems


@dataclass(frozen=True)
class Tampering:
    sheet: str
    row: int
    message: str


def compare(book: Books, closure: Closure) -> list[Tampering]:
    """Rows of a closed period changed, added or removed since the closing."""
    current = [(row, row_digest(row)) for row in rows_in(book, closure.debut, closure.fin)]
    unmatched_now = Counter((row.sheet, digest) for row, digest in current)
    removed = [(s, r) for s, r, d in closure.lines if not _consume(unmatched_now, (s, d))]
    unmatched_stored = Counter((sheet, digest) for sheet, _, digest in closure.lines)
    added = [(row.sheet, row.row) for row, d in current if not _consume(unmatched_stored, (row.sheet, d))]
    when = f"clôturée le {stamp_day(closure.cloturee_le)}"
    paired = set(added) & set(removed)
    found = [Tampering(s, r, f"ligne modifiée après la clôture de {closure.periode} ({when})")
             for s, r in sorted(paired)]
    found += [Tampering(s, r, f"une ligne de {closure.periode} ({when}), ligne {r} lors de la clôture, "
                              "a été supprimée ou sa date a changé") for s, r in removed if (s, r) not in paired]
    found += [Tampering(s, r, f"ligne ajoutée dans {closure.periode} après sa clôture ({when})")
              for s, r in added if (s, r) not in paired]
    return found


def _consume(counter: Counter, key: tuple[str, str]) -> bool:
    """Take one ``key`` from ``counter``; False when none is left."""
    if counter[key] > 0:
        counter[key] -= 1
        return True
    return False


def stamp_day(stamp: str) -> str:
    try:
        return f"{dt.date.fromisoformat(stamp[:10]):%d/%m/%Y}"
    except ValueError:
        return stamp


def closure_rows(periode: str, debut: dt.date, fin: dt.date, rows: list[LedgerRow], archive: str,
                 now: dt.datetime) -> list[list[Any]]:
    """Rows to append to the Clôtures sheet: the period's fingerprint, then one per ledger row."""
    digests = [(row.sheet, row.row, row_digest(row)) for row in rows]
    fingerprint = period_fingerprint([(s, d) for s, _, d in digests])
    total = sum((cell_amount(row.get("montant"))[0] or Decimal(0) for row in rows
                 if row.sheet == layout.SHEET_RECETTES), Decimal(0))
    stamp = now.isoformat(timespec="seconds")
    head = [periode, debut.isoformat(), fin.isoformat(), stamp, OBJET_PERIODE, None, fingerprint,
            len(digests), format(total, "f"), archive]
    lines = [[periode, debut.isoformat(), fin.isoformat(), stamp, sheet, number, digest, None, None, None]
             for sheet, number, digest in digests]
    return [head, *lines]


def append_closure(book: Books, rows: list[list[Any]]) -> Edits:
    """The rows for the hidden, protected Clôtures sheet (created when missing), after its last used row."""
    used = book.sheet_values(layout.SHEET_CLOTURES, layout.FIRST_DATA_ROW, 1) if book.has(layout.SHEET_CLOTURES) else []
    next_row = layout.FIRST_DATA_ROW + len(used)
    while next_row > layout.FIRST_DATA_ROW and used[next_row - 1 - layout.FIRST_DATA_ROW][0] is None:
        next_row -= 1
    edits = Edits(book, hidden={layout.SHEET_CLOTURES})
    for offset, values in enumerate(rows):
        edits.put(layout.SHEET_CLOTURES, next_row + offset, values)
    return edits


def closed_on(closures: list[Closure], day: dt.date) -> Closure | None:
    for closure in closures:
        if closure.debut <= day <= closure.fin:
            return closure
    return None


def require_readable(problems: list[str], book: Books) -> None:
    if problems:
        raise XlaeError(f"{book.name}, feuille {layout.SHEET_CLOTURES} : {problems[0]}.", "classeur")
