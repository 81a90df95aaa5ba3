"""Fonctions Excel AE_* des droits sociaux, de l'impôt et des prévisions (xlwings).

Adapter only, like ``xlae.udfs``: coerce what Excel hands over, call a rule of
``xlae.rules.droits``, ``impot`` or ``prevision``, return a number rounded to the
cent, an integer, a date or a French text. Registration with xlwings goes through
``xlae.excel.excel_function`` (upper-case Excel names, French errors).
"""

from typing import Any

from . import coerce
from .errors import XlaeError, invalid
from .excel import ARG_ACTIVITE, ARG_ACTIVITE_SEULE, ARG_ANNEE, excel_function, money, upper_case_names
from .rules import abattement as _abattement
from .rules import droits as _droits
from .rules import impot as _impot
from .rules import prevision as _prevision
from .rules.vocabulary import normalize, parse_activite

ARG_ANNEE_REVENUS = "Année des revenus (le CA de 2025 est imposé en 2026 ; vide : année en cours)."
ARG_CA_N = "CA encaissé de l'année {n} avant l'arrêt, en € (vide : 0)."
ARG_PARTS = "Nombre de parts du foyer fiscal (vide : 1 ; 2 et plus : couple, sauf couple = FAUX)."
ARG_AUTRES = "Autres revenus nets imposables du foyer en € (salaires après 10 %…) ; vide : 0."
ARG_COUPLE = "VRAI : couple soumis à imposition commune (vide : couple dès 2 parts)."
ARG_DETAIL = "VRAI : renvoie l'explication en clair au lieu du montant."


def _household(parts: Any, couple: Any) -> _impot.Household:
    return _impot.household(coerce.to_number(parts, "parts"), None if coerce.is_empty(couple) else coerce.to_bool(couple, "couple"))


def _reference_years(ca_n1: Any, ca_n2: Any, ca_n3: Any, activite: Any) -> list[dict]:
    return [coerce.amounts_by_activite(ca, activite, name)
            for ca, name in ((ca_n1, "ca_n1"), (ca_n2, "ca_n2"), (ca_n3, "ca_n3"))]


@excel_function(ca="Chiffre d'affaires encaissé de l'année en €.", activite=ARG_ACTIVITE, annee=ARG_ANNEE)
def ae_trimestres(ca: Any, activite: Any, annee: Any = None):
    """Trimestres de retraite validés par le CA de l'année (0 à 4) : revenu (CA − abattement, sans minimum de 305 €) ÷ 150 × SMIC horaire du 1er janvier ; Cipav : CA ÷ montant Cipav par trimestre."""
    year = coerce.to_covered_year(annee)
    return _droits.trimestres(coerce.amounts_by_activite(ca, activite), year).trimestres


@excel_function(nb="Nombre de trimestres visés (0 à 4).", activite=ARG_ACTIVITE_SEULE,
                annee=ARG_ANNEE)
def ae_ca_trimestres(nb: Any, activite: Any, annee: Any = None):
    """CA minimal de l'année (en € entiers) pour valider nb trimestres de retraite."""
    count = coerce.to_number(nb, "nb")
    if count is None or count != count.to_integral_value():
        raise invalid("nb", nb, "un nombre entier de trimestres de 0 à 4")
    year = coerce.to_covered_year(annee)
    return float(_droits.ca_pour_trimestres(int(count), coerce.single_activite(activite), year))


@excel_function(ca_n1=ARG_CA_N.format(n="précédant"), ca_n2=ARG_CA_N.format(n="2e"), ca_n3=ARG_CA_N.format(n="3e"),
                activite=ARG_ACTIVITE, date_arret="Premier jour de l'arrêt (date du constat ; vide : aujourd'hui).",
                detail=ARG_DETAIL)
