"""Matching the credits of a statement with the livre's receipts, against its plain definition.

Why: ``ledger.matching`` indexes the livre lazily (import keys, amounts in cents, references)
and makes a ``Receipt`` only for the rows it looks at; it must answer exactly as the plain
definition — every non-empty row a receipt, every dated receipt filed under its amount to the
cent, each receipt explaining one credit at most, the closest in date — on any livre.
"""

from __future__ import annotations

import datetime as dt
import random
from bisect import bisect_left
from collections import defaultdict
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pytest

from xlae.books.model import Books
from xlae.ledger.importing import ledger_receipts
from xlae.ledger.matching import WINDOW_DAYS, Matcher, receipt_of
from xlae.template import layout

HEADER = [c.title for c in layout.RECETTES_COLUMNS]


class PlainMatcher:
    """The definition: one Receipt per non-empty row, indexes built at once (the former Matcher, which
    besides raised InvalidOperation on an infinite amount in the livre)."""

    def __init__(self, receipts) -> None:
        self.receipts = list(receipts)
        self.keys = {r.key: r for r in self.receipts if r.key}
        self.used: set[int] = set()
        self.by_amount = defaultdict(list)
        self.by_reference = defaultdict(list)
        for r in self.receipts:
            if r.amount is not None and r.date is not None:
                try:
                    self.by_amount[r.amount.quantize(Decimal("0.01"))].append((r.date, r.row))
                except InvalidOperation:
                    pass
            if r.reference:
                self.by_reference[r.reference].append(r)
        for dates in self.by_amount.values():
            dates.sort()
        self.rows = {r.row: r for r in self.receipts}

    def by_key(self, key):
        receipt = self.keys.get(key)
        if receipt is not None:
            self.used.add(receipt.row)
        return receipt

    def by_hand(self, date, amount, reference):
        dates = self.by_amount.get(amount.quantize(Decimal("0.01")), [])
        window = dt.timedelta(days=WINDOW_DAYS)
        best = None
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


def _books(rows: list[list], formulas: dict[str, str] | None = None) -> Books:
    return Books(Path("livre.xlsx"), (layout.SHEET_RECETTES,), {}, {layout.SHEET_RECETTES: [HEADER] + rows},
                 {layout.SHEET_RECETTES: formulas} if formulas else {})


AMOUNTS = [100.0, 100.5, 100.505, 100.495, 99.99, 100.01, 250.0, 0.1 + 0.2, 1e13, 1e30, float("nan"),
           float("inf"), -100.0, 100, True, "100,50", "=100*2", None, ""]
DATES = [dt.date(2026, 3, d) for d in (1, 2, 5, 8, 9, 15, 16, 23)] + [dt.datetime(2026, 3, 4, 12), 46082.0,
                                                                     "05/03/2026", None, "", " "]
REFERENCES = ["F1", "f1", " F2 ", "F3", 12.0, None, "", " "]
KEYS = ["R-1", "R-2", "R-1", None, "", " "]


def _livre(seed: int) -> list[list]:
    rng = random.Random(seed)
    rows = []
    for _ in range(rng.randint(0, 60)):
        if rng.random() < 0.1:
            rows.append(["", "", "", "", "", "", "", "", ""])
            continue
        rows.append([rng.choice(DATES), rng.choice(REFERENCES), "Client", "", "bnc", rng.choice(AMOUNTS),
                     "Virement", "", rng.choice(KEYS)])
    return rows


@pytest.mark.parametrize("seed", range(60))
def test_lazy_matching_answers_as_its_definition(seed: int) -> None:
    rows = _livre(seed)
    formulas = {"F3": "100*2", "B4": "A1", "I5": "\"R-1\""} if seed % 3 == 0 and len(rows) > 4 else None
    books = _books(rows, formulas)
    plain = PlainMatcher(receipt_of(r.row, r.values) for r in books.rows(layout.SHEET_RECETTES) if not r.empty)
    lazy = Matcher(ledger_receipts(books))
    rng = random.Random(1000 + seed)
    for _ in range(40):
        if rng.random() < 0.3:
            key = rng.choice(["R-1", "R-2", "R-3", "=\"R-1\""])
            expected, found = plain.by_key(key), lazy.by_key(key)
        else:
            date = dt.date(2026, 3, 1) + dt.timedelta(days=rng.randint(-3, 30))
            amount = Decimal(rng.choice(["100", "100.50", "100.49", "100.51", "99.99", "100.01", "250", "0.30",
                                         "10000000000000", "200"]))
            reference = rng.choice(["", "F1", "F2", "F3", "12", "=A1"])
            expected, found = plain.by_hand(date, amount, reference), lazy.by_hand(date, amount, reference)
        assert repr(found) == repr(expected)  # repr: a NaN amount equals itself
    listed = books.rows(layout.SHEET_RECETTES)
    assert _books(rows, formulas).last_row(layout.SHEET_RECETTES) == (listed[-1].row if listed else None)
