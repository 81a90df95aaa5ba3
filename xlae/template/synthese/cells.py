"""The cell model: a formula cell of Synthèse with its Python twin, and what the twins read.

Why: the template's formulas and the batch's values must never drift apart, so
each formula cell is one ``SummaryCell`` — its address, French label, the exact
Excel formula the generator writes, and a ``compute`` that produces the same
value from the parameters and the ledgers (``Inputs``) with the xlae rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable

import pandas as pd

from ...errors import XlaeError
from .. import layout as L

if TYPE_CHECKING:
    from .context import _Context


@dataclass(frozen=True)
class Inputs:
    """What the batch reads from a workbook: raw cell values (None for empty cells)."""

    parametres: dict[str, Any]   # keys = layout.PARAMETER_NAMES
    recettes: pd.DataFrame       # columns = keys of layout.RECETTES_COLUMNS + "row" (sheet row number)
    achats: pd.DataFrame         # columns = keys of layout.ACHATS_COLUMNS + "row"


@dataclass(frozen=True)
class SummaryCell:
    """One formula cell of Synthèse."""

    ref: str
    label: str
    formula: str
    number_format: str
    kind: str  # money | share | count | date | text | year
    compute: Callable[[_Context], Any] = field(repr=False, compare=False)


def check_rows(rows: Any, argument: str = "lignes") -> int:
    """Number of ledger rows the summary covers: a whole number from 1 to what a sheet holds."""
    if isinstance(rows, bool) or not isinstance(rows, int) or not 1 <= rows <= L.MAX_SHEET_ROWS:
        raise XlaeError(f"{argument} : {rows!r} refusé ; un nombre entier de lignes de 1 à "
                        f"{L.MAX_SHEET_ROWS} (défaut : {L.MAX_ROWS}).", argument)
    return rows
