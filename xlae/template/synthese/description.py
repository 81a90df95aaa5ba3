"""The description of Synthèse, built once per covered row count, and what is computed from it.

Why: the generator writes ``summary_cells`` and ``static_cells``; the batch, the
report and the tests compute ``evaluate`` — the same cells, so the values a workbook
shows and those xlae computes cannot drift apart. AE_* twins call ``xlae.udfs``
directly, so they return the same "Erreur : …" texts.

Value conventions of ``evaluate`` (and of ``compute``):
- amounts, shares, counts: ``float`` (amounts already rounded to the cent, as the
  formulas do with ROUND);
- date cells (``kind == "date"``): ``datetime.date``; ``excel_value`` turns one into
  the Excel serial number a formula engine shows;
- texts (statuses, messages, blanks produced by ``IF(…,"")``): ``str``.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Any

from .. import layout as L
from .builder import _Builder
from .cells import Inputs, SummaryCell, check_rows
from .context import _Context
from .geometry import EXCEL_EPOCH

_col_index = L.column_index
_col_letter = L.column_letter


@lru_cache(maxsize=8)
def _description(rows: int) -> tuple[tuple[SummaryCell, ...], dict[str, str], dict[str, str]]:
    builder = _Builder(check_rows(rows))
    builder.build()
    return tuple(builder.cells), builder.static, builder.H


def helper_refs() -> dict[str, str]:
    """Helper key -> cell of the helper block (e.g. "erreur" -> "AG12")."""
    return {k: v.replace("$", "") for k, v in _description(L.MAX_ROWS)[2].items()}


def summary_cells(rows: int = L.MAX_ROWS) -> list[SummaryCell]:
    """Every formula cell of Synthèse, in sheet order of construction.

    ``rows``: ledger rows the formulas cover (rows 2..rows+1 of Recettes and Achats);
    only the ledger ranges depend on it.
    """
    return list(_description(rows)[0])


def static_cells() -> dict[str, str]:
    """Fixed texts of Synthèse (titles, labels, headers, codes): ref -> text."""
    return dict(_description(L.MAX_ROWS)[1])


def evaluate(inputs: Inputs, rows: int = L.MAX_ROWS, today: dt.date | None = None) -> dict[str, Any]:
    """ref -> value of every formula cell of Synthèse, without any formula engine.

    ``rows`` as in ``summary_cells``: ledger rows below row rows+1 are not counted,
    exactly as the formulas of such a workbook would not count them.
    ``today``: the day TODAY() returns (default: the real one), for the dashboard.
    """
    context = _Context(inputs, rows, today, description=_description)
    return {cell.ref: context[cell.ref] for cell in summary_cells(rows)}


def excel_value(value: Any) -> Any:
    """The value a formula engine shows for an ``evaluate`` value (dates as serial numbers)."""
    if isinstance(value, dt.datetime):
        return (value - EXCEL_EPOCH).total_seconds() / 86400
    if isinstance(value, dt.date):
        return float((value - EXCEL_EPOCH.date()).days)
    return value


_REF = re.compile(r"(?<![A-Za-z_!'])\$?([A-Z]{1,2})\$?(\d+)(?::\$?([A-Z]{1,2})\$?(\d+))?(?![\w(!])")
_STRINGS = re.compile(r'"(?:[^"]|"")*"')
_SHEET_REF = re.compile(r"(?:'[^']+'|[A-Za-z_][\w.]*)!\$?[A-Z]{1,3}\$?\d+(?::\$?[A-Z]{1,3}\$?\d+)?")


def references(formula: str) -> set[str]:
    """Cells of Synthèse a formula reads (ranges expanded; other sheets and names left out)."""
    text = _SHEET_REF.sub(" ", _STRINGS.sub('""', formula))
    found: set[str] = set()
    for match in _REF.finditer(text):
        c1, r1, c2, r2 = match.groups()
        if c2 is None:
            found.add(f"{c1}{r1}")
            continue
        for col in range(_col_index(c1), _col_index(c2) + 1):
            for row in range(int(r1), int(r2) + 1):
                found.add(f"{_col_letter(col)}{row}")
    return found


def ae_dependent_refs() -> set[str]:
    """Cells that call an AE_* function or read (transitively) one that does.

    Without xlwings (LibreOffice, a phone) these show #NAME? or a value computed
    from #NAME?; every other formula cell is native and computes everywhere.
    """
    cells = summary_cells()
    dependent = {c.ref for c in cells if "AE_" in _STRINGS.sub('""', c.formula)}
    readers = {c.ref: references(c.formula) for c in cells}
    changed = True
    while changed:
        changed = False
        for ref, reads in readers.items():
            if ref not in dependent and reads & dependent:
                dependent.add(ref)
                changed = True
    return dependent


