"""The year's declarations as the month rows hold them, read from ``xlae.year.declarations``.

Why: the month table's helper columns (W..AD, row 74) and amounts (H..K) must show
the figures ``xlae declaration`` shows; both come from the one computation of the
declarations, fed here with what the sheet's cells hold (its month CA, its rates).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ...rules.money import ZERO, cents, to_decimal
from ...rules.vocabulary import Activite
from ...year.declarations import MonthRates, Part, lines
from .geometry import (CFP_COLS, CODES, CUMUL_COLS, EPOCH_COL, MONTH_COLUMNS, MONTH_FIRST, PERIOD_END_COL, RATE_COLS,
                       ROW_CA_CAT, ROW_CARRY, TFC_COLS, VL_COLS)

if TYPE_CHECKING:
    from .context import _Context


class SheetDeclarations:
    """The year's declarations as the month rows hold them, by ``xlae.year.declarations``.

    Why: the helper columns Q..AD and the amounts H..K mirror one computation, the
    one ``xlae declaration`` uses: the CA of each month row (C..F), the previous-year
    part of a first declaration as one month (W74, rated on 31/12 like row 74), the
    rates of each row (S..V, R, AI..AT), each declaration ending on its Q date (cut at
    31/12: a declaration ending the next year is closed by that year's January).
    """

    def __init__(self, c: "_Context") -> None:
        self.annee, first = c.annee, MONTH_FIRST
        self.categories = [Activite(code) for code in CODES]
        self.used = {a for i, a in enumerate(self.categories) if c[f"C{ROW_CA_CAT + i}"] != ""}
        carry = c[f"{PERIOD_END_COL}{ROW_CARRY}"]
        ca = {(self.annee, k): {a: to_decimal(c.num(f"{MONTH_COLUMNS[a.value]}{first + k - 1}"))
                                for a in self.categories} for k in range(1, 13)}
        if isinstance(carry, dt.date):
            ca[(self.annee - 1, 12)] = {a: to_decimal(c.num(f"{CUMUL_COLS[i]}{ROW_CARRY}"))
                                        for i, a in enumerate(self.categories)}

        def decimal(value: Any) -> Decimal:
            return to_decimal(value) if isinstance(value, float) else ZERO

        def rates_of(categorie: Activite, last: dt.date) -> MonthRates:
            row = ROW_CARRY if last.year < self.annee else first + last.month - 1
            i = self.categories.index(categorie)
            taux = c[f"{RATE_COLS[i]}{row}"]
            return MonthRates(to_decimal(taux) if isinstance(taux, float) else None, "",
                              decimal(c[f"{CFP_COLS[i]}{row}"]), decimal(c[f"{TFC_COLS[i]}{row}"]),
                              decimal(c[f"{VL_COLS[i]}{row}"]), c[f"{EPOCH_COL}{row}"],
                              "" if isinstance(taux, float) else str(taux))

        self.containing: dict[tuple[Activite, int], Part] = {}   # (category, month) -> its Part
        self.closing: dict[tuple[Activite, int], Part] = {}      # (category, month row or 0) -> Part closed there
        month = 1
        while month <= 12:
            end = c[f"{PERIOD_END_COL}{first + month - 1}"]
            if not isinstance(end, dt.date):
                month += 1
                continue
            debut = carry if month == 1 and isinstance(carry, dt.date) else dt.date(self.annee, month, 1)
            fin = min(end, dt.date(self.annee, 12, 31))
            for line in lines(ca, debut, fin, self.categories, rates_of):
                for part in line.parts:
                    for key in part.months:
                        if key[0] == self.annee:
                            self.containing[(line.categorie, key[1])] = part
                    last = part.last
                    if last.year < self.annee:
                        self.closing[(line.categorie, 0)] = part
                    elif last < fin or fin == end:   # not the December part of a declaration going on
                        self.closing[(line.categorie, last.month)] = part
            month = fin.month + 1 if fin.year == self.annee else 13

    def cumulated(self, categorie: Any, month: int) -> float:
        """W..Z: CA of the month's rate period from its start to this month."""
        part = self.containing.get((categorie, month))
        return 0.0 if part is None else float(cents(part.cumulated((self.annee, month))))

    def closed(self, categorie: Any, month: int) -> float:
        """AA..AD (month 0: row 74): CA of the rate period that closes on this row, else 0."""
        part = self.closing.get((categorie, month))
        return 0.0 if part is None else float(cents(part.ca))

    def amount(self, name: str, month: int) -> float:
        """H..K of a row (month 0: row 74): Σ over the used categories of the closing period's amount."""
        parts = [self.closing.get((a, month)) for a in self.categories if a in self.used]
        return float(sum((p.amount(name) for p in parts if p is not None), ZERO))
