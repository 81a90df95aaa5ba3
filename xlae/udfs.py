"""Fonctions Excel AE_* de xlae (xlwings).

Adapter only: each function coerces what Excel hands over (floats for dates,
None for empty cells, 2-D lists for ranges), calls a pure rule of
``xlae.rules`` and returns a number rounded to the cent, a date or a French
text. A bad input returns the French error message, which the cell shows;
called from Python the functions behave the same way (use ``xlae.rules`` to
get exceptions instead). Excel names are the upper-cased Python names.
"""

import datetime as dt
import functools
from typing import Any, Callable

import xlwings as xw

from . import coerce
from .errors import XlaeError
from .rates import Rates, get_rates
from .rules import abattement as _abattement
from .rules import contributions as _contrib
from .rules import cotisations as _cotisations
from .rules import echeance as _echeance
from .rules import plafond as _plafond
from .rules import tva as _tva
from .rules.money import ZERO, cents
from .rules.vocabulary import parse_nature, parse_periodicite, parse_zone

ERROR_PREFIX = "Erreur : "
CATEGORY = "xlae (micro-entrepreneur)"

ARG_ACTIVITE = ("Activité : vente, service_bic, bnc ou bnc_cipav (ou libellé courant : "
                "« BNC », « Libéral »…). Une plage pour une activité mixte.")
ARG_CA = "Chiffre d'affaires encaissé en € (une plage de même forme que activite pour une activité mixte)."
ARG_ANNEE = "Année (vide : année en cours)."
ARG_DATE = "Date de la période déclarée (vide : aujourd'hui)."
ARG_DATE_CREATION = "Date de création (début d'activité) de la micro-entreprise."
ARG_ACRE = "Bénéficie de l'ACRE : VRAI/FAUX, 1/0, « oui »/« non » (vide : non)."
ARG_ZONE = "metropole (défaut), drom ou mayotte."
ARG_NATURE = "commerciale, artisanale ou liberale (vide : déduite de l'activité)."


def excel_errors(function: Callable[..., Any]) -> Callable[..., Any]:
    """Return the French message instead of raising, so the cell shows it."""

    @functools.wraps(function)
    def wrapper(*args: Any) -> Any:
        try:
            return function(*args)
        except XlaeError as error:
            return ERROR_PREFIX + str(error)

    return wrapper


def _money(value: Any) -> float:
    return float(cents(value))


@xw.func(category=CATEGORY)
@xw.arg("activite", doc=ARG_ACTIVITE)
@xw.arg("annee", doc=ARG_ANNEE)
@xw.arg("date_creation", doc="Date de création : plafond proratisé l'année de création.")
@excel_errors
def ae_plafond(activite: Any, annee: Any = None, date_creation: Any = None) -> float | str:
    """Plafond que le CA de l'année ne doit pas dépasser (en €), proratisé l'année de création.

    C'est le plafond en vigueur l'année suivante, celui qui décide du régime de l'année suivante
    (CGI 50-0, 102 ter) : le CA 2025 est jugé avec le plafond 2026 (83 600 € en services).
    """
    year = coerce.to_covered_year(annee)
    start = coerce.to_date(date_creation, "date_creation", default_today=False)
    return _plafond_of(frozenset(coerce.activites_of(activite)), year, start, get_rates())


@functools.lru_cache(maxsize=4096)
def _plafond_of(activites: frozenset, year: int, start: dt.date | None, rates: Rates) -> float:
    """Pure part of AE_PLAFOND, memoised: a workbook asks the same ceiling in many cells.

    Keyed by the rates sheet in use, so switching sheets never returns a stale value.
    """
    limit = _plafond.limits(set(activites), year, rates)[0]
    return _money(_plafond.plafond(limit.activites[0], year, start, rates))


@xw.func(category=CATEGORY)
@xw.arg("date_creation", doc=ARG_DATE_CREATION)
@xw.arg("annee", doc=ARG_ANNEE)
@excel_errors
def ae_prorata(date_creation: Any, annee: Any = None) -> float | str:
    """Part de l'année en activité (0 à 1) : jours du début au 31/12 inclus ÷ 365, au plus 1."""
    if coerce.is_empty(date_creation):
        raise XlaeError("date_creation : obligatoire pour calculer le prorata.", "date_creation")
    start = coerce.to_date(date_creation, "date_creation")
    return float(_plafond.prorata(start, coerce.to_covered_year(annee)))


@xw.func(category=CATEGORY)
@xw.arg("ca", doc=ARG_CA)
@xw.arg("activite", doc=ARG_ACTIVITE)
@xw.arg("annee", doc=ARG_ANNEE)
@excel_errors
def ae_abattement(ca: Any, activite: Any, annee: Any = None) -> float | str:
    """Abattement forfaitaire en € (71 %, 50 % ou 34 %, au moins 305 € par catégorie de CA)."""
    return _money(_abattement.abattement(coerce.amounts_by_activite(ca, activite), coerce.to_covered_year(annee)))


