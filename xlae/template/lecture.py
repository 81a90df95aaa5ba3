"""Read a template workbook's parameters and ledgers into ``synthese.Inputs`` (openpyxl).

Why: tests and small tools need the same inputs the batch reads, without the
batch's fast reader; openpyxl in read-only mode is enough for a few thousand rows.
"""

from __future__ import annotations

import os
from typing import Any

import pandas as pd
from openpyxl import load_workbook

from ..errors import XlaeError
from . import layout as L
from .synthese import Inputs


def _ledger(ws, columns: tuple[L.Column, ...]) -> pd.DataFrame:
    index = {c.key: ord(c.letter) - 65 for c in columns}
    records: list[dict[str, Any]] = []
    # Every row, also below the rows the summary covers: ``synthese.evaluate(…, rows)`` leaves those out.
    for number, row in enumerate(ws.iter_rows(min_row=L.FIRST_DATA_ROW, max_col=len(columns), values_only=True),
                                 start=L.FIRST_DATA_ROW):
        if all(v is None for v in row):
            continue
        record = {key: (row[i] if i < len(row) else None) for key, i in index.items()}
        record["row"] = number
        records.append(record)
    return pd.DataFrame(records, columns=[c.key for c in columns] + ["row"], dtype=object)


def read_inputs(path: str | os.PathLike[str]) -> Inputs:
    """Parameters (named cells) and ledgers of a template workbook, as raw cell values."""
    try:
        wb = load_workbook(path, read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds on bad files
        raise XlaeError(f"{os.fspath(path)!r} : classeur illisible ({error}).") from None
    try:
        return workbook_inputs(wb, os.fspath(path))
    finally:
        wb.close()


def workbook_inputs(wb: Any, name: str = "classeur") -> Inputs:
    """``read_inputs`` of an openpyxl workbook already open (read-only or not, with its formulas)."""
    for sheet in (L.SHEET_PARAMETRES, L.SHEET_RECETTES, L.SHEET_ACHATS):
        if sheet not in wb.sheetnames:
            raise XlaeError(f"{name!r} : feuille « {sheet} » absente.")
    params_ws = wb[L.SHEET_PARAMETRES]
    cells = {row[0].coordinate: row[0].value for row in params_ws.iter_rows(min_col=2, max_col=2)
             if hasattr(row[0], "coordinate")}
    parametres = {name: cells.get(ref) for name, ref in L.PARAMETER_CELLS.items()}
    return Inputs(parametres, _ledger(wb[L.SHEET_RECETTES], L.RECETTES_COLUMNS),
                  _ledger(wb[L.SHEET_ACHATS], L.ACHATS_COLUMNS))
