"""URSSAF declarations cut into rate periods, rounded once per category and rate period.

Why: the URSSAF computes each declaration on its CA by category; a contribution rate
applies to the CA of the months it covers, rounded once to the cent (CSS D613-4 for
the cotisations; the CFP, TFC and VL on the same base). A declaration is cut where the
contribution rate of a category changes or where one of the CFP/TFC/VL rows changes
(``contributions.contribution_rates_since``): the months of one cut share every rate.
The rates are those in force on the last day of each month, as the Synthèse's month
rows read them (column B), so a rate change inside a long first declaration is applied
month by month (e.g. BNC 21,1 % → 23,1 % on 01/07/2024, décret 2024-484).

Inputs:
- ``ca``: CA encaissé by month and category, ``{(year, month): {Activite: Decimal}}``;
  a month absent counts 0. Which receipts count is the caller's choice.
- ``rates_of(categorie, month_end)``: the rates of a month (``MonthRates``);
  ``rules_rates(terms)`` gives the rules' ones, the Synthèse gives its rate cells.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Callable, Iterable, Mapping

from ..errors import XlaeError
from ..rules import contributions, cotisations, echeance
from ..rules.money import ZERO, cents
from ..rules.periods import month_end
from ..rules.vocabulary import Activite, Nature, Periodicite, Zone

MonthKey = tuple[int, int]
MonthlyCA = Mapping[MonthKey, Mapping[Activite, Decimal]]


@dataclass(frozen=True)
class MonthRates:
    """Rates of one category in force on a month's last day (taux None: not found, see ``error``)."""

    taux: Decimal | None
    explication: str
    cfp: Decimal
    tfc: Decimal
    vl: Decimal | None          # None: no versement libératoire
    since: dt.date | None       # date since which the CFP/TFC/VL rows apply (cut marker)
    error: str = ""             # why there is no contribution rate (e.g. ACRE without a creation date)

    @property
    def key(self) -> tuple:
        """What must stay equal for two months to share one rounding."""
        return (self.taux if self.taux is not None else self.error, self.since)


RatesOf = Callable[[Activite, dt.date], MonthRates]


@dataclass(frozen=True)
class Terms:
    """What a declaration needs from the Paramètres."""

    creation: dt.date | None
    periodicite: Periodicite
    acre: bool
    zone: Zone
    versement_liberatoire: bool
    departement: str | None
    natures: Mapping[Activite, Nature]

    @classmethod
    def of(cls, params) -> "Terms":
        """From ``books.parameters.Parameters`` (valid Paramètres)."""
        return cls(params.date_creation, params.periodicite, params.acre, params.zone,
                   params.versement_liberatoire, params.departement,
                   {a: params.nature_for(a) for a in Activite})


def rules_rates(terms: Terms) -> RatesOf:
    """The rates of the rules (``xlae.rules``) for these Paramètres."""
    def rates_of(categorie: Activite, last: dt.date) -> MonthRates:
        nature = terms.natures[categorie]
        since = contributions.contribution_rates_since(last)
        cfp = contributions.cfp_row(categorie, last, nature).valeur
        tfc = contributions.tfc_row(categorie, last, nature, terms.departement).valeur
        vl = contributions.vl_row(categorie, last).valeur if terms.versement_liberatoire else None
        try:
            rate = cotisations.taux_cotisations(categorie, last, terms.acre, terms.creation, terms.zone)
        except XlaeError as error:
            return MonthRates(None, "", cfp, tfc, vl, since, str(error))
        return MonthRates(rate.taux, rate.explication, cfp, tfc, vl, since)
    return rates_of


