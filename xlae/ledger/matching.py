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
from decimal import Decimal, InvalidOperation
from typing import Any

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


class LedgerReceipts:
    """The livre's receipts as columns (date, montant, reference, cle_import) by sheet row; a ``Receipt``
    is made only for the rows matching looks at.

    Why: a livre of 100 000 rows held 100 000 ``Receipt`` (≈ 1.3 s with their ``LedgerRow``) for a
    statement of a few credits; the indexes (import keys, amounts in cents, references) are
    built on first use, in one pass over a column each.
    """

    def __init__(self, numbers: list[int], columns: dict[str, list[Any]]) -> None:
        self.numbers = numbers          # sheet row of each index
        self.columns = columns          # key -> cell value of each index (None when empty)
        self._receipts: dict[int, Receipt] = {}
        self._cents: dict[int, list[int]] | None = None
        self._odd: list[int] = []       # numbers too large (or not floats) to be indexed by cents
        self._references: dict[str, list[int]] | None = None

    def __len__(self) -> int:
        return len(self.numbers)

    def receipt(self, index: int) -> Receipt:
        found = self._receipts.get(index)
        if found is None:
            found = self._receipts[index] = receipt_of(
                self.numbers[index], {key: column[index] for key, column in self.columns.items()})
        return found

    def keys(self) -> dict[str, int]:
        """Import key -> index (the last row of a key, as a dict of receipts kept it)."""
        keys: dict[str, int] = {}
        for index, value in enumerate(self.columns["cle_import"]):
            if value is not None:
                text = cell_text(value)
                if text:
                    keys[text] = index
        return keys

    def near(self, amount: Decimal) -> list[int]:
        """Indexes whose amount may be ``amount`` to the cent (a superset: the receipt decides)."""
        if self._cents is None:
            self._cents = defaultdict(list)
            for index, value in enumerate(self.columns["montant"]):
                kind = type(value)
                if kind is float or kind is int:
                    if abs(value) < _INDEXED:
                        self._cents[round(value * 100)].append(index)
                    elif kind is int or value == value:  # huge; NaN and infinities match nothing
                        self._odd.append(index)
                elif isinstance(value, (int, float)) and not isinstance(value, bool):
                    self._odd.append(index)  # a subclass (numpy scalar…): not from a reader, checked one by one
        cents = int(amount * 100)
        return self._cents.get(cents - 1, []) + self._cents.get(cents, []) + self._cents.get(cents + 1, []) + \
            self._odd

    def references(self) -> dict[str, list[int]]:
        """Reference (upper case) -> indexes, in row order."""
        if self._references is None:
            self._references = defaultdict(list)
            for index, value in enumerate(self.columns["reference"]):
                if value is not None:
                    text = cell_text(value).upper()
                    if text:
                        self._references[text].append(index)
        return self._references


_INDEXED = 1e13  # below, a float's value × 100 rounds to its cents within ±1 (the ±1 neighbours are looked at)
_CENT = Decimal("0.01")


class Matcher:
    """The receipts of the livre, consumed as credits are matched to them."""

    def __init__(self, receipts: LedgerReceipts) -> None:
        self.receipts = receipts
        self.used: set[int] = set()
        self._keys: dict[str, int] | None = None
        self._by_amount: dict[Decimal, list[tuple[dt.date, int, int]]] = {}

    def by_key(self, key: str) -> Receipt | None:
        if self._keys is None:
            self._keys = self.receipts.keys()
        index = self._keys.get(key)
        if index is None:
            return None
        receipt = self.receipts.receipt(index)
        self.used.add(receipt.row)
        return receipt

    def _dates(self, amount: Decimal) -> list[tuple[dt.date, int, int]]:
        """(date, row, index) of the dated receipts of ``amount`` to the cent, in date order."""
        found = self._by_amount.get(amount)
        if found is None:
            found = []
            for index in self.receipts.near(amount):
                receipt = self.receipts.receipt(index)
                if receipt.amount is None or receipt.date is None:
                    continue
                try:
                    same = receipt.amount.quantize(_CENT) == amount
                except InvalidOperation:  # an amount too large for a cent: never a credit's
                    same = False
                if same:
                    found.append((receipt.date, receipt.row, index))
            found.sort()
            self._by_amount[amount] = found
        return found

    def by_hand(self, date: dt.date, amount: Decimal, reference: str) -> Receipt | None:
        """The closest unused receipt of the same amount within the window, else one with the same reference."""
        dates = self._dates(amount.quantize(_CENT))
        window = dt.timedelta(days=WINDOW_DAYS)
        best: tuple[dt.timedelta, int] | None = None
        for when, row, index in dates[bisect_left(dates, (date - window, 0)):]:
            if when > date + window:
                break
            if row not in self.used and (best is None or abs(when - date) < best[0]):
                best = (abs(when - date), index)
        if best is None and reference:
            best = next(((dt.timedelta(0), index) for index in self.receipts.references().get(reference.upper(), [])
                         if self.receipts.numbers[index] not in self.used), None)
        if best is None:
            return None
        receipt = self.receipts.receipt(best[1])
        self.used.add(receipt.row)
        return receipt
