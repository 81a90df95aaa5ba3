"""Periods typed on the command line: « 2026-03 », « 2026-T1 », « 2026 »."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..errors import XlaeError, invalid, show
from ..rules.periods import month_end, quarter_end, quarter_start

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre")
ACCEPTED = "un mois « AAAA-MM » (ex. 2026-03) ou un trimestre « AAAA-T1 » à « AAAA-T4 »"


@dataclass(frozen=True)
class Period:
    kind: str        # mois | trimestre | annee
    code: str        # canonical text: 2026-03, 2026-T1, 2026
    debut: dt.date
    fin: dt.date

    @property
    def label(self) -> str:
        if self.kind == "mois":
            return f"{MONTHS[self.debut.month - 1]} {self.debut.year}"
        if self.kind == "trimestre":
            number = (self.debut.month - 1) // 3 + 1
            return f"{number}{'er' if number == 1 else 'e'} trimestre {self.debut.year}"
        return f"année {self.debut.year}"

    @property
    def of_label(self) -> str:
        """« de mars 2026 », « d'octobre 2026 », « du 1er trimestre 2026 », « de l'année 2026 »."""
        if self.kind == "trimestre":
            return f"du {self.label}"
        if self.kind == "annee":
            return f"de l'{self.label}"
        return ("d'" if self.label[0] in "aâeéèêioôuy" else "de ") + self.label

    def contains(self, day: dt.date) -> bool:
        return self.debut <= day <= self.fin


def parse_period(text: str | None, allow_year: bool = False, argument: str = "--periode") -> Period:
    """Month, quarter (or year when allowed) from the usual spellings."""
    accepted = ACCEPTED + (" ou une année « AAAA »" if allow_year else "")
    raw = (text or "").strip().upper().replace(" ", "")
    match = re.fullmatch(r"(\d{4})[-/]?(?:T|Q)([1-4])|(?:T|Q)([1-4])[-/]?(\d{4})", raw)
    if match:
        year = _year(int(match.group(1) or match.group(4)), text, argument)
        q = int(match.group(2) or match.group(3))
        index = year * 4 + q - 1
        return Period("trimestre", f"{year}-T{q}", quarter_start(index), quarter_end(index))
    match = re.fullmatch(r"(\d{4})[-/](\d{1,2})|(\d{1,2})[-/](\d{4})", raw)
    if match:
        year = _year(int(match.group(1) or match.group(4)), text, argument)
        month = int(match.group(2) or match.group(3))
        if not 1 <= month <= 12:
            raise invalid(argument, text, accepted)
        return Period("mois", f"{year}-{month:02d}", dt.date(year, month, 1), month_end(year, month))
    if allow_year and re.fullmatch(r"\d{4}", raw):
        year = _year(int(raw), text, argument)
        return Period("annee", raw, dt.date(year, 1, 1), dt.date(year, 12, 31))
    raise invalid(argument, text, accepted)


def _year(year: int, text: str | None, argument: str) -> int:
    """The period's year, from the first year xlae computes (« 0000-01 » is no date at all) to 9999."""
    from ..coerce import MIN_YEAR

    if year < MIN_YEAR:
        raise XlaeError(f"{argument} : {show(text)} refusée : année {year:04d} avant {MIN_YEAR}, hors de ce que "
                        f"xlae calcule ; indiquez une période de {MIN_YEAR} ou après.", argument)
    return year


def months_of(debut: dt.date, fin: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The calendar months between two days, each clipped to [debut, fin]."""
    if fin < debut:
        raise XlaeError("période vide.")
    result = []
    year, month = debut.year, debut.month
    while dt.date(year, month, 1) <= fin:
        first = max(debut, dt.date(year, month, 1))
        last = min(fin, month_end(year, month))
        result.append((first, last))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return result
