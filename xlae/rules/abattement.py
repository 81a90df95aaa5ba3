"""Abattement forfaitaire and taxable revenu (micro-BIC, micro-BNC).

Sources (rows ``abattement_taux``, ``abattement_minimum``, ``abattement_minimum_par_fraction``):
CGI 50-0, 1 (71 % sales, 50 % BIC services) and 102 ter, 1 (34 % BNC), each
"ne peut être inférieur à 305 €". With mixed activity the floor applies to each
fraction of CA (BOI 30/07/1999, OpenFisca); mon-entreprise applies one floor on
the sum instead — the rates sheet row ``abattement_minimum_par_fraction`` picks.
The abattement never exceeds the CA: revenu = max(0, CA − abattement).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Mapping

from ..rates import Rates, get_rates
from .money import ZERO, cents
from .periods import first_of_year
from .vocabulary import Activite

# Tax fractions: BNC SSI and Cipav are both CGI 102 ter, one fraction.
FRACTION = {Activite.VENTE: "vente", Activite.SERVICE_BIC: "service_bic",
            Activite.BNC: "bnc", Activite.BNC_CIPAV: "bnc"}


def fractions(ca: Mapping[Activite, Decimal]) -> dict[Activite, Decimal]:
    """CA grouped by tax fraction (first activity of each fraction as key)."""
    grouped: dict[str, tuple[Activite, Decimal]] = {}
    for activite, amount in ca.items():
        key = FRACTION[activite]
        first, total = grouped.get(key, (activite, ZERO))
        grouped[key] = (first, total + amount)
    return {activite: total for activite, total in grouped.values()}


def abattement(ca: Mapping[Activite, Decimal], annee: int, rates: Rates | None = None,
               minimum_305: bool = True) -> Decimal:
    """Abattement in € (to the cent) for the CA of each activity of ``annee``.

    ``minimum_305=False`` drops the 305 € minimum: the revenu cotisé that validates
    retirement quarters has none (mon-entreprise ``plancher abattement: non``).
    """
    rates = rates or get_rates()
    on = first_of_year(annee)
    parts = {a: v for a, v in fractions(ca).items() if v > 0}
    if not parts:
        return ZERO
    per_fraction = (rates.value("abattement_minimum_par_fraction", "toutes", "toutes", on) == 1) or not minimum_305
    total = ZERO
    floor = ZERO
    for activite, amount in parts.items():
        rate = rates.value("abattement_taux", activite.value, "toutes", on)
        minimum = rates.value("abattement_minimum", activite.value, "toutes", on) if minimum_305 else ZERO
        if per_fraction:
            total += min(amount, max(minimum, cents(amount * rate)))
        else:
            total += cents(amount * rate)
            floor += minimum
    if not per_fraction:
        total = min(sum(parts.values(), ZERO), max(floor, total))
    return total


def revenu(ca: Mapping[Activite, Decimal], annee: int, rates: Rates | None = None,
           minimum_305: bool = True) -> Decimal:
    """Taxable revenu: CA minus abattement, never below zero (``minimum_305``: see ``abattement``)."""
    gross = sum((v for v in ca.values() if v > 0), ZERO)
    return max(ZERO, gross - abattement(ca, annee, rates, minimum_305))