@dataclass
class Part:
    """The CA of consecutive months of one category sharing every rate."""

    categorie: Activite
    rates: MonthRates
    months: dict[MonthKey, Decimal] = field(default_factory=dict)

    @property
    def ca(self) -> Decimal:
        return sum(self.months.values(), ZERO)

    @property
    def last(self) -> dt.date:
        """Last day of the month that closes the part."""
        year, month = max(self.months)
        return month_end(year, month)

    @property
    def cotisations(self) -> Decimal | None:
        return None if self.rates.taux is None else cents(self.ca * self.rates.taux)

    @property
    def cfp(self) -> Decimal:
        return cents(self.ca * self.rates.cfp)

    @property
    def tfc(self) -> Decimal:
        return cents(self.ca * self.rates.tfc)

    @property
    def vl(self) -> Decimal:
        return ZERO if self.rates.vl is None else cents(self.ca * self.rates.vl)

    def amount(self, name: str) -> Decimal | None:
        """« cotisations », « cfp », « tfc » or « vl » of the part."""
        return getattr(self, name)

    def cumulated(self, until: MonthKey) -> Decimal:
        """CA of the part's months up to ``until`` included."""
        return sum((ca for key, ca in self.months.items() if key <= until), ZERO)


@dataclass
class CategoryLine:
    """One category of a declaration: its CA, rate periods and amounts (each period rounded once)."""

    categorie: Activite
    parts: list[Part]
    recettes: int = 0

    @property
    def ca(self) -> Decimal:
        return sum((p.ca for p in self.parts), ZERO)

    def _sum(self, name: str) -> Decimal:
        amounts = [p.amount(name) for p in self.parts]
        if any(a is None for a in amounts):
            raise XlaeError(next(p.rates.error for p in self.parts if p.rates.taux is None))
        return sum(amounts, ZERO)

    @property
    def cotisations(self) -> Decimal:
        return self._sum("cotisations")

    @property
    def cfp(self) -> Decimal:
        return self._sum("cfp")

    @property
    def tfc(self) -> Decimal:
        return self._sum("tfc")

    @property
    def vl(self) -> Decimal:
        return self._sum("vl")

    @property
    def total(self) -> Decimal:
        return self.cotisations + self.cfp + self.tfc + self.vl

    @property
    def shown_parts(self) -> list[Part]:
        """The parts with CA (the first one when the category has none), as the form shows them."""
        return [p for p in self.parts if p.ca] or self.parts[:1]


def _months(debut: dt.date, fin: dt.date) -> list[MonthKey]:
    keys, (year, month) = [], (debut.year, debut.month)
    while (year, month) <= (fin.year, fin.month):
        keys.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return keys


def lines(ca: MonthlyCA, debut: dt.date, fin: dt.date, categories: Iterable[Activite],
          rates_of: RatesOf) -> list[CategoryLine]:
    """The declaration of [debut, fin]: one line per category (in the form's order), cut into rate periods."""
    wanted = set(categories)
    result = []
    for categorie in [a for a in Activite if a in wanted]:
        parts: list[Part] = []
        for key in _months(debut, fin):
            rates = rates_of(categorie, month_end(*key))
            if not parts or parts[-1].rates.key != rates.key:
                parts.append(Part(categorie, rates))
            parts[-1].months[key] = ca.get(key, {}).get(categorie, ZERO)
        result.append(CategoryLine(categorie, parts))
    return result


@dataclass
class Declaration:
    """One declaration: its period, due date and lines."""

    debut: dt.date
    fin: dt.date
    echeance: dt.date
    premiere: bool
    lines: list[CategoryLine]

    def parts(self) -> Iterable[Part]:
        for line in self.lines:
            yield from line.parts


def of_year(ca: MonthlyCA, annee: int, terms: Terms, categories: Iterable[Activite],
            rates_of: RatesOf | None = None) -> list[Declaration]:
    """Every declaration covering a month of ``annee`` (from the creation on), in order.

    A first declaration begun the year before is whole (its months of the year before
    come from ``ca``); one that ends the next year is whole too, up to its last month.
    """
    rates_of = rates_of or rules_rates(terms)
    categories = list(categories)
    found: list[Declaration] = []
    for month in range(1, 13):
        last = month_end(annee, month)
        if terms.creation is not None and last < terms.creation:
            continue
        if found and found[-1].fin >= last:
            continue
        period = echeance.declaration(max(dt.date(annee, month, 1), terms.creation or dt.date.min),
                                      terms.periodicite, terms.creation)
        found.append(Declaration(period.debut, period.fin, period.echeance, period.premiere,
                                 lines(ca, period.debut, period.fin, categories, rates_of)))
    return found
