"""« Droits et impôt » of the Synthèse (issue 12 item 2): native formulas and their twins.

Why: what the revenu gives back (retirement quarters, sick pay), what to type in
the 2042-C-PRO, the income tax at the barème against the versement libératoire,
and when the CA will cross the ceiling or the VAT thresholds, for the displayed
year, in any spreadsheet without an add-in. Each figure's Python twin calls the
AE_* function of ``xlae.udfs_droits`` (rules in ``xlae.rules.droits``, ``impot``,
``prevision``), so the tests compare LibreOffice with those functions.

Simplifications, said on the sheet: the sick pay and the CA still needed for the
next quarter are those of the main activity (Paramètres), the CA of N-1, N-2 and
N-3 being attributed to it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .. import udfs_droits
from ..rates import get_rates
from ..rules import droits, impot, prevision
from ..rules.money import cents
from ..rules.impot import CASES_2042
from ..rules.vocabulary import Activite
from . import layout as L
from . import natif as N
from .natif import literal as _lit

if TYPE_CHECKING:
    from .synthese import _Builder, _Context

ROW_DROITS = 83                     # section title; rows below, label in A, value in B
(ROW_TRIMESTRES, ROW_CA_TRIMESTRE, ROW_ARRET, ROW_IJ, ROW_CASES, ROW_IMPOT, ROW_VL, ROW_IMPOT_VL,
 ROW_DEP_PLAFOND, ROW_DEP_TVA, ROW_DEP_TVA_MAJORE, ROW_CONSEQUENCES, ROW_INCERTAIN) = range(ROW_DROITS + 1,
                                                                                         ROW_DROITS + 14)
LAST_ROW = ROW_INCERTAIN
TEXT_ROWS = {ROW_CASES: 2, ROW_IMPOT_VL: 3, ROW_CONSEQUENCES: 3, ROW_INCERTAIN: 2}  # sentences: lines on the sheet
CODES = L.CATEGORIES
FRACTION = {"vente": "vente", "service_bic": "service_bic", "bnc": "bnc", "bnc_cipav": "bnc"}
TOUTES = _lit("toutes")


def build(b: "_Builder") -> None:
    """Add the section's cells to the Synthèse description."""
    from .synthese import COUNT, DATE, GENERAL, MONEY

    H, h = b.H, b.helper
    b.text(f"A{ROW_DROITS}", "Droits et impôt de l'année (estimations ; paramètres facultatifs dans Paramètres)")
    jan1 = "DATE(annee,1,1)"

    def rate(parametre: str, categorie: str = TOUTES, on: str = jan1) -> str:
        return N.lookup(parametre, categorie, TOUTES, on)

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
             lambda c: _main(c) or "")
    fraction = h("fraction_principale", "Fraction d'abattement de l'activité principale",
                 f'=IF({main}="bnc_cipav","bnc",{main})', GENERAL, "text",
                 lambda c: FRACTION.get(_main(c) or "", ""))
    fund = h("caisse", "Caisse des indemnités (bnc_cipav, sinon bnc)",
             f'=IF({main}="bnc_cipav","bnc_cipav","bnc")', GENERAL, "text",
             lambda c: "bnc_cipav" if _main(c) == "bnc_cipav" else "bnc")
    parts = h("parts_foyer", "Parts du foyer lues (vide : 1)", '=IF(ISNUMBER(parts),parts,1)', GENERAL, "share",
              lambda c: c.num_param("parts", 1.0))
    others = h("autres_revenus_lus", "Autres revenus lus (vide : 0)",
               '=IF(ISNUMBER(autres_revenus),autres_revenus,0)', MONEY, "money",
               lambda c: c.num_param("autres_revenus", 0.0))
    _quarters(b, error, main, fraction, rate)
    _sick_pay(b, error, main, fraction, fund, rate)
    _boxes(b)
    _tax(b, error, parts, others, rate)
    _forecasts(b, error)
    _uncertain(b, fund)
    del COUNT, DATE


PARTS_ERROR = ("Erreur : parts : un nombre de parts positif, par quart de part (1 ; 1,5 ; 2 ; 2,25…), "
               "dans Paramètres.")
