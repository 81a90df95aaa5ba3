"""Fonctions Excel AE_* de xlae (xlwings classique et xlwings Lite).

Adapter only: each function coerces what Excel hands over (floats for dates,
None or "" for empty cells, 2-D lists for ranges), calls a pure rule of
``xlae.rules`` and returns a number rounded to the cent, a date or a French
text. ``xlae.excel`` registers them with xlwings under their upper-case name
(``AE_PLAFOND``) and turns a bad input into what the runtime can show: ``#VALUE!``
with the French message in xlwings Lite, the text « Erreur : … » in classic
xlwings and in plain Python calls (use ``xlae.rules`` to get exceptions).
A range in ``date_periode`` gives one result per cell (a spilled array).
"""

import datetime as dt
import functools
from typing import Any

from . import coerce
from .errors import XlaeError
from .excel import ARG_ACTIVITE, ARG_ACTIVITE_SEULE, ARG_ANNEE, excel_function, money, upper_case_names
from .rates import Rates, get_rates
from .rules import abattement as _abattement
from .rules import contributions as _contrib
from .rules import cotisations as _cotisations
from .rules import echeance as _echeance
from .rules import plafond as _plafond
from .rules import tva as _tva
from .rules.money import ZERO
from .rules.vocabulary import parse_nature, parse_periodicite, parse_zone

ARG_CA = ("Chiffre d'affaires encaissé en € (une plage de même forme que activite pour une "
          "activité mixte : le total de chaque activité compte).")
ARG_DATE_PERIODE = ("Un jour de la période (vide : aujourd'hui). Une plage de dates donne un "
                    "résultat par date (tableau dynamique).")
ARG_DATE_CREATION = "Date de création (début d'activité) de la micro-entreprise."
ARG_ACRE = "Bénéficie de l'ACRE : VRAI/FAUX, 1/0, « oui »/« non » (vide : non)."
ARG_ZONE = "metropole (vide), drom ou mayotte."
ARG_NATURE = "commerciale, artisanale ou liberale (vide : déduite de l'activité)."
ARG_CA_ANNEE = "CA encaissé de l'année en € (une plage, avec activite, pour une activité mixte)."


@excel_function(
    activite="Activité (une plage pour une activité mixte : le plafond global s'applique).",
    annee="Année dont le CA est jugé (vide : année en cours).",
    date_creation="Date de création : plafond proratisé l'année de création (vide : année pleine).",
)
def ae_plafond(activite: Any, annee: Any = None, date_creation: Any = None):
    """Plafond de CA de l'année en €, proratisé l'année de création. C'est le plafond de l'année suivante, qui décide du régime (CGI 50-0, 102 ter) : le CA 2025 est jugé avec le plafond 2026."""
    year = coerce.to_covered_year(annee)
    start = coerce.to_date(date_creation, "date_creation", default_today=False)
    return _plafond_of(frozenset(coerce.activites_of(activite)), year, start, get_rates())


@functools.lru_cache(maxsize=4096)
def _plafond_of(activites: frozenset, year: int, start: dt.date | None, rates: Rates) -> float:
    """Pure part of AE_PLAFOND, memoised: a workbook asks the same ceiling in many cells.

    Keyed by the rates sheet in use, so switching sheets never returns a stale value.
    """
    limit = _plafond.limits(set(activites), year, rates)[0]
    return money(_plafond.plafond(limit.activites[0], year, start, rates))


@excel_function(date_creation=ARG_DATE_CREATION, annee=ARG_ANNEE)
def ae_prorata(date_creation: Any, annee: Any = None):
    """Part de l'année en activité (0 à 1) : jours du début d'activité au 31/12 inclus ÷ 365, au plus 1."""
    if coerce.is_empty(date_creation):
        raise XlaeError("date_creation : obligatoire pour calculer le prorata.", "date_creation")
    start = coerce.to_date(date_creation, "date_creation")
    return float(_plafond.prorata(start, coerce.to_covered_year(annee)))


@excel_function(ca=ARG_CA, activite=ARG_ACTIVITE, annee=ARG_ANNEE)
def ae_abattement(ca: Any, activite: Any, annee: Any = None):
    """Abattement forfaitaire en € (71 %, 50 % ou 34 % du CA, au moins 305 € par catégorie de CA)."""
    return money(_abattement.abattement(coerce.amounts_by_activite(ca, activite), coerce.to_covered_year(annee)))


