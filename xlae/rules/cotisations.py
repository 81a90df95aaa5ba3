"""Micro-social contribution rates (CSS D613-4), ACRE and the DROM rates.

Sources (rows ``taux_cotisations*``, ``acre_*``, ``drom_*``):
- The rate in force on the date of the period applies (BNC 2024: 21.1 % until
  30 June, 23.1 % from 1 July).
- ACRE (CSS L131-6-4, D131-6-3): the rate is ``acre_part × normal rate``, where
  the share depends on the *creation* date (50 % before 1 July 2026, 75 % from
  then, décret 2026-69), rounded as mon-entreprise does (row ``acre_decimales``),
  from the start of activity to the end of the 3rd calendar quarter after the
  quarter of start. Cipav has a fixed ACRE rate. ACRE does not reduce CFP/TFC/VL.
- DROM and Mayotte (mon-entreprise, experimental, UNCERTAIN): P1 up to the 8th
  calendar quarter of activity, P2 to the end of the 3rd calendar year, then the
  "après" rate; not cumulable with ACRE.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache

from ..errors import XlaeError
from ..rates import Rate, Rates, get_rates
from .money import cents, round_to
from .periods import quarter_end, quarter_index
from .vocabulary import Activite, Zone


@dataclass(frozen=True)
class ContributionRate:
    """A contribution rate with the rows and the reasoning that produced it."""

    taux: Decimal
    rows: tuple[Rate, ...]
    explication: str


def acre_end(date_creation: date, rates: Rates | None = None) -> date:
    """Last day of ACRE: end of the 3rd calendar quarter after the quarter of start."""
    rates = rates or get_rates()
    row = rates.lookup_by_creation("acre_trimestres_suivants", "toutes", "toutes", date_creation)
    quarters = int(row.valeur)
    return quarter_end(quarter_index(date_creation) + quarters)


def taux_cotisations(activite: Activite, on: date, acre: bool = False,
                     date_creation: date | None = None, zone: Zone = Zone.METROPOLE,
                     rates: Rates | None = None) -> ContributionRate:
    """Global micro-social rate for a period dated ``on``."""
    return _taux(activite, on, acre, date_creation, zone, rates or get_rates())


@lru_cache(maxsize=65536)
def _taux(activite: Activite, on: date, acre: bool, date_creation: date | None, zone: Zone,
          rates: Rates) -> ContributionRate:
    if acre and date_creation is None:
        raise XlaeError("acre : l'ACRE demande la date de création (argument date_creation), "
                        "qui fixe sa durée et son taux.", "date_creation")
    if zone is not Zone.METROPOLE:
        return _taux_drom(activite, on, acre, date_creation, zone, rates)
    normal = rates.lookup("taux_cotisations", activite.value, zone.value, on)
    if not acre:
        return ContributionRate(normal.valeur, (normal,), f"taux normal {activite.value}")
    end = acre_end(date_creation, rates)
    if not date_creation <= on <= end:
        when = "pas encore commencée" if on < date_creation else f"terminée le {end:%d/%m/%Y}"
        return ContributionRate(normal.valeur, (normal,), f"taux normal (ACRE {when})")
    if activite is Activite.BNC_CIPAV:
        fixed = rates.lookup("taux_cotisations_acre", activite.value, zone.value, on)
        return ContributionRate(fixed.valeur, (fixed, normal),
                                f"taux ACRE Cipav fixe, jusqu'au {end:%d/%m/%Y}")
    share = rates.lookup_by_creation("acre_part", "toutes", "toutes", date_creation)
    decimals = rates.lookup("acre_decimales", activite.value, "toutes", on)
    percent = round_to(normal.valeur * 100 * share.valeur, int(decimals.valeur))
    return ContributionRate(percent / 100, (normal, share, decimals),
                            f"ACRE : {share.valeur * 100:.0f} % du taux normal, arrondi à "
                            f"{decimals.valeur} décimale(s), jusqu'au {end:%d/%m/%Y}")


def _taux_drom(activite: Activite, on: date, acre: bool, date_creation: date | None, zone: Zone,
               rates: Rates) -> ContributionRate:
    if date_creation is None:
        raise XlaeError(f"date_creation : les taux {zone.value.upper()} dépendent de l'ancienneté ; "
                        "indiquez la date de création.", "date_creation")
    p1 = rates.lookup("drom_p1_trimestres", "toutes", zone.value, on)
    p2 = rates.lookup("drom_p2_annees", "toutes", zone.value, on)
    if quarter_index(on) - quarter_index(date_creation) < int(p1.valeur):
        parametre, period = "taux_cotisations_drom_p1", f"jusqu'au {int(p1.valeur)}e trimestre civil"
    elif on.year - date_creation.year < int(p2.valeur):
        parametre, period = "taux_cotisations_drom_p2", f"jusqu'à la fin de la {int(p2.valeur)}e année civile"
    else:
        parametre, period = "taux_cotisations_drom_apres", "après la période réduite"
    row = rates.lookup(parametre, activite.value, zone.value, on)
    note = " ; ACRE non cumulable, non appliquée" if acre else ""
    return ContributionRate(row.valeur, (row, p1, p2), f"taux {zone.value.upper()} {period}{note}")


def cotisations(ca: Decimal, activite: Activite, on: date, acre: bool = False,
                date_creation: date | None = None, zone: Zone = Zone.METROPOLE,
                rates: Rates | None = None) -> Decimal:
    """Social contributions in € (to the cent) on CA encaissé in the period dated ``on``."""
    return cents(ca * taux_cotisations(activite, on, acre, date_creation, zone, rates).taux)