AMOUNT_ERROR = "Erreur : {name} : un montant en euros positif ou nul, ou vide, dans Paramètres."
ACTIVITE_ERROR = ("Erreur : activite : choisissez l'activité principale dans la liste (vente, service_bic, bnc, "
                  "bnc_cipav), dans Paramètres.")


def _main(c: "_Context") -> str | None:
    value = c.p("activite")
    return value.lower() if isinstance(value, str) and value.lower() in CODES else None


def droits_error(c: "_Context") -> str:
    if c.h("erreur"):
        return c.h("erreur")
    if _main(c) is None:
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


def _quarters(b: "_Builder", error: str, main: str, fraction: str, rate) -> None:
    from .synthese import COUNT, MONEY

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


def _quarters_twin(c: "_Context") -> Any:
    if c.h("droits_erreur"):
        return c.h("droits_erreur")
    found = udfs_droits.ae_trimestres(c.block("B6", "B9"), c.block("C6", "C9"), c.annee)
    return float(found) if isinstance(found, int) else found


def _needed_twin(c: "_Context") -> Any:
    q = c[f"B{ROW_TRIMESTRES}"]
    if not isinstance(q, (int, float)):
        return q
    maximum = int(c.h("trimestres_max"))
    if q >= maximum:
        return f"Maximum atteint : {maximum} trimestres validés."
    needed = udfs_droits.ae_ca_trimestres(int(q) + 1, _main(c), c.annee)
    return max(0.0, float(cents(Decimal(repr(needed)) - Decimal(repr(c.num("B5"))))))


# --- Sick pay ---------------------------------------------------------------------------------------


def _sick_pay(b: "_Builder", error: str, main: str, fraction: str, fund: str, rate) -> None:
    from .synthese import DATE, MONEY, ROW_PREV_TOTAL

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


def _revenu_twin(c: "_Context", k: int) -> float:
    from ..rules import abattement

    amount = Decimal(repr(c.h(f"ij_ca_{k}")))
    main = _main(c)
    if amount <= 0 or main is None:
        return 0.0
    year = c[f"B{ROW_ARRET}"].year - k
    return float(abattement.revenu({Activite(main): amount}, year, get_rates().history()))


def _ij_twin(c: "_Context") -> Any:
    if c.h("droits_erreur"):
        return c.h("droits_erreur")
    return udfs_droits.ae_ij(c.h("ij_ca_1"), c.h("ij_ca_2"), c.h("ij_ca_3"), _main(c), c[f"B{ROW_ARRET}"])


# --- 2042-C-PRO --------------------------------------------------------------------------------------


BOX_GROUPS = (("vente", ("vente",), "$B$6"), ("service_bic", ("service_bic",), "$B$7"),
              ("bnc", ("bnc", "bnc_cipav"), "ROUND($B$8+$B$9,2)"))


def _boxes(b: "_Builder") -> None:
    from .synthese import GENERAL

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


def _boxes_twin(c: "_Context") -> str:
    vl = isinstance(c.p("versement_liberatoire"), str) and c.p("versement_liberatoire").lower() == "oui"
    found = []
    for key, codes, _ in BOX_GROUPS:
        if any(c[f"C{6 + CODES.index(x)}"] != "" for x in codes):
            box = udfs_droits.ae_case_2042(key, vl)
            found.append(f"{box} : {N.euros_text_value(c.h('case_ca_' + key))}")
    return "; ".join(found) if found else "Aucune recette : rien à déclarer."


# --- Income tax at the barème, versement libératoire ------------------------------------------------


def _brackets() -> int:
    return max(int(r.categorie.removeprefix("tranche_")) for r in get_rates().rows if r.parametre == "ir_tranche_taux")


