"""Calendar helpers shared by the rules (quarters, month ends, year days)."""

from __future__ import annotations

import calendar
from datetime import MAXYEAR, MINYEAR, date

from ..errors import XlaeError

CALENDAR = "calendrier"  # argument of the error below: adapters rename it after their own option


def in_calendar(year: int) -> int:
    """``year`` if a date of it exists; else a French error (a due date or ceiling after 31/12/9999)."""
    if not MINYEAR <= year <= MAXYEAR:
        raise XlaeError(f"ce calcul demande une date de l'an {year}, hors du calendrier que connaissent Excel "
                        "et xlae (jusqu'au 31/12/9999)", CALENDAR)
    return year


def month_end(year: int, month: int) -> date:
    in_calendar(year)
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
    return date(in_calendar(year), q * 3 + 1, 1)


def first_of_year(year: int) -> date:
    return date(in_calendar(year), 1, 1)
