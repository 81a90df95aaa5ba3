"""The openpyxl back end: ``Books`` of a workbook held in memory (the template being built, a test's).

Why: the generator computes the Synthèse's cached values of a workbook it has
not saved yet; it must read it exactly as the commands read a file. Files are
read by ``books.calamine``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..template import layout
from .model import LEDGERS, Books


def books_of_workbook(wb: Any, name: str = "classeur.xlsx") -> Books:
    """``Books`` of an openpyxl workbook loaded with its formulas (a formula is read as its text)."""
    wanted = [s for s in (layout.SHEET_PARAMETRES, *LEDGERS, layout.SHEET_CLOTURES) if s in wb.sheetnames]
    grids: dict[str, list[list[Any]]] = {}
    formulas: dict[str, dict[str, str]] = {}
    for sheet in wanted:
        grid = [list(row) for row in wb[sheet].iter_rows(values_only=True)]
        if sheet in LEDGERS:
            found = {}
            for r, row in enumerate(grid, start=1):
                for c, value in enumerate(row):
                    if isinstance(value, str) and value.startswith("="):
                        found[f"{layout.column_letter(c + 1)}{r}"] = value[1:]
                        row[c] = None  # no cached value in memory
            if found:
                formulas[sheet] = found
        grids[sheet] = grid
    if layout.SHEET_SYNTHESE in wb.sheetnames:
        from ..template.coverage import summary_formulas

        formulas[layout.SHEET_SYNTHESE] = summary_formulas(wb) or {}
    cells: dict[str, tuple[str, str]] = {}
    for parameter in layout.ALL_PARAMETER_NAMES:
        defined = wb.defined_names.get(parameter)
        for sheet, coord in (defined.destinations if defined is not None else ()):
            cells[parameter] = (sheet, coord.replace("$", "").split(":")[0])
            break
    return Books(Path(name), tuple(wb.sheetnames), cells, grids, formulas)