def _tax(b: "_Builder", error: str, parts: str, others: str, rate) -> None:
    from .synthese import GENERAL, MONEY, ROW_REVENU

    H, h = b.H, b.helper
    n = _brackets()
    limits = [h(f"ir_limite_{k}", f"Barème de l'impôt : limite de la tranche {k}",
                "=" + rate("ir_tranche_limite", _lit(f"tranche_{k}")), MONEY, "money",
                lambda c, k=k: c.rate("ir_tranche_limite", f"tranche_{k}", "toutes", c.jan1)) for k in range(1, n)]
    taux = [h(f"ir_taux_{k}", f"Barème de l'impôt : taux de la tranche {k}",
              "=" + rate("ir_tranche_taux", _lit(f"tranche_{k}")), GENERAL, "share",
              lambda c, k=k: c.rate("ir_tranche_taux", f"tranche_{k}", "toutes", c.jan1)) for k in range(1, n + 1)]
    income = h("ir_revenu", "Revenu imposable du foyer (revenu micro + autres revenus)",
               f"=IF(ISNUMBER($B${ROW_REVENU}),$B${ROW_REVENU},0)+{others}", MONEY, "money",
               lambda c: float(Decimal(repr(c.num(f"B{ROW_REVENU}") if isinstance(c[f"B{ROW_REVENU}"], float) else 0.0))
                               + Decimal(repr(c.h("autres_revenus_lus")))))
    couple = h("ir_base", "Parts de base (2 : couple, dès 2 parts)", f"=IF({parts}>=2,2,1)", GENERAL, "count",
               lambda c: 2.0 if c.h("parts_foyer") >= 2 else 1.0)

    def bareme(p: str) -> str:
        qf = f"({income}/{p})"
        terms = []
        lower = "0"
        for k in range(1, n + 1):
            upper = limits[k - 1] if k < n else None
            top = f"MIN({qf},{upper})" if upper else qf
            terms.append(f"MAX(0,{top}-{lower})*{taux[k - 1]}")
            lower = upper or lower
        return f"{p}*(" + "+".join(terms) + ")"

    full = h("ir_bareme_parts", "Barème sur toutes les parts", "=" + bareme(parts), MONEY, "money",
             lambda c: float(_foyer_bareme(c, c.h("parts_foyer"))))
    base = h("ir_bareme_base", "Barème sur les parts de base", "=" + bareme(couple), MONEY, "money",
             lambda c: float(_foyer_bareme(c, c.h("ir_base"))))
    cap = rate("ir_plafond_demi_part")
    brut = h("ir_brut", "Impôt brut après plafonnement du quotient familial",
             f"=ROUND(IF({parts}={couple},{full},MAX({full},{base}-{cap}*({parts}-{couple})*2)),2)", MONEY, "money",
             lambda c: float(_brut(c)))
    seuil = rate("ir_decote_seuil", f'IF({couple}=2,"couple","celibataire")')
    decote = f"MIN({brut},MAX(0,ROUND({seuil}-{rate('ir_decote_taux')}*{brut},2)))"
    label = "Impôt sur le revenu estimé du foyer, au barème (revenus de l'année)"
    b.text(f"A{ROW_IMPOT}", label)
    b.add(f"B{ROW_IMPOT}", label, f'=IF({error}<>"",{error},ROUND({brut}-{decote},2))', MONEY, "money", _tax_twin)
    vl = "+".join(f"ROUND({x}*{rate('vl_taux', _lit(code))},2)" for code, x in
                  zip(CODES, ("$B$6", "$B$7", "$B$8", "$B$9")))
    label = "Versement libératoire sur le CA de l'année (si vous y aviez opté)"
    b.text(f"A{ROW_VL}", label)
    b.add(f"B{ROW_VL}", label, f'=IF({error}<>"",{error},{vl})', MONEY, "money", _vl_twin)
    # The comparison sentence of AE_IMPOT_VL, word for word.
    o_brut = h("ir_autres_brut", "Impôt brut des autres revenus sous versement libératoire (taux effectif)",
               f"=IF(AND({others}>0,{income}>0),ROUND({full}/{income}*{others},2),0)", MONEY, "money",
               lambda c: float(_others_brut(c)))
    o_net = h("ir_autres", "Impôt des autres revenus sous versement libératoire (décote déduite)",
              f"={o_brut}-MIN({o_brut},MAX(0,ROUND({seuil}-{rate('ir_decote_taux')}*{o_brut},2)))", MONEY, "money",
              lambda c: float(_others_brut(c) - impot.decote(_others_brut(c), _foyer(c), c.annee)[0]))
    cost = h("ir_cout_vl", "Coût de l'option versement libératoire", f"=IF(ISNUMBER($B${ROW_VL}),$B${ROW_VL},0)+{o_net}",
             MONEY, "money", lambda c: float(cents(Decimal(repr(c.num(f"B{ROW_VL}") if isinstance(c[f"B{ROW_VL}"], float)
                                                             else 0.0)) + Decimal(repr(c.h("ir_autres"))))))
    net = f"$B${ROW_IMPOT}"
    gap = h("ir_ecart", "Écart entre les deux", f"=IF(ISNUMBER({net}),ABS({cost}-{net}),0)", MONEY, "money",
            lambda c: float(abs(cents(Decimal(repr(c.h("ir_cout_vl"))) - Decimal(repr(c.num(f"B{ROW_IMPOT}"))))))
            if isinstance(c[f"B{ROW_IMPOT}"], float) else 0.0)
    limit = h("vl_plafond_foyer", "Plafond de RFR du versement libératoire pour le foyer",
              f"={rate('vl_plafond_rfr_part')}*{parts}", MONEY, "money",
              lambda c: float(Decimal(repr(c.rate("vl_plafond_rfr_part", "toutes", "toutes", c.jan1)))
                              * Decimal(repr(c.h("parts_foyer")))))
    p = parts
    parts_text = (f'INT({p})&IF(ROUND(MOD({p},1)*100,0)=0,"",","&IF(MOD(ROUND(MOD({p},1)*100,0),10)=0,'
                  f'ROUND(MOD({p},1)*10,0),ROUND(MOD({p},1)*100,0)))&" part"&IF({p}>1,"s","")')
    verdict = (f'IF({cost}<{net},"le versement libératoire est moins cher de "&{N.euros_text(gap)},'
               f'IF({cost}>{net},"le barème est moins cher de "&{N.euros_text(gap)},"les deux coûtent autant"))')
    rfr = "rfr"
    access = (f'IF(NOT(ISNUMBER({rfr})),"versement libératoire possible seulement si RFR "&(annee-2)&" ≤ "'
              f'&{N.euros_text(limit)}&" ("&{parts_text}&")",IF({rfr}<={limit},"versement libératoire autorisé : '
              f'RFR "&(annee-2)&" de "&{N.euros_text(rfr)}&" ≤ "&{N.euros_text(limit)},"versement libératoire non '
              f'autorisé : RFR "&(annee-2)&" de "&{N.euros_text(rfr)}&" > "&{N.euros_text(limit)}&" ("&{parts_text}&")"))')
    uncertain = _uncertain_ir()
    label = "Barème ou versement libératoire ?"
    b.text(f"A{ROW_IMPOT_VL}", label)
    b.add(f"B{ROW_IMPOT_VL}", label,
          f'=IF({error}<>"",{error},"Revenus "&annee&" : impôt au barème "&{N.euros_text(net)}&" ; avec versement '
          f'libératoire "&{N.euros_text(cost)}&" ("&{N.euros_text("$B$" + str(ROW_VL))}&" sur le CA"&IF({others}>0,'
          f'" + impôt sur les autres revenus "&{N.euros_text(o_net)},"")&") : "&{verdict}&" ; "&{access}&"."'
          f'&IF({uncertain}," Barème des revenus "&annee&" incertain (non publié) : valeurs de l\'année précédente.",""))',
          GENERAL, "text", _tax_vl_twin)