@xw.func(category=CATEGORY)
@xw.arg("ca", doc=ARG_CA)
@xw.arg("activite", doc=ARG_ACTIVITE)
@xw.arg("annee", doc=ARG_ANNEE)
@excel_errors
def ae_revenu(ca: Any, activite: Any, annee: Any = None) -> float | str:
    """Revenu imposable en € : CA moins abattement forfaitaire, jamais négatif."""
    return _money(_abattement.revenu(coerce.amounts_by_activite(ca, activite), coerce.to_covered_year(annee)))


@xw.func(category=CATEGORY)
@xw.arg("activite", doc="Activité : vente, service_bic, bnc ou bnc_cipav.")
@xw.arg("date", doc=ARG_DATE)
@xw.arg("acre", doc=ARG_ACRE)
@xw.arg("date_creation", doc=ARG_DATE_CREATION + " Obligatoire avec l'ACRE ou hors métropole.")
@xw.arg("zone", doc=ARG_ZONE)
@excel_errors
def ae_taux(activite: Any, date: Any = None, acre: Any = None, date_creation: Any = None,
            zone: Any = None) -> float | str:
    """Taux global de cotisations sociales (fraction, ex. 0,212) à la date, avec l'ACRE si elle s'applique."""
    rate = _cotisations.taux_cotisations(
        coerce.single_activite(activite), coerce.to_date(date), coerce.to_bool(acre, "acre"),
        coerce.to_date(date_creation, "date_creation", default_today=False), parse_zone(zone))
    return float(rate.taux)


@xw.func(category=CATEGORY)
@xw.arg("ca", doc=ARG_CA)
@xw.arg("activite", doc=ARG_ACTIVITE)
@xw.arg("date", doc=ARG_DATE)
@xw.arg("acre", doc=ARG_ACRE)
@xw.arg("date_creation", doc=ARG_DATE_CREATION + " Obligatoire avec l'ACRE ou hors métropole.")
@xw.arg("zone", doc=ARG_ZONE)
@excel_errors
def ae_cotisations(ca: Any, activite: Any, date: Any = None, acre: Any = None, date_creation: Any = None,
                   zone: Any = None) -> float | str:
    """Cotisations sociales en € sur le CA encaissé de la période (taux CSS D613-4, ACRE comprise)."""
    on = coerce.to_date(date)
    with_acre = coerce.to_bool(acre, "acre")
    start = coerce.to_date(date_creation, "date_creation", default_today=False)
    where = parse_zone(zone)
    total = ZERO
    for code, amount in coerce.amounts_by_activite(ca, activite).items():
        total += _cotisations.cotisations(amount, code, on, with_acre, start, where)
    return float(total)


@xw.func(category=CATEGORY)
@xw.arg("ca", doc=ARG_CA)
@xw.arg("activite", doc=ARG_ACTIVITE)
@xw.arg("date", doc=ARG_DATE)
@xw.arg("nature", doc=ARG_NATURE)
@excel_errors
def ae_cfp(ca: Any, activite: Any, date: Any = None, nature: Any = None) -> float | str:
    """Contribution à la formation professionnelle en € (0,1 %, 0,2 % ou 0,3 % du CA)."""
    on = coerce.to_date(date)
    total = ZERO
    for code, amount in coerce.amounts_by_activite(ca, activite).items():
        total += _contrib.cfp(amount, code, on, parse_nature(nature, code))
    return float(total)


@xw.func(category=CATEGORY)
@xw.arg("ca", doc=ARG_CA)
@xw.arg("activite", doc=ARG_ACTIVITE)
@xw.arg("date", doc=ARG_DATE)
@xw.arg("nature", doc=ARG_NATURE)
@xw.arg("departement", doc="Département (57, 67, 68 : taux d'Alsace-Moselle pour les artisans).")
@excel_errors
def ae_tfc(ca: Any, activite: Any, date: Any = None, nature: Any = None, departement: Any = None) -> float | str:
    """Taxe pour frais de chambre consulaire en € (CCI ou CMA ; aucune pour les libéraux)."""
    on = coerce.to_date(date)
    dept = _contrib.parse_departement(departement)
    total = ZERO
    for code, amount in coerce.amounts_by_activite(ca, activite).items():
        total += _contrib.tfc(amount, code, on, parse_nature(nature, code), dept)
    return float(total)


@xw.func(category=CATEGORY)
@xw.arg("ca", doc=ARG_CA)
@xw.arg("activite", doc=ARG_ACTIVITE)
@xw.arg("date", doc=ARG_DATE)
@excel_errors
def ae_vl(ca: Any, activite: Any, date: Any = None) -> float | str:
    """Versement libératoire de l'impôt sur le revenu en € (1 %, 1,7 % ou 2,2 % du CA)."""
    on = coerce.to_date(date)
    total = ZERO
    for code, amount in coerce.amounts_by_activite(ca, activite).items():
        total += _contrib.vl(amount, code, on)
    return float(total)


