"""The ledgers (Recettes, Achats) as numpy arrays, and the sums the summary's formulas make of them.

Why: the batch evaluates thousands of workbooks of up to a million rows; reading
each column once into arrays and summing masks of them is what makes the twins
of SUMPRODUCT fast, while giving the same cents.

Ledger rows: a row is *used* when any of its cells is not blank; a used row is
*valid* when its date is a number (an Excel date), its amount a number ≥ 0 and
(receipts) its category one of ``layout.CATEGORIES`` (case-insensitive, as Excel's
``=``). Only valid rows are summed; the others are counted on the summary, with
empty rows left between used rows. A date typed as text is invalid everywhere:
the formulas test ``ISNUMBER`` (SUMIFS would accept it in some engines), so
sums are SUMPRODUCTs with explicit type guards.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pandas as pd

from ...errors import XlaeError
from ...rules.money import ZERO, cents, to_decimal
from .. import layout as L
from .geometry import CODES, EXCEL_EPOCH, FIRST, LAST
from .values import _number, _serial


def _money(amounts: np.ndarray) -> float:
    """Exact sum of cell amounts, rounded half up to the cent (ROUND(…;2)).

    Amounts typed to the cent (the float nearest to k/100, below 10^11 €, so that no
    two such amounts share a float) are summed as integer cents k; the others as
    the exact decimals of their shortest repr — the same sum, without 100 000 Decimals.
    """
    amounts = np.asarray(amounts, dtype=float)
    with np.errstate(invalid="ignore", over="ignore"):
        hundredths = np.round(amounts * 100)
        fast = (np.abs(amounts) < 1e11) & (hundredths / 100 == amounts)
    exact = hundredths[fast].astype(np.int64)  # each below 10^13: chunks of 500 000 cannot overflow int64
    whole = sum(int(exact[i:i + 500_000].sum(dtype=np.int64)) for i in range(0, len(exact), 500_000))
    rest = sum((to_decimal(float(a)) for a in amounts[~fast]), ZERO)
    return float(cents(Decimal(whole).scaleb(-2) + rest))


_type_of = np.frompyfunc(type, 1, 1)
_lower = np.frompyfunc(lambda value: value.lower() if type(value) is str else None, 1, 1)


_EPOCH64 = np.datetime64(EXCEL_EPOCH, "us")


def _numbers(column: pd.Series) -> np.ndarray:
    """``_number`` of every cell of a column, by type in bulk (numbers, dates, datetimes); NaN otherwise."""
    values = column.to_numpy(dtype=object)
    kinds = _type_of(values) if len(values) else np.empty(0, dtype=object)
    out = np.full(len(values), np.nan)
    numbers = (kinds == float) | (kinds == int)
    if numbers.any():
        out[numbers] = values[numbers].astype(float)
    stamps = (kinds == dt.datetime) | (kinds == dt.date)
    if stamps.any():
        try:
            moments = values[stamps].astype("datetime64[us]")
        except (TypeError, ValueError):  # a datetime with a time zone
            moments = np.array([v.replace(tzinfo=None) if type(v) is dt.datetime else v for v in values[stamps]],
                               dtype="datetime64[us]")
        out[stamps] = (moments - _EPOCH64) / np.timedelta64(86400, "s")
    others = ~(numbers | stamps) & (kinds != str) & (kinds != type(None))
    for index in np.flatnonzero(others):  # time, Decimal, numpy scalars, pandas stamps: rare
        out[index] = _number(values[index])
    out[~np.isfinite(out)] = np.nan
    return out


class _Ledger:
    """A ledger as arrays: serial dates, amounts, categories, used rows (sheet rows FIRST..last)."""

    def __init__(self, frame: pd.DataFrame, columns: tuple[L.Column, ...], with_category: bool,
                 last: int = LAST) -> None:
        keys = [c.key for c in columns]
        if frame is None or len(frame) == 0:
            frame = pd.DataFrame({k: [] for k in keys + ["row"]})
        missing = [k for k in keys + ["row"] if k not in frame.columns]
        if missing:
            raise XlaeError(f"livre : colonnes manquantes dans les données lues : {', '.join(missing)}.")
        rows = frame["row"].to_numpy(dtype=np.int64)
        frame = frame.loc[(rows >= FIRST) & (rows <= last)]
        self.rows = frame["row"].to_numpy(dtype=np.int64)
        self.used = np.zeros(len(frame), dtype=bool)
        for k in keys:
            column = frame[k]
            self.used |= ~(column.isna() | column.eq("")).to_numpy(dtype=bool)
        self.date = _numbers(frame["date"])
        self.amount = _numbers(frame["montant"])
        self.date_ok = ~np.isnan(self.date)
        with np.errstate(invalid="ignore"):
            self.amount_ok = ~np.isnan(self.amount) & (self.amount >= 0)
        if with_category:
            values = frame["categorie"].to_numpy(dtype=object)
            self.category = _lower(values).astype(object) if len(values) else np.empty(0, dtype=object)
            self.category_ok = np.isin(self.category, list(CODES))
        else:
            self.category = np.full(len(frame), None, dtype=object)
            self.category_ok = np.ones(len(frame), dtype=bool)
        self.valid = self.date_ok & self.amount_ok & self.category_ok

    def total(self, start: float, end: float, category: str | None = None) -> float:
        """ROUND(SUMPRODUCT(valid × start ≤ date < end [× category], amount); 2)."""
        mask = self.date_ok & self.amount_ok & (self.date >= start) & (self.date < end)
        if category is not None:
            mask &= self.category == category
        return _money(self.amount[mask])

    def in_years(self, first: int, last: int) -> np.ndarray:
        """Rows dated from 1 January ``first`` to 31 December ``last`` (text dates: False)."""
        start, end = _serial(dt.date(first, 1, 1)), _serial(dt.date(last + 1, 1, 1))
        with np.errstate(invalid="ignore"):
            return self.date_ok & (self.date >= start) & (self.date < end)

    def count(self, mask: np.ndarray) -> float:
        return float(np.count_nonzero(self.used & mask))

    def empty_between(self) -> float:
        if not self.used.any():
            return 0.0
        last = int(self.rows[self.used].max())
        return float(max(0, last - (FIRST - 1) - int(np.count_nonzero(self.used))))