def _foyer(c: "_Context") -> impot.Household:
    parts = Decimal(repr(c.h("parts_foyer")))
    return impot.Household(parts, parts >= 2)


def _foyer_bareme(c: "_Context", parts: float) -> Decimal:
    return impot._bareme(Decimal(repr(c.h("ir_revenu"))), Decimal(repr(parts)), c.annee, get_rates())[0]


def _brut(c: "_Context") -> Decimal:
    return impot.impot_brut(Decimal(repr(c.h("ir_revenu"))), _foyer(c), c.annee)[0]


def _others_brut(c: "_Context") -> Decimal:
    total, others = Decimal(repr(c.h("ir_revenu"))), Decimal(repr(c.h("autres_revenus_lus")))
    if others <= 0 or total <= 0:
        return Decimal(0)
    return cents(_foyer_bareme(c, c.h("parts_foyer")) / total * others)


def _uncertain_ir() -> str:
    """The barème's first bracket row in force is UNCERTAIN (the whole barème of that income year is)."""
    a, b, d = N.baremes("A"), N.baremes("B"), N.baremes("D")
    match = f'({a}="ir_tranche_limite")*({b}="tranche_1")'
    latest = f"SUMPRODUCT(MAX({match}*({d}<=DATE(annee,1,1))*{d}))"
    return f'SUMPRODUCT({match}*({d}={latest})*({N.STATUS_NAME}="UNCERTAIN"))>0'


