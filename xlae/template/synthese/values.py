"""What a formula sees in one cell: blank, ISNUMBER, case-insensitive ``=``, dates as serials.

Why: every twin must read a cell exactly as the spreadsheet does (a date typed as
text is no number, "VENTE" equals "vente", an empty cell equals ""); these few
functions are that reading, shared by the ledger arrays, the context and the sections.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from .geometry import EXCEL_EPOCH


def _blank(value: Any) -> bool:
    return (value is None or value is pd.NaT or (isinstance(value, str) and value == "")
            or (isinstance(value, float) and math.isnan(value)))


def _number(value: Any) -> float:
    """What ISNUMBER accepts, as a float (dates as serials); NaN otherwise."""
    if _blank(value) or isinstance(value, (bool, np.bool_, str)):
        return math.nan
    if isinstance(value, dt.datetime):
        return (value.replace(tzinfo=None) - EXCEL_EPOCH).total_seconds() / 86400
    if isinstance(value, dt.date):
        return float((value - EXCEL_EPOCH.date()).days)
    if isinstance(value, dt.time):
        return (value.hour * 3600 + value.minute * 60 + value.second) / 86400
    if isinstance(value, (int, float, Decimal, np.integer, np.floating)):
        number = float(value)
        return number if math.isfinite(number) else math.nan
    return math.nan


def _is_number(value: Any) -> bool:
    return not math.isnan(_number(value))


def _text_eq(value: Any, text: str) -> bool:
    """Excel's case-insensitive ``cell = "text"`` (an empty cell equals "")."""
    if _blank(value):
        return text == ""
    return isinstance(value, str) and value.lower() == text.lower()


def _serial(day: dt.date) -> float:
    return float((day - EXCEL_EPOCH.date()).days)


def _year_bounds(year: int) -> tuple[float, float]:
    return _serial(dt.date(year, 1, 1)), _serial(dt.date(year + 1, 1, 1))


def _month_end(year: int, month: int) -> dt.date:
    nxt = dt.date(year + month // 12, month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def _next_month(day: dt.date) -> tuple[int, int]:
    """(year, month) of the month after ``day``'s (EOMONTH(day, 1))."""
    return (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)


def counted_sum(values: list[Any], error: str) -> Any:
    """Twin of ``IF(COUNT(range)=n,ROUND(SUM(range),2),error)``: the sum to the cent when every value is a number."""
    from ...rules.money import ZERO, cents, to_decimal

    if all(isinstance(v, float) for v in values):
        return float(cents(sum((to_decimal(v) for v in values), ZERO)))
    return error