def ae_ij(ca_n1: Any, ca_n2: Any, ca_n3: Any, activite: Any, date_arret: Any = None, detail: Any = None):
    """Indemnité journalière maladie (€/jour) : RAAM des 3 années civiles précédentes ÷ 730, plafonné à 1 PASS (3 PASS Cipav), nulle sous 10 % du PASS moyen (CSS D622-7, D622-8)."""
    on = coerce.to_covered_date(date_arret, "date_arret")
    result = _droits.ij_maladie(_reference_years(ca_n1, ca_n2, ca_n3, activite), on)
    return result.message if coerce.to_bool(detail, "detail") else money(result.montant)


@excel_function(ca_n1=ARG_CA_N.format(n="précédant"), ca_n2=ARG_CA_N.format(n="2e"), ca_n3=ARG_CA_N.format(n="3e"),
                activite=ARG_ACTIVITE, date_conge="Premier jour du congé (vide : aujourd'hui).",
                conge=("maternite (défaut), maternite_3e_enfant, jumeaux, triples, paternite ou "
                       "paternite_multiple."), detail=ARG_DETAIL)
def ae_maternite(ca_n1: Any, ca_n2: Any, ca_n3: Any, activite: Any, date_conge: Any = None, conge: Any = None,
                 detail: Any = None):
    """Total des allocations du congé (€) : maternité = 1 PMSS + PASS/730 par jour ; paternité = PASS/730 par jour ; 10 % seulement sous le seuil de RAAM (CSS D623-1 à D623-3)."""
    on = coerce.to_covered_date(date_conge, "date_conge")
    kind = "maternite" if coerce.is_empty(conge) else normalize(str(conge)).replace(" ", "_")
    if kind not in _droits.CONGES:
        raise invalid("conge", conge, _droits.CONGES)
    result = _droits.conge(_reference_years(ca_n1, ca_n2, ca_n3, activite), on, kind)
    return result.message if coerce.to_bool(detail, "detail") else money(result.total)


@excel_function(ca="CA encaissé de l'année des revenus en €.", activite=ARG_ACTIVITE, annee=ARG_ANNEE_REVENUS,
                parts=ARG_PARTS, autres_revenus=ARG_AUTRES, couple=ARG_COUPLE)
def ae_impot(ca: Any, activite: Any, annee: Any = None, parts: Any = None, autres_revenus: Any = None,
             couple: Any = None):
    """Impôt sur le revenu du foyer au barème (€) : revenu micro (CA − abattement) + autres revenus, quotient familial plafonné, décote (CGI 197)."""
    year = coerce.to_covered_year(annee)
    amounts = coerce.amounts_by_activite(ca, activite)
    income = _abattement.revenu(amounts, year) + coerce.to_amount(autres_revenus, "autres_revenus")
    return money(_impot.impot(income, _household(parts, couple), year).net)


@excel_function(ca="CA encaissé de l'année des revenus en €.", activite=ARG_ACTIVITE, annee=ARG_ANNEE_REVENUS,
                parts=ARG_PARTS, autres_revenus=ARG_AUTRES,
                rfr="Revenu fiscal de référence de l'avant-dernière année (vide : condition seulement rappelée).",
                couple=ARG_COUPLE)
def ae_impot_vl(ca: Any, activite: Any, annee: Any = None, parts: Any = None, autres_revenus: Any = None,
                rfr: Any = None, couple: Any = None):
    """Barème ou versement libératoire, en clair : coût de chacun, le moins cher et de combien, et si le versement libératoire est permis (RFR N-2)."""
    year = coerce.to_covered_year(annee)
    limit = None if coerce.is_empty(rfr) else coerce.to_amount(rfr, "rfr")
    return _impot.comparaison_vl(coerce.amounts_by_activite(ca, activite), year, _household(parts, couple),
                                 coerce.to_amount(autres_revenus, "autres_revenus"), limit).message


@excel_function(activite=ARG_ACTIVITE_SEULE,
                versement_liberatoire="VRAI si vous avez opté pour le versement libératoire (vide : non).")