def _tax_args(c: "_Context") -> tuple[Any, ...]:
    return (c.block("B6", "B9"), c.block("C6", "C9"), c.annee, c.p("parts"), c.p("autres_revenus"))


def _tax_twin(c: "_Context") -> Any:
    return c.h("droits_erreur") or udfs_droits.ae_impot(*_tax_args(c))


def _vl_twin(c: "_Context") -> Any:
    if c.h("droits_erreur"):
        return c.h("droits_erreur")
    from ..rules.contributions import vl

    total = sum((vl(Decimal(repr(c.num(f"B{6 + i}"))), Activite(code), c.jan1) for i, code in enumerate(CODES)),
                Decimal(0))
    return float(total)


def _tax_vl_twin(c: "_Context") -> Any:
    return c.h("droits_erreur") or udfs_droits.ae_impot_vl(*_tax_args(c), c.p("rfr"))


# --- Forecasts -----------------------------------------------------------------------------------------


FORECASTS = ((ROW_DEP_PLAFOND, "plafond", "Dépassement prévu du plafond du régime micro (au rythme de l'année)"),
             (ROW_DEP_TVA, "tva", "Dépassement prévu du seuil de franchise de TVA (seuil de l'année suivante)"),
             (ROW_DEP_TVA_MAJORE, "tva_majore", "Dépassement prévu du seuil majoré de TVA (TVA due dès ce jour)"))


def _forecasts(b: "_Builder", error: str) -> None:
    from .synthese import DATE, GENERAL, ROW_TVA_SEUILS

    H, h = b.H, b.helper
    creation = H["creation"]
    start = h("prevision_debut", "Début du rythme (1er janvier ou création)",
              f"=IF(ISNUMBER({creation}),MAX(DATE(annee,1,1),{creation}),DATE(annee,1,1))", DATE, "date",
              lambda c: max(c.jan1, c.creation) if c.creation else c.jan1)
    on = h("prevision_jour", "Jour du calcul (aujourd'hui, au plus le 31/12)", "=MIN(TODAY(),DATE(annee,12,31))",
           DATE, "date", lambda c: min(c.today, dt.date(c.annee, 12, 31)))
    elapsed = f"({on}-{start}+1)"
    vente, services = '$C$6<>""', 'OR($C$7<>"",$C$8<>"",$C$9<>"")'
    limits = {"plafond": (H["plafond_autorise_v"], H["plafond_autorise_s"]),
              "tva": (H["tva_seuil_vente_suivant"], H["tva_seuil_service_bic_suivant"]),
              "tva_majore": (f"$B${ROW_TVA_SEUILS + 1}", f"$B${ROW_TVA_SEUILS + 3}")}
    for row, kind, label in FORECASTS:
        dates, over = [], []
        for key, applies, total, limit in (("v", vente, "$B$5", limits[kind][0]), ("s", services, "$B$10",
                                                                                   limits[kind][1])):
            day = h(f"prevision_{kind}_{key}", f"Jour du dépassement au rythme moyen ({kind}, {key})",
                    f'=IF(AND({applies},{total}>0),{start}+INT({limit}*{elapsed}/{total}),"")', DATE, "date",
                    lambda c, kind=kind, key=key: _crossing(c, kind, key))
            dates.append(f"IF(ISNUMBER({day}),IF(YEAR({day})=annee,{day},99999),99999)")
            over.append(f"AND({applies},{total}>{limit})")
        soonest = f"MIN({','.join(dates)})"
        b.text(f"A{row}", label)
        b.add(f"B{row}", label,
              f'=IF({error}<>"",{error},IF({on}<{start},"",IF(OR({",".join(over)}),"{prevision.DEJA}",'
              f'IF({soonest}=99999,"{prevision.PAS_CETTE_ANNEE}",{soonest}))))', DATE, "date",
              lambda c, kind=kind: _forecast_twin(c, kind))
    _consequences(b)


