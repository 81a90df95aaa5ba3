"""Due dates of the URSSAF declarations (monthly or quarterly).

Sources (rows ``declaration_premiere_*``): Bpifrance Création, service-public
F36232. CA encaissé in a period is declared and paid by the last day of the
month after the period (monthly: May → 30 June; quarterly: Q1 → 30 April,
Q4 → 31 January N+1). The first declaration covers the month of start plus the
3 following months (monthly) or the quarter of start plus the next one
(quarterly), so that at least 90 days have passed. Dates are not moved for
weekends or holidays: no source says they are (fact sheet §i).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..errors import XlaeError
from ..rates import Rates, get_rates
from .periods import add_months, month_end, quarter_end, quarter_index, quarter_start
from .vocabulary import Periodicite


@dataclass(frozen=True)
class Declaration:
    """A declaration period: first and last day, and the due date."""

    debut: date
    fin: date
    echeance: date
    premiere: bool

    @property
    def libelle(self) -> str:
        return f"du {self.debut:%d/%m/%Y} au {self.fin:%d/%m/%Y}"


def _due(fin: date) -> date:
    year, month = add_months(fin.year, fin.month, 1)
    return month_end(year, month)


def declaration(on: date, periodicite: Periodicite = Periodicite.MENSUELLE,
                date_creation: date | None = None, rates: Rates | None = None,
                argument: str = "date") -> Declaration:
    """The declaration whose period contains ``on`` (``argument``: how the caller names ``on``)."""
    rates = rates or get_rates()
    if date_creation is not None and on < date_creation:
        raise XlaeError(f"{argument} : le {on:%d/%m/%Y} précède la date de création "
                        f"({date_creation:%d/%m/%Y}) ; aucune déclaration ne couvre ce jour.", argument)
    if periodicite is Periodicite.MENSUELLE:
        if date_creation is not None:
            extra = int(rates.lookup_by_creation("declaration_premiere_mois_suivants", "toutes", "toutes",
                                                  date_creation).valeur)
            year, month = add_months(date_creation.year, date_creation.month, extra)
            first_end = month_end(year, month)
            if on <= first_end:
                return Declaration(date_creation, first_end, _due(first_end), True)
        fin = month_end(on.year, on.month)
        return Declaration(date(on.year, on.month, 1), fin, _due(fin), False)
    if date_creation is not None:
        extra = int(rates.lookup_by_creation("declaration_premiere_trimestres_suivants", "toutes", "toutes",
                                              date_creation).valeur)
        first_end = quarter_end(quarter_index(date_creation) + extra)
        if on <= first_end:
            return Declaration(date_creation, first_end, _due(first_end), True)
    index = quarter_index(on)
    fin = quarter_end(index)
    return Declaration(quarter_start(index), fin, _due(fin), False)
