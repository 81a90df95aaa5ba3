"""Contributions collected with the social ones: CFP, TFC and versement libératoire.

Sources (rows ``cfp_taux``, ``tfc_taux``, ``vl_taux``):
- CFP, C. trav. L6331-48: 0.1 % sales by a commerçant, 0.2 % commercial services
  and liberal professions (the URSSAF simulator charges 0.1 % on commercial
  services: row ``cfp_taux_urssaf``, not used by default), 0.3 % artisans.
- TFC (service-public F32847/F37483): CCI 0.044 % services, 0.015 % sales; CMA
  0.48 % services, 0.22 % sales, higher in Alsace (67, 68) and Moselle (57);
  none for liberal professions.
- VL, CGI 151-0: 1 % sales, 1.7 % BIC services, 2.2 % BNC.
None of them is reduced by ACRE.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

from ..errors import invalid
from ..rates import Rate, Rates, get_rates
from .money import cents
from .vocabulary import Activite, Nature, normalize

_DEPARTEMENT_NAMES = {"bas rhin": "67", "haut rhin": "68", "moselle": "57", "corse du sud": "2A",
                      "haute corse": "2B"}
_TFC_ZONES = {"57": "moselle", "67": "alsace", "68": "alsace"}


def _key(activite: Activite, nature: Nature) -> str:
    if nature is Nature.LIBERALE:
        return "liberale"
    kind = "vente" if activite is Activite.VENTE else "service"
    return f"{nature.value}_{kind}"


def cfp_row(activite: Activite, on: date, nature: Nature, rates: Rates | None = None) -> Rate:
    rates = rates or get_rates()
    key = "artisanale" if nature is Nature.ARTISANALE else _key(activite, nature)
    return rates.lookup("cfp_taux", key, "toutes", on)


def cfp(ca: Decimal, activite: Activite, on: date, nature: Nature, rates: Rates | None = None) -> Decimal:
    """Contribution à la formation professionnelle, in € to the cent."""
    return cents(ca * cfp_row(activite, on, nature, rates).valeur)


def parse_departement(value: Any) -> str | None:
    """Department code ("01".."95", "2A", "2B", "971".."976") or None when empty."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip().upper()
    if re.fullmatch(r"\d", text):
        text = "0" + text
    named = _DEPARTEMENT_NAMES.get(normalize(text))
    if named:
        return named
    if re.fullmatch(r"0[1-9]|[1-8]\d|9[0-5]|2A|2B|97[1-46]", text):
        return text
    raise invalid("departement", value, "un numéro de département (01 à 95, 2A, 2B, 971 à 976) "
                                        "ou « Bas-Rhin », « Haut-Rhin », « Moselle »")


def tfc_row(activite: Activite, on: date, nature: Nature, departement: str | None = None,
            rates: Rates | None = None) -> Rate:
    rates = rates or get_rates()
    zone = _TFC_ZONES.get(departement or "", "toutes")
    return rates.lookup("tfc_taux", _key(activite, nature), zone, on)


def tfc(ca: Decimal, activite: Activite, on: date, nature: Nature, departement: str | None = None,
        rates: Rates | None = None) -> Decimal:
    """Taxe pour frais de chambre consulaire, in € to the cent."""
    return cents(ca * tfc_row(activite, on, nature, departement, rates).valeur)


def tfc_threshold_row(on: date, rates: Rates | None = None) -> Rate:
    """The 5 000 € annual CA under which service-public says no TFC is due (UNCERTAIN).

    Not applied to the amounts: URSSAF and mon-entreprise levy the TFC on every
    declaration, and how the threshold works is not documented; shown as a note.
    """
    return (rates or get_rates()).lookup("tfc_seuil_ca_annuel", "toutes", "toutes", on)


def vl_row(activite: Activite, on: date, rates: Rates | None = None) -> Rate:
    return (rates or get_rates()).lookup("vl_taux", activite.value, "toutes", on)


def vl(ca: Decimal, activite: Activite, on: date, rates: Rates | None = None) -> Decimal:
    """Versement libératoire de l'impôt sur le revenu, in € to the cent."""
    return cents(ca * vl_row(activite, on, rates).valeur)


# Rows whose change cuts a declaration into rate periods (with the contribution rate itself).
CONTRIBUTION_PARAMETERS = ("cfp_taux", "cfp_taux_urssaf", "tfc_taux", "vl_taux")


def contribution_rates_since(on: date, rates: Rates | None = None) -> date | None:
    """Date since which the CFP, TFC and VL rows in force on ``on`` apply (None before any row).

    Why: a declaration is cut into rate periods where a contribution rate or one of
    these rows changes; the Synthèse (column R) and ``xlae declaration`` cut at the
    same places, so they round the same amounts.
    """
    dates = [r.date_effet for r in (rates or get_rates()).rows
             if r.parametre in CONTRIBUTION_PARAMETERS and r.date_effet <= on]
    return max(dates, default=None)
