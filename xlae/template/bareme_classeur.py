"""A workbook's own Barèmes sheet as a rates object, and how it differs from the installed rates sheet.

Why: the native Synthèse computes with the Barèmes sheet of its workbook, so a
user who edits a rate row or adds a 2027 row sees new figures in any
spreadsheet; ``xlae recalculer`` must compute with the same rows (or its cached
values would contradict the workbook's own formulas), and ``xlae baremes``
must know which rows the user added before it replaces the others.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Iterable, Iterator, Sequence

from .. import rates as R
from ..errors import XlaeError
from . import layout as L
from . import natif as N

Key = tuple[str, str, str, dt.date]


def _text(value: Any) -> str:
    """A cell value as the CSV text ``rates.parse_rates`` reads."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return str(Decimal(repr(value)).normalize()) if value == value else "nan"
    return str(value)


def rates_from_rows(rows: Sequence[Sequence[Any]], origin: str) -> R.Rates:
    """The rates of a Barèmes sheet given as rows of cell values (row 1 = header, as the template writes it).

    Errors are the rates sheet's own French messages, « Barème <origin>, ligne N, colonne … »,
    N being the sheet row. The version cell (M2) becomes ``rates.version``.
    """
    width = len(R.COLUMNS)
    header = tuple(_text(v).strip() for v in (list(rows[0]) if rows else [])[:width])
    if header != R.COLUMNS:
        raise XlaeError(f"Barème {origin} : ligne 1, en-tête « {', '.join(header)} » au lieu de "
                        f"« {', '.join(R.COLUMNS)} ».", "classeur")
    data = [list(r)[:width] + [None] * (width - len(r)) for r in rows[1:]]
    while data and all(_text(v).strip() == "" for v in data[-1]):
        data.pop()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(R.COLUMNS)
    writer.writerows([_text(v) for v in row] for row in data)
    parsed = R.parse_rates(out.getvalue(), origin)
    column = ord(N.VERSION_COL) - ord("A")
    version = rows[N.VERSION_ROW - 1][column] if len(rows) >= N.VERSION_ROW and len(rows[N.VERSION_ROW - 1]) > column \
        else None
    if isinstance(version, dt.datetime):
        version = version.date()
    parsed.version = version if isinstance(version, dt.date) else None
    return parsed


def grid_rates(grid: Sequence[Sequence[Any]] | None, origin: str) -> R.Rates | None:
    """``rates_from_rows`` of a sheet read by the batch.

    None (compute with the installed rates) when the workbook has no Barèmes sheet or
    an entirely empty one (hand-made stand-ins of the template); any content is read.
    """
    if grid is None:
        return None
    try:
        # the values and their types (TRUE is not 1, a date is not a datetime); -0.0 and 0.0 are
        # one key, for the same figures
        key = (tuple(map(tuple, grid)), tuple(tuple(map(type, row)) for row in grid))
        known = _READ.get(key)
    except TypeError:  # a cell value that cannot be a key (not from a reader): no memo
        key, known = None, None
    if known is not None:
        return known.renamed(origin)
    if all(_text(v).strip() == "" for row in grid for v in row):
        return None
    rates = rates_from_rows(grid, origin)
    if key is not None:
        if len(_READ) >= _READ_KEPT:
            del _READ[next(iter(_READ))]  # oldest first
        _READ[key] = rates
    return rates


# Barèmes sheets already read, by their cell values: every standard workbook of a batch holds the
# same one, which took ~6 ms to read as a rates sheet (the key ~0.2 ms); its twin (``Rates.renamed``) also keeps the
# memos of the rates in use (~3 ms of each Synthèse evaluation). Errors are not kept.
_READ: dict[tuple, R.Rates] = {}
_READ_KEPT = 8


@contextmanager
def using(rates: R.Rates | None) -> Iterator[None]:
    """Compute with ``rates`` (a workbook's) inside the block, then with the previous rates again."""
    if rates is None:
        yield
        return
    previous = R._current
    R._current = rates
    try:
        yield
    finally:
        R._current = previous


def key(rate: R.Rate) -> Key:
    return rate.parametre, rate.categorie, rate.zone, rate.date_effet


@dataclass(frozen=True)
class Difference:
    """Rows of a workbook's Barèmes against the installed rates sheet."""

    added: list[R.Rate]      # rows the installed sheet does not have (the user's own)
    changed: list[R.Rate]    # installed rows whose value was edited in the workbook (the workbook's version)
    missing: list[R.Rate]    # installed rows the workbook lacks (an older Barèmes)

    @property
    def same(self) -> bool:
        return not (self.added or self.changed or self.missing)


def difference(workbook: R.Rates, installed: R.Rates) -> Difference:
    mine = {key(r): r for r in workbook.rows}
    theirs = {key(r): r for r in installed.rows}
    return Difference(added=[r for k, r in mine.items() if k not in theirs],
                      changed=[r for k, r in mine.items() if k in theirs and r.valeur != theirs[k].valeur],
                      missing=[r for k, r in theirs.items() if k not in mine])


def describe(rate: R.Rate) -> str:
    """« plafond_ca / vente / toutes au 01/01/2027 = 190000 »."""
    value = format(rate.valeur.normalize(), "f")
    return f"{rate.parametre} / {rate.categorie} / {rate.zone} au {rate.date_effet:%d/%m/%Y} = {value}"


def recalc_note(diff: Difference, version: dt.date | None) -> str | None:
    """French note of ``xlae recalculer`` for a workbook whose Barèmes is not the installed one."""
    if not (diff.changed or diff.missing):
        return None
    parts = []
    if diff.changed:
        parts.append(f"{len(diff.changed)} valeur(s) modifiée(s) ({describe(diff.changed[0])}"
                     + (", …" if len(diff.changed) > 1 else "") + ")")
    if diff.missing:
        parts.append(f"{len(diff.missing)} ligne(s) du barème installé absente(s)")
    shown = f" du {version:%d/%m/%Y}" if version else ""
    return (f"feuille {L.SHEET_BAREMES}{shown} différente du barème installé ({' ; '.join(parts)}) : chiffres "
            f"calculés avec celle du classeur, comme ses formules ; « xlae baremes CLASSEUR » la remplace par le "
            "barème installé en gardant vos lignes ajoutées")


def merged_rows(workbook: R.Rates, installed: R.Rates) -> list[R.Rate]:
    """The installed rows, then the workbook's own added rows (kept), in their order."""
    return list(installed.rows) + difference(workbook, installed).added


def rows_values(rows: Iterable[R.Rate]) -> list[tuple[Any, ...]]:
    """Cell values of Barèmes rows (A..K), as the template writes them."""
    return [(r.parametre, r.categorie, r.zone, r.date_effet, float(r.valeur), r.unite, r.statut, r.source_titre,
             r.source_url, r.verifie_le, r.note) for r in rows]
