"""Ledger rows a workbook's summary covers, read back from its own formulas.

Why: ``xlae modele --lignes N`` writes every ledger range of the Synthèse as rows
FIRST_DATA_ROW..FIRST_DATA_ROW+N-1; a row below is silently left out of every
figure. The batch (sheet XML) and the ledger tools (openpyxl) must agree on N,
so it is read in one place, from the formulas the workbook really holds.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from typing import Any, Iterable, Mapping

from . import layout

_SHEETS = "|".join(re.escape(sheet) for sheet in (layout.SHEET_RECETTES, layout.SHEET_ACHATS))
# « Recettes!$A$2:$A$51 », « 'Achats'!E2:E51 » (any case): group 1 is the end row.
_LEDGER_RANGE = re.compile(rf"(?<![\w.'])'?(?:{_SHEETS})'?!\$?[A-Z]{{1,3}}\$?{layout.FIRST_DATA_ROW}"
                           rf":\$?[A-Z]{{1,3}}\$?(\d+)", re.IGNORECASE)


def covered_rows(formulas: Mapping[str, str] | Iterable[str]) -> int:
    """N of ``xlae modele --lignes N``, from the summary's formulas (ref -> formula, or formulas).

    The most frequent end row of the ledger ranges wins (a user who changed one
    range has a customised summary, not a new N). No ledger range, or an end row
    no sheet can hold: the default of ``xlae modele``.
    """
    return _covered_rows(tuple(formulas.values() if isinstance(formulas, Mapping) else formulas))


@lru_cache(maxsize=32)
def _covered_rows(texts: tuple[str, ...]) -> int:
    """Memoised on the formulas themselves: every standard workbook of a batch holds the same ones."""
    ends = Counter(int(end) for formula in texts for end in _LEDGER_RANGE.findall(formula or ""))
    if not ends:
        return layout.MAX_ROWS
    rows = ends.most_common(1)[0][0] - layout.FIRST_DATA_ROW + 1
    return rows if 1 <= rows <= layout.MAX_SHEET_ROWS else layout.MAX_ROWS


def workbook_covered_rows(wb: Any) -> int | None:
    """``covered_rows`` of an openpyxl workbook loaded with its formulas (read-only or not).

    None when the workbook has no Synthèse sheet: then no formula ignores any row.
    """
    formulas = summary_formulas(wb)
    return None if formulas is None else covered_rows(formulas)


def summary_formulas(wb: Any) -> dict[str, str] | None:
    """ref -> formula (without « = ») of the Synthèse sheet of an openpyxl workbook; None without one."""
    if layout.SHEET_SYNTHESE not in wb.sheetnames:
        return None
    formulas: dict[str, str] = {}
    try:
        for cells in wb[layout.SHEET_SYNTHESE].iter_rows():
            for cell in cells:
                value = getattr(cell, "value", None)
                text = getattr(value, "text", value)  # ArrayFormula keeps its formula in .text
                if isinstance(text, str) and text.startswith("="):
                    formulas[cell.coordinate] = text[1:]
    except Exception:  # read lazily: a damaged sheet (mismatched XML tag…) fails here, in English
        from ..errors import XlaeError

        raise XlaeError(f"classeur : feuille « {layout.SHEET_SYNTHESE} » illisible (contenu XML endommagé) : "
                        "ouvrez le classeur dans Excel ou LibreOffice et enregistrez-le de nouveau, ou "
                        "reprenez une sauvegarde.", "classeur") from None
    return formulas


def uncovered_advice(rows: int, needed: int) -> str:
    """What the Synthèse does with rows below its range, and the fix (French, for every tool)."""
    return (f"la Synthèse ne les compte pas (ses formules couvrent les lignes {layout.FIRST_DATA_ROW} à "
            f"{layout.last_data_row(rows)}, classeur créé pour {rows} lignes) ; créez un classeur plus grand "
            f"avec « xlae modele --lignes N » (N au moins {needed}) et recopiez-y vos lignes")


def rows_needed(last_row: int) -> int:
    """Ledger rows a template must cover for data down to ``last_row``."""
    return last_row - layout.FIRST_DATA_ROW + 1
