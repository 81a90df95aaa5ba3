"""Credits that are already in the livre des recettes: by import key, or typed by hand.

Why: a receipt typed by hand (invoice paid, cheque received) and the same money
seen later on the bank statement would be counted twice in the CA, the plafond
and the cotisations. The import key recognises what an earlier import wrote; a
receipt typed by hand has no key, so a credit is suspected when a receipt of the
livre has the same amount to the cent and a date at most ``WINDOW_DAYS`` away,
or the same reference. Each receipt of the livre explains one credit at most,
the closest in date.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Iterable

from ..books.cells import cell_text, lenient_date
from ..rules.money import to_decimal

WINDOW_DAYS = 7   # a cheque is typed the day it is received and credited a few days after its deposit


@dataclass(frozen=True)
class Receipt:
    """A receipt of the livre, as far as matching needs it."""

    row: int
    date: dt.date | None
    amount: Decimal | None
    reference: str
    key: str

    def describe(self) -> str:
        from ..format import day, euros  # local: only the preview needs French formatting
        parts = [f"livre ligne {self.row}"]
        if self.date:
            parts.append(day(self.date))
        if self.amount is not None:
            parts.append(euros(self.amount))
        if self.reference:
            parts.append(self.reference)
        return ", ".join(parts) + (" (importée d'un autre relevé)" if self.key else " (saisie à la main)")


def receipt_of(row: int, values: dict[str, Any]) -> Receipt:
    try:
        amount = to_decimal(values.get("montant")) if isinstance(values.get("montant"), (int, float)) \
            and not isinstance(values.get("montant"), bool) else None
    except Exception:  # NaN, infinity: such a row matches nothing (xlae verifier reports it)
        amount = None
    return Receipt(row, lenient_date(values.get("date")), amount, cell_text(values.get("reference")).upper(),
                   cell_text(values.get("cle_import")))


class Matcher:
    """The receipts of the livre, consumed as credits are matched to them."""

    def __init__(self, receipts: Iterable[Receipt]) -> None:
        self.receipts = list(receipts)
        self.keys = {r.key: r for r in self.receipts if r.key}
        self.used: set[int] = set()
        self.by_amount: dict[Decimal, list[tuple[dt.date, int]]] = defaultdict(list)
        self.by_reference: dict[str, list[Receipt]] = defaultdict(list)
        for r in self.receipts:
            if r.amount is not None and r.date is not None:
                self.by_amount[r.amount.quantize(Decimal("0.01"))].append((r.date, r.row))
            if r.reference:
                self.by_reference[r.reference].append(r)
        for dates in self.by_amount.values():
            dates.sort()
        self.rows = {r.row: r for r in self.receipts}

    def by_key(self, key: str) -> Receipt | None:
        receipt = self.keys.get(key)
        if receipt is not None:
            self.used.add(receipt.row)
        return receipt

    def by_hand(self, date: dt.date, amount: Decimal, reference: str) -> Receipt | None:
        """The closest unused receipt of the same amount within the window, else one with the same reference."""
        dates = self.by_amount.get(amount.quantize(Decimal("0.01")), [])
        window = dt.timedelta(days=WINDOW_DAYS)
        best: tuple[dt.timedelta, int] | None = None
        for when, row in dates[bisect_left(dates, (date - window, 0)):]:
            if when > date + window:
                break
            if row not in self.used and (best is None or abs(when - date) < best[0]):
                best = (abs(when - date), row)
        if best is None and reference:
            best = next(((dt.timedelta(0), r.row) for r in self.by_reference.get(reference.upper(), [])
                         if r.row not in self.used), None)
        if best is None:
            return None
        self.used.add(best[1])
        return self.rows[best[1]]