@excel_function(ca=ARG_CA, activite=ARG_ACTIVITE, annee=ARG_ANNEE)
def ae_revenu(ca: Any, activite: Any, annee: Any = None):
    """Revenu imposable en € : CA moins l'abattement forfaitaire, jamais négatif."""
    return money(_abattement.revenu(coerce.amounts_by_activite(ca, activite), coerce.to_covered_year(annee)))


@excel_function(spill="date_periode", activite=ARG_ACTIVITE_SEULE, date_periode=ARG_DATE_PERIODE,
                acre=ARG_ACRE, date_creation=ARG_DATE_CREATION + " Obligatoire avec l'ACRE ou hors métropole.",
                zone=ARG_ZONE)
def ae_taux(activite: Any, date_periode: Any = None, acre: Any = None, date_creation: Any = None,
            zone: Any = None):
    """Taux global de cotisations sociales (fraction, ex. 0,212) à la date, ACRE comprise si elle s'applique."""
    rate = _cotisations.taux_cotisations(
        coerce.single_activite(activite), coerce.to_covered_date(date_periode, "date_periode"),
        coerce.to_bool(acre, "acre"), coerce.to_date(date_creation, "date_creation", default_today=False),
        parse_zone(zone))
    return float(rate.taux)


@excel_function(spill="date_periode", ca=ARG_CA, activite=ARG_ACTIVITE, date_periode=ARG_DATE_PERIODE,
                acre=ARG_ACRE, date_creation=ARG_DATE_CREATION + " Obligatoire avec l'ACRE ou hors métropole.",
                zone=ARG_ZONE)
def ae_cotisations(ca: Any, activite: Any, date_periode: Any = None, acre: Any = None, date_creation: Any = None,
                   zone: Any = None):
    """Cotisations sociales en € sur le CA encaissé de la période, au taux de sa date (CSS D613-4), ACRE comprise."""
    on = coerce.to_covered_date(date_periode, "date_periode")
    with_acre = coerce.to_bool(acre, "acre")
    start = coerce.to_date(date_creation, "date_creation", default_today=False)
    where = parse_zone(zone)
    total = ZERO
    for code, amount in coerce.amounts_by_activite(ca, activite).items():
        total += _cotisations.cotisations(amount, code, on, with_acre, start, where)
    return float(total)


@excel_function(spill="date_periode", ca=ARG_CA, activite=ARG_ACTIVITE, date_periode=ARG_DATE_PERIODE,
                nature=ARG_NATURE)
def ae_cfp(ca: Any, activite: Any, date_periode: Any = None, nature: Any = None):
    """Contribution à la formation professionnelle en € (0,1 %, 0,2 % ou 0,3 % du CA selon l'activité)."""
    on = coerce.to_covered_date(date_periode, "date_periode")
    total = ZERO
    for code, amount in coerce.amounts_by_activite(ca, activite).items():
        total += _contrib.cfp(amount, code, on, parse_nature(nature, code))
    return float(total)


@excel_function(spill="date_periode", ca=ARG_CA, activite=ARG_ACTIVITE, date_periode=ARG_DATE_PERIODE,
                nature=ARG_NATURE,
                departement="Département (57, 67, 68 : taux d'Alsace-Moselle des artisans ; vide : autre).")
def ae_tfc(ca: Any, activite: Any, date_periode: Any = None, nature: Any = None, departement: Any = None):
    """Taxe pour frais de chambre consulaire en € (CCI ou CMA ; aucune pour les libéraux)."""
    on = coerce.to_covered_date(date_periode, "date_periode")
    dept = _contrib.parse_departement(departement)
    total = ZERO
    for code, amount in coerce.amounts_by_activite(ca, activite).items():
        total += _contrib.tfc(amount, code, on, parse_nature(nature, code), dept)
    return float(total)


@excel_function(spill="date_periode", ca=ARG_CA, activite=ARG_ACTIVITE, date_periode=ARG_DATE_PERIODE)
def ae_vl(ca: Any, activite: Any, date_periode: Any = None):
    """Versement libératoire de l'impôt sur le revenu en € (1 %, 1,7 % ou 2,2 % du CA selon l'activité)."""
    on = coerce.to_covered_date(date_periode, "date_periode")
    total = ZERO
    for code, amount in coerce.amounts_by_activite(ca, activite).items():
        total += _contrib.vl(amount, code, on)
    return float(total)