def ae_case_2042(activite: Any, versement_liberatoire: Any = None):
    """Case de la déclaration 2042-C-PRO (déclarant 1) où reporter le CA brut : 5KO, 5KP, 5HQ ; avec versement libératoire 5TA, 5TB, 5TE."""
    return _impot.case_2042(coerce.single_activite(activite),
                            coerce.to_bool(versement_liberatoire, "versement_liberatoire"))


@excel_function(ca="CA encaissé depuis le 1er janvier (ou la création) jusqu'à date_calcul, en €.",
                activite=ARG_ACTIVITE, date_calcul="Date jusqu'à laquelle le CA est compté (vide : aujourd'hui).",
                seuil="plafond (défaut, régime micro), tva (seuil de franchise) ou tva_majore.",
                date_creation="Date de création si elle tombe dans l'année (rythme et plafond proratisés).")
def ae_date_depassement(ca: Any, activite: Any, date_calcul: Any = None, seuil: Any = None,
                        date_creation: Any = None):
    """Date à laquelle le CA dépassera le seuil au rythme de l'année jusqu'ici, ou « pas cette année » (« déjà dépassé » si c'est fait)."""
    on = coerce.to_covered_date(date_calcul, "date_calcul")
    kind = "plafond" if coerce.is_empty(seuil) else normalize(str(seuil)).replace(" ", "_")
    start = coerce.to_date(date_creation, "date_creation", default_today=False)
    found = _prevision.forecast(coerce.amounts_by_activite(ca, activite), on, kind, start)
    if found.deja:
        return _prevision.DEJA
    return found.date or _prevision.PAS_CETTE_ANNEE


@excel_function(dates="Colonne des dates d'encaissement (livre des recettes).",
                montants="Colonne des montants encaissés, de même taille.",
                activites="Colonne des catégories (vente, service_bic, bnc, bnc_cipav), de même taille.",
                annee=ARG_ANNEE)
def ae_tva_depassement(dates: Any, montants: Any, activites: Any, annee: Any = None):
    """Date à partir de laquelle la TVA est due (seuil majoré dépassé), sinon la situation en clair (fin de franchise au 1er janvier suivant, ou seuils non dépassés)."""
    year = coerce.to_covered_year(annee)
    receipts = _receipts(dates, montants, activites)
    report = _prevision.tva_depassement(receipts, year)
    for crossing in report.crossings:
        if crossing.tva_due_depuis is not None:
            return crossing.tva_due_depuis
    return report.message or f"Seuils de franchise de TVA non dépassés en {year}."


def _receipts(dates: Any, montants: Any, activites: Any) -> list[_prevision.Receipt]:
    day_cells, shape = coerce.flatten(dates, "dates")
    amounts, amount_shape = coerce.flatten(montants, "montants")
    kinds, kind_shape = coerce.flatten(activites, "activites")
    if not len(day_cells) == len(amounts) == len(kinds):
        raise XlaeError(f"dates, montants et activites : les trois plages doivent avoir la même taille "
                        f"({len(day_cells)}, {len(amounts)} et {len(kinds)} cellules).", "montants")
    found = []
    for position, (when, amount, kind) in enumerate(zip(day_cells, amounts, kinds), start=1):
        if coerce.is_empty(when) and coerce.is_empty(amount):
            continue
        value = coerce.to_amount(amount, f"montants (cellule {position})")
        day = coerce.to_date(when, f"dates (cellule {position})", default_today=False)
        if day is None:
            raise XlaeError(f"dates (cellule {position}) : vide alors qu'un montant est saisi.", "dates")
        found.append(_prevision.Receipt(day, parse_activite(kind, f"activites (cellule {position})"), value,
                                        ligne=position))
    return found


__all__ = ["ae_trimestres", "ae_ca_trimestres", "ae_ij", "ae_maternite", "ae_impot", "ae_impot_vl",
           "ae_case_2042", "ae_date_depassement", "ae_tva_depassement"]
__getattr__ = upper_case_names(globals())
