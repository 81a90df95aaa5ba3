"""« Droits et impôt » of the Synthèse (issue 12 item 2), first part: parameters, quarters, sick pay, 2042-C-PRO.

Why: what the revenu gives back (retirement quarters, sick pay) and what to type in
the 2042-C-PRO, for the displayed year, in any spreadsheet without an add-in. Each
figure's Python twin calls the AE_* function of ``xlae.udfs_droits`` (rules in
``xlae.rules.droits``, ``impot``, ``prevision``), so the tests compare LibreOffice with
those functions. The section goes on in ``droits_impot`` (income tax, versement
libératoire) and ``droits_previsions`` (forecasts, uncertain rates); its rows are in
``geometry`` and the helpers they share (``droits_erreur``, ``parts_foyer``…) are read
back from ``b.H``.

Simplifications, said on the sheet: the sick pay and the CA still needed for the
next quarter are those of the main activity (Paramètres), the CA of N-1, N-2 and
N-3 being attributed to it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ... import udfs_droits
from ...rates import get_rates
from ...rules import droits
from ...rules.impot import CASES_2042
from ...rules.money import cents
from ...rules.vocabulary import Activite
from .. import natif as N
from ..natif import literal as _lit
from .geometry import (CODES, COUNT, DATE, GENERAL, MONEY, ROW_ARRET, ROW_CA_TRIMESTRE, ROW_CASES, ROW_DROITS, ROW_IJ,
                       ROW_PREV_TOTAL, ROW_TRIMESTRES)

if TYPE_CHECKING:
    from .builder import _Builder
    from .context import _Context

FRACTION = {"vente": "vente", "service_bic": "service_bic", "bnc": "bnc", "bnc_cipav": "bnc"}
TOUTES = _lit("toutes")
PARTS_ERROR = ("Erreur : parts : un nombre de parts positif, par quart de part (1 ; 1,5 ; 2 ; 2,25…), "
               "dans Paramètres.")
AMOUNT_ERROR = "Erreur : {name} : un montant en euros positif ou nul, ou vide, dans Paramètres."
ACTIVITE_ERROR = ("Erreur : activite : choisissez l'activité principale dans la liste (vente, service_bic, bnc, "
                  "bnc_cipav), dans Paramètres.")


def build(b: _Builder) -> None:
    """The title, the section's parameters (helpers), retirement quarters, sick pay, 2042-C-PRO boxes."""
    H, h = b.H, b.helper
    b.text(f"A{ROW_DROITS}", "Droits et impôt de l'année (estimations ; paramètres facultatifs dans Paramètres)")
    rate = b.rate

    # Checks of the optional parameters and of the main activity (one French sentence, "" when none).
    amounts = [(name, f"AND({name}<>\"\",OR(NOT(ISNUMBER({name})),{name}<0))") for name in
               ("autres_revenus", "rfr", "ca_n2", "ca_n3")]
    formula = '""'
    for name, test in reversed(amounts):
        formula = f'IF({test},"{AMOUNT_ERROR.format(name=name)}",{formula})'
    formula = (f'IF(AND(parts<>"",OR(NOT(ISNUMBER(parts)),IF(ISNUMBER(parts),parts<=0,TRUE))),"{PARTS_ERROR}",'
               f'IF(ISNUMBER(parts),IF(MOD(parts*4,1)<>0,"{PARTS_ERROR}",{formula}),{formula}))')
    main_ok = "OR(" + ",".join(f'activite="{code}"' for code in CODES) + ")"
    error = h("droits_erreur", "Paramètre des droits refusé (vide : aucun)",
              f'=IF({H["erreur"]}<>"",{H["erreur"]},IF(NOT({main_ok}),"{ACTIVITE_ERROR}",{formula}))',
              GENERAL, "text", droits_error)
    main = h("code_principal", "Activité principale lue", f'=IF({main_ok},LOWER(activite),"")', GENERAL, "text",
             lambda c: c.main_code or "")
    fraction = h("fraction_principale", "Fraction d'abattement de l'activité principale",
                 f'=IF({main}="bnc_cipav","bnc",{main})', GENERAL, "text",
                 lambda c: FRACTION.get(c.main_code or "", ""))
    fund = h("caisse", "Caisse des indemnités (bnc_cipav, sinon bnc)",
             f'=IF({main}="bnc_cipav","bnc_cipav","bnc")', GENERAL, "text",
             lambda c: "bnc_cipav" if c.main_code == "bnc_cipav" else "bnc")
    # Read by droits_impot (through b.H), like droits_erreur.
    h("parts_foyer", "Parts du foyer lues (vide : 1)", '=IF(ISNUMBER(parts),parts,1)', GENERAL, "share",
      lambda c: c.num_param("parts", 1.0))
    h("autres_revenus_lus", "Autres revenus lus (vide : 0)", '=IF(ISNUMBER(autres_revenus),autres_revenus,0)', MONEY,
      "money", lambda c: c.num_param("autres_revenus", 0.0))
    _quarters(b, error, main, fraction, rate)
    _sick_pay(b, error, main, fraction, fund, rate)
    _boxes(b)