def _crossing(c: "_Context", kind: str, key: str) -> Any:
    """Twin of a crossing-day helper: ``prevision.crossing_day`` without its year bound."""
    applies = c["C6"] != "" if key == "v" else any(c[f"C{r}"] != "" for r in (7, 8, 9))
    total = c.num("B5" if key == "v" else "B10")
    if not applies or total <= 0:
        return ""
    from .synthese import ROW_TVA_SEUILS

    limit = {"plafond": c.h(f"plafond_autorise_{key}"),
             "tva": c.h("tva_seuil_vente_suivant" if key == "v" else "tva_seuil_service_bic_suivant"),
             "tva_majore": c.num(f"B{ROW_TVA_SEUILS + (1 if key == 'v' else 3)}")}[kind]
    start, on = c.h("prevision_debut"), c.h("prevision_jour")
    elapsed = (on - start).days + 1
    return start + dt.timedelta(days=int(limit * elapsed / total))


def _forecast_twin(c: "_Context", kind: str) -> Any:
    if c.h("droits_erreur"):
        return c.h("droits_erreur")
    start, on = c.h("prevision_debut"), c.h("prevision_jour")
    if on < start:
        return ""
    return udfs_droits.ae_date_depassement(c.block("B6", "B9"), c.block("C6", "C9"), on, kind, c.creation)


def _consequences(b: "_Builder") -> None:
    from .synthese import GENERAL

    H = b.H
    plafond, tva, majore = (f"$B${row}" for row, _, _ in FORECASTS)

    def when(ref: str, kind: str) -> str:
        """The crossing day: the forecast date, or the day the average pace crossed it (déjà dépassé)."""
        days = [H[f"prevision_{kind}_{k}"] for k in ("v", "s")]
        valid = [f"IF(ISNUMBER({d}),IF(YEAR({d})=annee,{d},99999),99999)" for d in days]
        return f"IF(ISNUMBER({ref}),{ref},MIN({','.join(valid)}))"

    same_day = H["tva_perte_jour_depassement"]
    tolerance = H["tva_tolerance_suivante"]
    majore_day = when(majore, "tva_majore")
    due = f"IF({same_day}=1,{majore_day},DATE(YEAR({majore_day}),MONTH({majore_day}),1))"
    crossed = lambda ref: f'OR(ISNUMBER({ref}),{ref}="{prevision.DEJA}")'  # noqa: E731
    ceiling_text = (f'IF({crossed(plafond)},"Plafond : premier dépassement : toléré, le régime micro est conservé en "'
                    f'&(annee+1)&" ; un second dépassement en "&(annee+1)&" fait sortir du régime au 1er janvier "'
                    f'&(annee+2)&". ","")')
    vat_text = (f'IF({crossed(majore)},"TVA : TVA due à compter du "&{N.date_text(due)}&" : facturer la TVA sur '
                f'chaque opération à partir de ce jour.",IF({crossed(tva)},IF({tolerance}=1,"TVA : franchise de TVA '
                f'maintenue en "&(annee+1)&" (tolérance d\'une année), perdue si le CA "&(annee+1)&" dépasse aussi le '
                f'seuil de base.","TVA : franchise de TVA perdue au 1er janvier "&(annee+1)&" : facturer la TVA dès le '
                f'1er janvier "&(annee+1)&"."),""))')
    label = "Ce qui se passe alors"
    b.text(f"A{ROW_CONSEQUENCES}", label)
    b.add(f"B{ROW_CONSEQUENCES}", label,
          f'=IF(OR(ISERROR(SEARCH("Erreur",{plafond})),{plafond}=""),IF({ceiling_text}&{vat_text}="",'
          f'IF({plafond}="","","Aucun dépassement prévu cette année au rythme actuel."),{ceiling_text}&{vat_text}),'
          f'{plafond})', GENERAL, "text", _consequences_twin)


