"""Calendar helpers shared by the rules (quarters, month ends, year days)."""

from __future__ import annotations

import calendar
from datetime import date


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def add_months(year: int, month: int, months: int) -> tuple[int, int]:
    """(year, month) shifted by ``months``."""
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def quarter_of(day: date) -> int:
    return (day.month - 1) // 3 + 1


def quarter_index(day: date) -> int:
    """Quarters since year 0: consecutive quarters differ by one."""
    return day.year * 4 + quarter_of(day) - 1


def quarter_end(index: int) -> date:
    year, q = divmod(index, 4)
    return month_end(year, q * 3 + 3)


def quarter_start(index: int) -> date:
    year, q = divmod(index, 4)
    return date(year, q * 3 + 1, 1)


def first_of_year(year: int) -> date:
    return date(year, 1, 1)
