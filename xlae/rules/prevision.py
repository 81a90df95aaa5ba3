"""Forecasts: when the CA will cross the ceiling or the VAT thresholds, and the VAT crossing itself.

Why: a micro-entrepreneur wants to know *before* it happens. At the pace of the
year so far (CA to date ÷ days of activity so far, counted from 1 January or the
creation day), the crossing day is the first day whose projected CA exceeds the
threshold. Thresholds are those the existing rules judge the year with:
- ceiling: the one of N+1, prorated in the creation year (``plafond.plafond``);
- VAT base threshold: the one of N+1 (``tva.statut_tva``): crossing it ends the
  franchise on 1 January N+1;
- VAT majoré threshold: the one of N: VAT is due from the day it is crossed
  (from 2025) or from the 1st of that month (before), row ``tva_perte_jour_depassement``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal
from typing import Mapping, Sequence

from ..errors import XlaeError, invalid
from ..format import day, euros_text
from ..rates import Rates, get_rates
from . import plafond, tva
from .money import ZERO
from .periods import first_of_year
from .vocabulary import Activite

SEUILS = ("plafond", "tva", "tva_majore")
PAS_CETTE_ANNEE = "pas cette année"
DEJA = "déjà dépassé"


@dataclass(frozen=True)
class Forecast:
    seuil: str               # plafond | tva | tva_majore
    label: str               # which CA is compared (« CA », « CA global »…)
    montant: Decimal         # threshold in €
    date: dt.date | None     # forecast crossing day (estimated past day when already over); None: not this year
    deja: bool               # the CA to date is already over
    message: str


def _start(annee: int, date_creation: dt.date | None) -> dt.date:
    return max(first_of_year(annee), date_creation) if date_creation else first_of_year(annee)


def crossing_day(ca: Decimal, debut: dt.date, on: dt.date, limit: Decimal) -> dt.date | None:
    """First day d ≥ debut with ca × days(debut..d) / days(debut..on) > limit, in the year; else None."""
    elapsed = (on - debut).days + 1
    if ca <= 0 or elapsed <= 0:
        return None
    index = int((limit * elapsed / ca).to_integral_value(ROUND_FLOOR)) + 1  # day number, 1 = debut
    if index - 1 > (dt.date(debut.year, 12, 31) - debut).days:  # after the year (or after 31/12/9999)
        return None
    return debut + dt.timedelta(days=index - 1)


def _tests(seuil: str, activites: set[Activite], annee: int, date_creation: dt.date | None,
           rates: Rates) -> list[tuple[str, tuple[Activite, ...], Decimal]]:
    """(label, activities counted, amount) of each test of that kind."""
    if seuil == "plafond":
        days, divisor = plafond.prorata_days(date_creation, annee, rates)
        return [(t.label, t.activites, t.amount * days / divisor)
                for t in plafond.limits(activites, annee + 1, rates)]
    if seuil == "tva":
        return [(t.label, t.activites, t.base) for t in tva.seuils(activites, annee + 1, rates)]
    return [(t.label, t.activites, t.majore) for t in tva.seuils(activites, annee, rates)]


def _consequence(seuil: str, annee: int, when: dt.date, rates: Rates) -> str:
    if seuil == "plafond":
        return (f"premier dépassement : toléré, le régime micro est conservé en {annee + 1} ; un second "
                f"dépassement en {annee + 1} fait sortir du régime au 1er janvier {annee + 2}")
    if seuil == "tva":
        return _base_crossed(annee, rates)[1]
    same_day = rates.value("tva_perte_jour_depassement", "toutes", "toutes", first_of_year(annee)) == 1
    start = when if same_day else when.replace(day=1)
    return f"TVA due à compter du {day(start)} : facturer la TVA sur chaque opération à partir de ce jour"


def _base_crossed(annee: int, rates: Rates) -> tuple[dt.date | None, str]:
    """End of the franchise when the CA of ``annee`` exceeds only the base threshold (tolerance before 2025)."""
    if rates.value("tva_tolerance_annee_n2", "toutes", "toutes", first_of_year(annee + 1)) == 1:
        return None, (f"franchise de TVA maintenue en {annee + 1} (tolérance d'une année), perdue si le "
                      f"CA {annee + 1} dépasse aussi le seuil de base")
    return dt.date(annee + 1, 1, 1), (f"franchise de TVA perdue au 1er janvier {annee + 1} : facturer la TVA "
                                      f"dès le 1er janvier {annee + 1}")


def forecast(ca: Mapping[Activite, Decimal], on: dt.date, seuil: str = "plafond",
             date_creation: dt.date | None = None, rates: Rates | None = None) -> Forecast:
    """Forecast crossing of one kind of threshold for the CA encaissé from 1 January (or creation) to ``on``."""
    if seuil not in SEUILS:
        raise invalid("seuil", seuil, "plafond, tva (seuil de base) ou tva_majore")
    rates = rates or get_rates()
    annee = on.year
    if date_creation is not None and date_creation > on:
        raise XlaeError(f"date_creation : le {day(date_creation)} est postérieur à la date de calcul "
                        f"({day(on)}).", "date_creation")
    debut = _start(annee, date_creation)
    best: Forecast | None = None
    names = {"plafond": "le plafond du régime micro", "tva": "le seuil de franchise de TVA",
             "tva_majore": "le seuil majoré de TVA"}
    for label, activites, amount in _tests(seuil, set(ca), annee, date_creation, rates):
        total = sum((ca.get(a, ZERO) for a in activites), ZERO)
        what = f"{names[seuil]} ({label} {annee}, {euros_text(amount.quantize(Decimal('0.01')))})"
        when = crossing_day(total, debut, on, amount)
        if total > amount and when is not None:  # when: the day the average pace crossed it
            found = Forecast(seuil, label, amount, when, True,
                             f"{label} au {day(on)} de {euros_text(total)} : {what} est déjà dépassé (vers le "
                             f"{day(when)} au rythme moyen) ; {_consequence(seuil, annee, when, rates)}.")
        else:
            if when is None:
                found = Forecast(seuil, label, amount, None, False,
                                 f"Au rythme actuel, {what} ne sera pas dépassé cette année.")
            else:
                found = Forecast(seuil, label, amount, when, False,
                                 f"Au rythme actuel ({euros_text(total)} du {day(debut)} au {day(on)}), "
                                 f"{what} sera dépassé le {day(when)} : {_consequence(seuil, annee, when, rates)}.")
        if best is None or _sooner(found, best):
            best = found
    assert best is not None
    return best


def _sooner(a: Forecast, b: Forecast) -> bool:
    if a.deja != b.deja:
        return a.deja
    if a.date is None or b.date is None:
        return b.date is None and a.date is not None
    return a.date < b.date


# --- VAT crossing worksheet ----------------------------------------------------

@dataclass(frozen=True)
class Receipt:
    date: dt.date
    activite: Activite
    montant: Decimal
    reference: str = ""
    ligne: int | None = None


@dataclass(frozen=True)
class VatCrossing:
    label: str
    seuil_base: Decimal
    seuil_majore: Decimal
    total: Decimal
    jour_majore: dt.date | None          # day the majoré threshold was exceeded
    tva_due_depuis: dt.date | None       # first day VAT must be charged
    a_refacturer: tuple[Receipt, ...]    # receipts from that day on
    fin_franchise: dt.date | None        # only the base threshold exceeded: 1 January N+1
    message: str


@dataclass(frozen=True)
class VatReport:
    annee: int
    crossings: list[VatCrossing] = field(default_factory=list)

    @property
    def message(self) -> str:
        return " ".join(c.message for c in self.crossings)


def tva_depassement(receipts: Sequence[Receipt], annee: int, rates: Rates | None = None) -> VatReport:
    """Walk the year's receipts in date order: when each VAT threshold was crossed, and what follows.

    The livre des recettes records receipts (encaissements); VAT follows the
    operations, so an invoice issued before the crossing but paid after is
    listed too: check each one.
    """
    rates = rates or get_rates()
    year_receipts = sorted((r for r in receipts if r.date.year == annee), key=lambda r: (r.date, r.ligne or 0))
    activites = {r.activite for r in year_receipts}
    report = VatReport(annee)
    if not activites:
        return report
    same_day = rates.value("tva_perte_jour_depassement", "toutes", "toutes", first_of_year(annee)) == 1
    following = {t.label: t for t in tva.seuils(activites, annee + 1, rates)}
    for t in tva.seuils(activites, annee, rates):
        base = following[t.label].base
        total = ZERO
        crossed: dt.date | None = None
        for receipt in year_receipts:
            if receipt.activite in t.activites:
                total += receipt.montant
                if crossed is None and total > t.majore:
                    crossed = receipt.date
        if crossed is not None:
            due = crossed if same_day else crossed.replace(day=1)
            listed = tuple(r for r in year_receipts if r.activite in t.activites and r.date >= due)
            message = (f"{t.label} {annee} : seuil majoré de {euros_text(t.majore)} dépassé le {day(crossed)} ; "
                       f"TVA due à compter du {day(due)} ; {len(listed)} recette(s) à refacturer avec TVA "
                       f"({euros_text(sum((r.montant for r in listed), ZERO))}), dont celle qui franchit le seuil (point non "
                       "tranché par les sources : à vérifier).")
            report.crossings.append(VatCrossing(t.label, base, t.majore, total, crossed, due, listed, None, message))
        elif total > base:
            end, what = _base_crossed(annee, rates)
            message = (f"{t.label} {annee} de {euros_text(total)} > seuil de {euros_text(base)} (sans dépasser "
                       f"le seuil majoré de {euros_text(t.majore)}) : {what}.")
            report.crossings.append(VatCrossing(t.label, base, t.majore, total, None, None, (), end, message))
    return report