@excel_function(activite=ARG_ACTIVITE, annee=ARG_ANNEE,
                majore="VRAI : seuil majoré (dépassé en cours d'année, la franchise cesse) ; vide : seuil de base.")
def ae_tva_seuil(activite: Any, annee: Any = None, majore: Any = None):
    """Seuil de franchise en base de TVA en € (CGI 293 B) : seuil de base, ou majoré avec majore à VRAI."""
    threshold = _tva.seuils(coerce.activites_of(activite), coerce.to_covered_year(annee))[0]
    return float(threshold.majore if coerce.to_bool(majore, "majore") else threshold.base)


@excel_function(ca_annee=ARG_CA_ANNEE,
                ca_annee_precedente="CA de l'année précédente en € (vide : pas d'activité, année de création).",
                activite=ARG_ACTIVITE, annee=ARG_ANNEE)
def ae_tva(ca_annee: Any, ca_annee_precedente: Any, activite: Any, annee: Any = None):
    """Statut de franchise de TVA de l'année, en clair, avec la raison (CGI 293 B)."""
    current = coerce.amounts_by_activite(ca_annee, activite, "ca_annee")
    previous = coerce.amounts_by_activite(ca_annee_precedente, activite, "ca_annee_precedente")
    return _tva.statut_tva(current, previous, coerce.to_covered_year(annee)).message


@excel_function(ca_annee=ARG_CA_ANNEE, activite=ARG_ACTIVITE, annee=ARG_ANNEE,
                date_creation=ARG_DATE_CREATION + " Le plafond de l'année de création est proratisé.",
                ca_annee_precedente="CA de l'année précédente en € (tolérance d'une année de dépassement).")
def ae_depassement(ca_annee: Any, activite: Any, annee: Any = None, date_creation: Any = None,
                   ca_annee_precedente: Any = None):
    """Situation au regard du plafond, en clair : sous le plafond, premier dépassement toléré, ou sortie du régime."""
    current = coerce.amounts_by_activite(ca_annee, activite, "ca_annee")
    previous = (None if coerce.is_empty(ca_annee_precedente)
                else coerce.amounts_by_activite(ca_annee_precedente, activite, "ca_annee_precedente"))
    start = coerce.to_date(date_creation, "date_creation", default_today=False)
    return _plafond.depassement(current, coerce.to_covered_year(annee), start, previous).message


@excel_function(spill="date_periode",
                date_periode="Un jour de la période déclarée (vide : aujourd'hui). Une plage de dates donne "
                             "une échéance par date.",
                periodicite="mensuelle (vide) ou trimestrielle.",
                date_creation=ARG_DATE_CREATION + " Pour la première déclaration (au moins 90 jours d'activité).")
def ae_echeance(date_periode: Any = None, periodicite: Any = None, date_creation: Any = None):
    """Date limite de la déclaration URSSAF de la période de cette date (dernier jour du mois qui suit la période)."""
    start = coerce.to_date(date_creation, "date_creation", default_today=False)
    on = coerce.to_date(date_periode, "date_periode")
    return _echeance.declaration(on, parse_periodicite(periodicite), start, argument="date_periode").echeance


@excel_function(spill="date_vigueur",
                parametre="Nom du paramètre du barème (ex. taux_cotisations, plafond_ca).",
                categorie="Catégorie : activité (vente, service_bic, bnc, bnc_cipav…), ou vide : toutes.",
                date_vigueur="Date à laquelle la valeur est en vigueur (vide : aujourd'hui).",
                zone="Zone : metropole, drom, mayotte, alsace, moselle (vide : toutes).")
def ae_source(parametre: Any, categorie: Any = None, date_vigueur: Any = None, zone: Any = None):
    """Valeur du barème en vigueur à la date, avec son statut (vérifié, déduit, incertain) et sa source légale."""
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
    return rates.lookup(name, category, where, coerce.to_covered_date(date_vigueur, "date_vigueur")).cite()


__all__ = ["ae_plafond", "ae_prorata", "ae_abattement", "ae_revenu", "ae_taux", "ae_cotisations",
           "ae_cfp", "ae_tfc", "ae_vl", "ae_tva_seuil", "ae_tva", "ae_depassement", "ae_echeance",
           "ae_source"]

# xlwings calls AE_PLAFOND (the Excel name): served here without listing it twice in dir().
__getattr__ = upper_case_names(globals())