def droits_error(c: _Context) -> str:
    if c.h("erreur"):
        return c.h("erreur")
    if c.main_code is None:
        return ACTIVITE_ERROR
    value = c.p("parts")
    if value is not None:
        number = c.number_of(value)
        if number != number or number <= 0 or (number * 4) % 1:
            return PARTS_ERROR
    for name in ("autres_revenus", "rfr", "ca_n2", "ca_n3"):
        value = c.p(name)
        if value is not None:
            number = c.number_of(value)
            if number != number or number < 0:
                return AMOUNT_ERROR.format(name=name)
    return ""


# --- Retirement quarters ------------------------------------------------------------------------


def _quarters(b: _Builder, error: str, main: str, fraction: str, rate) -> None:
    H, h = b.H, b.helper
    fractions = (("vente", "$B$6"), ("service_bic", "$B$7"), ("bnc", "ROUND($B$8+$B$9,2)"))
    abated = "+".join(f'IF({x}>0,ROUND({x}*{H["abattement_taux_" + k]},2),0)' for k, x in fractions)
    seuil = h("trimestre_revenu", "Revenu validant un trimestre (150 × SMIC horaire du 1er janvier)",
              f'=ROUND({rate("trimestre_heures_smic")}*{rate("smic_horaire")},2)', MONEY, "money",
              lambda c: float(droits.quarter_income(c.annee)[0].quantize(Decimal("0.01"))))
    maximum = h("trimestres_max", "Trimestres validables au plus", f'={rate("trimestres_max")}', COUNT, "count",
                lambda c: c.rate("trimestres_max", "toutes", "toutes", c.jan1))
    cipav = h("cipav_ca_trimestre", "CA Cipav validant un trimestre",
              f'={rate("cipav_ca_trimestre", _lit("bnc_cipav"))}', MONEY, "money",
              lambda c: c.rate("cipav_ca_trimestre", "bnc_cipav", "toutes", c.jan1))
    cap = f'{rate("trimestre_plafond_revenu_pass")}*{rate("pass_annuel")}'
    only_cipav = '$C$9<>""'
    mixed_cipav = 'AND($C$9<>"",OR($C$6<>"",$C$7<>"",$C$8<>""))'
    label = "Trimestres de retraite validés par le CA de l'année (0 à 4)"
    b.text(f"A{ROW_TRIMESTRES}", label)
    b.add(f"B{ROW_TRIMESTRES}", label,
          f'=IF({error}<>"",{error},IF({mixed_cipav},"{CIPAV_MIXED}",IF({only_cipav},MIN({maximum},INT($B$9/{cipav})),'
          f'MIN({maximum},INT(MIN(MAX(0,$B$5-({abated})),{cap})/{seuil})))))', COUNT, "count", _quarters_twin)
    label = "CA encore nécessaire pour le trimestre suivant (activité principale)"
    b.text(f"A{ROW_CA_TRIMESTRE}", label)
    q = f"B{ROW_TRIMESTRES}"
    a = rate("abattement_taux", fraction)
    target = f"({q}+1)*{seuil}"
    first = f"ROUNDUP(ROUND({target}/(1-{a}),6),0)"
    needed = f"IF({first}-ROUND({first}*{a},2)<{target},{first}+1,{first})"
    b.add(f"B{ROW_CA_TRIMESTRE}", label,
          f'=IF(NOT(ISNUMBER({q})),{q},IF({q}>={maximum},"Maximum atteint : "&{maximum}&" trimestres validés.",'
          f'MAX(0,ROUND(IF({main}="bnc_cipav",({q}+1)*{cipav},{needed})-$B$5,2))))', MONEY, "money", _needed_twin)


CIPAV_MIXED = ("Erreur : activite : la Cipav compte les trimestres sur son propre CA ; une activité mixte Cipav + "
               "autre catégorie n'est pas gérée (calculez chaque caisse séparément).")


def _quarters_twin(c: _Context) -> Any:
    if c.h("droits_erreur"):
        return c.h("droits_erreur")
    found = udfs_droits.ae_trimestres(c.block("B6", "B9"), c.block("C6", "C9"), c.annee)
    return float(found) if isinstance(found, int) else found


def _needed_twin(c: _Context) -> Any:
    q = c[f"B{ROW_TRIMESTRES}"]
    if not isinstance(q, (int, float)):
        return q
    maximum = int(c.h("trimestres_max"))
    if q >= maximum:
        return f"Maximum atteint : {maximum} trimestres validés."
    needed = udfs_droits.ae_ca_trimestres(int(q) + 1, c.main_code, c.annee)
    return max(0.0, float(cents(Decimal(repr(needed)) - Decimal(repr(c.num("B5"))))))


# --- Sick pay ---------------------------------------------------------------------------------------