def _consequences_twin(c: "_Context") -> str:
    rows = {kind: c[f"B{row}"] for row, kind, _ in FORECASTS}
    first = rows["plafond"]
    if isinstance(first, str) and first.startswith("Erreur"):
        return first
    if first == "":
        return ""
    rates = get_rates()

    def crossed(kind: str) -> bool:
        return isinstance(rows[kind], dt.date) or rows[kind] == prevision.DEJA

    text = ""
    if crossed("plafond"):
        text += "Plafond : " + prevision._consequence("plafond", c.annee, c.jan1, rates) + ". "
    if crossed("tva_majore"):
        day = rows["tva_majore"]
        if not isinstance(day, dt.date):
            found = [d for d in (c.h("prevision_tva_majore_v"), c.h("prevision_tva_majore_s"))
                     if isinstance(d, dt.date) and d.year == c.annee]
            day = min(found)
        text += "TVA : " + prevision._consequence("tva_majore", c.annee, day, rates) + "."
    elif crossed("tva"):
        text += "TVA : " + prevision._consequence("tva", c.annee, c.jan1, rates) + "."
    return text or "Aucun dépassement prévu cette année au rythme actuel."


# --- UNCERTAIN rates used by the section --------------------------------------------------------------


def _uncertain_checks(fund: str) -> list[tuple[str, str, str, str, Any]]:
    """(parametre, categorie expression, on expression, French label, Python twin of (parametre, cat, on))."""
    arret = f"$B${ROW_ARRET}"
    return [
        ("smic_horaire", TOUTES, "DATE(annee,1,1)", '"SMIC horaire au 1er janvier "&annee',
         lambda c: ("smic_horaire", "toutes", c.jan1, f"SMIC horaire au 1er janvier {c.annee}")),
        ("pass_annuel", TOUTES, "DATE(annee,1,1)", '"PASS "&annee',
         lambda c: ("pass_annuel", "toutes", c.jan1, f"PASS {c.annee}")),
        ("pass_annuel", TOUTES, arret, '"PASS du jour de l\'arrêt"',
         lambda c: ("pass_annuel", "toutes", c[f"B{ROW_ARRET}"], "PASS du jour de l'arrêt")),
        ("ij_seuil_raam_pass_moyen", fund, arret, '"seuil de RAAM des indemnités"',
         lambda c: ("ij_seuil_raam_pass_moyen", "bnc_cipav" if _main(c) == "bnc_cipav" else "bnc",
                    c[f"B{ROW_ARRET}"], "seuil de RAAM des indemnités")),
        ("ir_tranche_limite", _lit("tranche_1"), "DATE(annee,1,1)", '"barème de l\'impôt des revenus "&annee',
         lambda c: ("ir_tranche_limite", "tranche_1", c.jan1, f"barème de l'impôt des revenus {c.annee}")),
        ("plafond_ca", _lit("vente"), "DATE(annee+1,1,1)", '"plafonds "&(annee+1)',
         lambda c: ("plafond_ca", "vente", dt.date(c.annee + 1, 1, 1), f"plafonds {c.annee + 1}")),
        ("tva_seuil", _lit("vente"), "DATE(annee+1,1,1)", '"seuils de TVA "&(annee+1)',
         lambda c: ("tva_seuil", "vente", dt.date(c.annee + 1, 1, 1), f"seuils de TVA {c.annee + 1}")),
    ]


UNCERTAIN_LEAD = "Valeurs incertaines du barème utilisées ci-dessus (non publiées : dernière valeur connue) : "
UNCERTAIN_NONE = "Aucune valeur incertaine du barème dans cette section."


def _uncertain(b: "_Builder", fund: str) -> None:
    from .synthese import GENERAL

    parts = [f'IF({N.uncertain(p, cat, on)},", "&{label},"")' for p, cat, on, label, _ in _uncertain_checks(fund)]
    listed = "&".join(parts)
    label = "Statut du barème pour cette section"
    b.text(f"A{ROW_INCERTAIN}", label)
    b.add(f"B{ROW_INCERTAIN}", label,
          f'=IF({listed}="","{UNCERTAIN_NONE}","{UNCERTAIN_LEAD}"&MID({listed},3,500)&".")', GENERAL, "text",
          lambda c: _uncertain_twin(c, fund))


def _uncertain_twin(c: "_Context", fund: str) -> str:
    rows = get_rates().rows
    found = []
    for *_, twin in _uncertain_checks(fund):
        parametre, categorie, on, label = twin(c)
        if N.uncertain_value(rows, parametre, categorie, on):
            found.append(label)
    return UNCERTAIN_LEAD + ", ".join(found) + "." if found else UNCERTAIN_NONE