@xw.func(category=CATEGORY)
@xw.arg("activite", doc=ARG_ACTIVITE)
@xw.arg("annee", doc=ARG_ANNEE)
@xw.arg("majore", doc="VRAI : seuil majoré (dépassé en cours d'année, la franchise cesse).")
@excel_errors
def ae_tva_seuil(activite: Any, annee: Any = None, majore: Any = None) -> float | str:
    """Seuil de franchise en base de TVA en € (CGI 293 B) : seuil de base ou majoré."""
    threshold = _tva.seuils(coerce.activites_of(activite), coerce.to_covered_year(annee))[0]
    return float(threshold.majore if coerce.to_bool(majore, "majore") else threshold.base)


@xw.func(category=CATEGORY)
@xw.arg("ca_annee", doc="CA encaissé de l'année (une plage pour une activité mixte).")
@xw.arg("ca_annee_precedente", doc="CA de l'année précédente (vide : pas d'activité, année de création).")
@xw.arg("activite", doc=ARG_ACTIVITE)
@xw.arg("annee", doc=ARG_ANNEE)
@excel_errors
def ae_tva(ca_annee: Any, ca_annee_precedente: Any, activite: Any, annee: Any = None) -> str:
    """Statut de franchise de TVA de l'année, en clair, avec la raison."""
    current = coerce.amounts_by_activite(ca_annee, activite, "ca_annee")
    previous = coerce.amounts_by_activite(ca_annee_precedente, activite, "ca_annee_precedente")
    return _tva.statut_tva(current, previous, coerce.to_covered_year(annee)).message


@xw.func(category=CATEGORY)
@xw.arg("ca_annee", doc="CA encaissé de l'année (une plage pour une activité mixte).")
@xw.arg("activite", doc=ARG_ACTIVITE)
@xw.arg("annee", doc=ARG_ANNEE)
@xw.arg("date_creation", doc=ARG_DATE_CREATION + " Le CA de l'année de création est proratisé.")
@xw.arg("ca_annee_precedente", doc="CA de l'année précédente (tolérance d'une année de dépassement).")
@excel_errors
def ae_depassement(ca_annee: Any, activite: Any, annee: Any = None, date_creation: Any = None,
                   ca_annee_precedente: Any = None) -> str:
    """Situation au regard du plafond, en clair : sous le plafond, premier dépassement toléré, ou sortie du régime."""
    current = coerce.amounts_by_activite(ca_annee, activite, "ca_annee")
    previous = (None if coerce.is_empty(ca_annee_precedente)
                else coerce.amounts_by_activite(ca_annee_precedente, activite, "ca_annee_precedente"))
    start = coerce.to_date(date_creation, "date_creation", default_today=False)
    return _plafond.depassement(current, coerce.to_covered_year(annee), start, previous).message


@xw.func(category=CATEGORY)
@xw.arg("date", doc="Un jour de la période déclarée (vide : aujourd'hui).")
@xw.arg("periodicite", doc="mensuelle (défaut) ou trimestrielle.")
@xw.arg("date_creation", doc=ARG_DATE_CREATION + " Pour la première déclaration (au moins 90 jours).")
@xw.ret(dates=dt.date)
@excel_errors
def ae_echeance(date: Any = None, periodicite: Any = None, date_creation: Any = None) -> dt.date | str:
    """Date limite de la déclaration URSSAF couvrant cette date (dernier jour du mois suivant la période)."""
    start = coerce.to_date(date_creation, "date_creation", default_today=False)
    return _echeance.declaration(coerce.to_date(date), parse_periodicite(periodicite), start).echeance


@xw.func(category=CATEGORY)
@xw.arg("parametre", doc="Nom du paramètre du barème (ex. taux_cotisations, plafond_ca).")
@xw.arg("categorie", doc="Catégorie (activité, ou toutes).")
@xw.arg("date", doc=ARG_DATE)
@xw.arg("zone", doc="Zone (metropole, drom, mayotte, alsace, moselle ou toutes).")
@excel_errors
def ae_source(parametre: Any, categorie: Any = None, date: Any = None, zone: Any = None) -> str:
    """Valeur du barème en vigueur à la date, avec son statut et sa source légale."""
    rates = get_rates()
    name = str(parametre or "").strip()
    if name not in rates.parameters:
        raise XlaeError(f"parametre : « {name} » inconnu. Paramètres du barème : "
                        f"{', '.join(sorted(rates.parameters))}.", "parametre")
    category = "toutes" if coerce.is_empty(categorie) else str(categorie).strip()
    if category != "toutes":
        try:
            category = coerce.single_activite(category).value
        except XlaeError:
            pass  # CFP/TFC categories (commerciale_service…) are used as typed
    where = "toutes" if coerce.is_empty(zone) else str(zone).strip().lower()
    if where == "toutes" and name.startswith("taux_cotisations"):
        where = "metropole"
    return rates.lookup(name, category, where, coerce.to_date(date)).cite()


__all__ = ["ae_plafond", "ae_prorata", "ae_abattement", "ae_revenu", "ae_taux", "ae_cotisations",
           "ae_cfp", "ae_tfc", "ae_vl", "ae_tva_seuil", "ae_tva", "ae_depassement", "ae_echeance",
           "ae_source"]