def _sick_pay(b: _Builder, error: str, main: str, fraction: str, fund: str, rate) -> None:
    h = b.helper
    label = "Arrêt de travail supposé commencer le (aujourd'hui, ou le 31/12 d'une autre année)"
    b.text(f"A{ROW_ARRET}", label)
    day = f"$B${ROW_ARRET}"
    b.add(day.replace("$", ""), label, "=IF(YEAR(TODAY())=annee,TODAY(),DATE(annee,12,31))", DATE, "date",
          lambda c: c.today if c.today.year == c.annee else dt.date(c.annee, 12, 31))
    cas = {1: f"$B${ROW_PREV_TOTAL}", 2: "IF(ISNUMBER(ca_n2),ca_n2,0)", 3: "IF(ISNUMBER(ca_n3),ca_n3,0)"}
    revenus = []
    for k, ca in cas.items():
        on = f"DATE(YEAR({day})-{k},1,1)"
        x = h(f"ij_ca_{k}", f"CA de l'année N-{k} de l'arrêt", f"={ca}", MONEY, "money",
              lambda c, k=k: c.num(f"B{ROW_PREV_TOTAL}") if k == 1 else c.num_param(f"ca_n{k}", 0.0))
        r = N.lookup("abattement_taux", fraction, TOUTES, on)
        m = N.lookup("abattement_minimum", fraction, TOUTES, on)
        revenus.append(h(f"ij_revenu_{k}", f"Revenu de l'année N-{k} (minimum de 305 € compris)",
                         f"=IF({x}>0,{x}-MIN({x},MAX({m},ROUND({x}*{r},2))),0)", MONEY, "money",
                         lambda c, k=k: _revenu_twin(c, k)))
    passes = "+".join(N.lookup("pass_annuel", TOUTES, TOUTES, f"DATE(YEAR({day})-{k},1,1)") for k in cas)
    raam = f"(({'+'.join(revenus)})/3)"
    share = N.lookup("ij_seuil_raam_pass_moyen", fund, TOUTES, day)
    cap = f'{N.lookup("ij_plafond_raam_pass", fund, TOUTES, day)}*{N.lookup("pass_annuel", TOUTES, TOUTES, day)}'
    label = "Indemnité journalière maladie si l'arrêt commence ce jour-là (€ par jour, activité principale)"
    b.text(f"A{ROW_IJ}", label)
    b.add(f"B{ROW_IJ}", label,
          f'=IF({error}<>"",{error},IF({raam}<{share}*({passes})/3,0,'
          f'ROUND(MIN({raam},{cap})/{N.lookup("ij_diviseur_raam", TOUTES, TOUTES, day)},2)))', MONEY, "money",
          _ij_twin)


def _revenu_twin(c: _Context, k: int) -> float:
    from ...rules import abattement

    amount = Decimal(repr(c.h(f"ij_ca_{k}")))
    main = c.main_code
    if amount <= 0 or main is None:
        return 0.0
    year = c[f"B{ROW_ARRET}"].year - k
    return float(abattement.revenu({Activite(main): amount}, year, get_rates().history()))


def _ij_twin(c: _Context) -> Any:
    if c.h("droits_erreur"):
        return c.h("droits_erreur")
    return udfs_droits.ae_ij(c.h("ij_ca_1"), c.h("ij_ca_2"), c.h("ij_ca_3"), c.main_code, c[f"B{ROW_ARRET}"])


# --- 2042-C-PRO --------------------------------------------------------------------------------------


BOX_GROUPS = (("vente", ("vente",), "$B$6"), ("service_bic", ("service_bic",), "$B$7"),
              ("bnc", ("bnc", "bnc_cipav"), "ROUND($B$8+$B$9,2)"))


def _boxes(b: _Builder) -> None:
    h = b.helper
    label = "Déclaration 2042-C-PRO (déclarant 1) : case et CA brut de l'année à reporter"
    b.text(f"A{ROW_CASES}", label)
    parts, shown = [], []
    for key, codes, amount in BOX_GROUPS:
        total = h(f"case_ca_{key}", f"CA de la case 2042-C-PRO ({key})", f"={amount}", "#,##0.00", "money",
                  lambda c, codes=codes: float(sum((Decimal(repr(c.num(f"B{6 + CODES.index(x)}"))) for x in codes),
                                                   Decimal(0))))
        used = "OR(" + ",".join(f'$C${6 + CODES.index(x)}<>""' for x in codes) + ")"
        box = (f'IF(versement_liberatoire="oui","{CASES_2042[(Activite(key), True)]}",'
               f'"{CASES_2042[(Activite(key), False)]}")')
        shown.append(used)
        parts.append(f'IF({used},"; "&{box}&" : "&{N.euros_text(total)},"")')
    b.add(f"B{ROW_CASES}", label,
          f'=IF(OR({",".join(shown)}),MID({"&".join(parts)},3,500),"Aucune recette : rien à déclarer.")',
          GENERAL, "text", _boxes_twin)


def _boxes_twin(c: _Context) -> str:
    vl = isinstance(c.p("versement_liberatoire"), str) and c.p("versement_liberatoire").lower() == "oui"
    found = []
    for key, codes, _ in BOX_GROUPS:
        if any(c[f"C{6 + CODES.index(x)}"] != "" for x in codes):
            box = udfs_droits.ae_case_2042(key, vl)
            found.append(f"{box} : {N.euros_text_value(c.h('case_ca_' + key))}")
    return "; ".join(found) if found else "Aucune recette : rien à déclarer."
