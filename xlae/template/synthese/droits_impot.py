"""« Droits et impôt », second part: the income tax at the barème against the versement libératoire.

Why: the micro-entrepreneur chooses (RFR permitting) between the barème and the
versement libératoire; the rows give both for the displayed year and the sentence
of ``AE_IMPOT_VL`` word for word, with the barème of the income year from Barèmes.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ... import udfs_droits
from ...rates import get_rates
from ...rules import impot
from ...rules.money import cents
from ...rules.vocabulary import Activite
from .. import natif as N
from ..natif import literal as _lit
from .geometry import CODES, GENERAL, MONEY, ROW_IMPOT, ROW_IMPOT_VL, ROW_REVENU, ROW_VL_OPTION

if TYPE_CHECKING:
    from .builder import _Builder
    from .context import _Context


def _brackets() -> int:
    return max(int(r.categorie.removeprefix("tranche_")) for r in get_rates().rows if r.parametre == "ir_tranche_taux")


def tax(b: _Builder) -> None:
    """Income tax at the barème, the versement libératoire on the CA, and which one costs less."""
    error, parts, others, rate = b.H["droits_erreur"], b.H["parts_foyer"], b.H["autres_revenus_lus"], b.rate
    h = b.helper
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
    b.text(f"A{ROW_VL_OPTION}", label)
    b.add(f"B{ROW_VL_OPTION}", label, f'=IF({error}<>"",{error},{vl})', MONEY, "money", _vl_twin)
    # The comparison sentence of AE_IMPOT_VL, word for word.
    o_brut = h("ir_autres_brut", "Impôt brut des autres revenus sous versement libératoire (taux effectif)",
               f"=IF(AND({others}>0,{income}>0),ROUND({full}/{income}*{others},2),0)", MONEY, "money",
               lambda c: float(_others_brut(c)))
    o_net = h("ir_autres", "Impôt des autres revenus sous versement libératoire (décote déduite)",
              f"={o_brut}-MIN({o_brut},MAX(0,ROUND({seuil}-{rate('ir_decote_taux')}*{o_brut},2)))", MONEY, "money",
              lambda c: float(_others_brut(c) - impot.decote(_others_brut(c), _foyer(c), c.annee)[0]))
    cost = h("ir_cout_vl", "Coût de l'option versement libératoire", f"=IF(ISNUMBER($B${ROW_VL_OPTION}),$B${ROW_VL_OPTION},0)+{o_net}",
             MONEY, "money", lambda c: float(cents(Decimal(repr(c.num(f"B{ROW_VL_OPTION}") if isinstance(c[f"B{ROW_VL_OPTION}"], float)
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
          f'libératoire "&{N.euros_text(cost)}&" ("&{N.euros_text("$B$" + str(ROW_VL_OPTION))}&" sur le CA"&IF({others}>0,'
          f'" + impôt sur les autres revenus "&{N.euros_text(o_net)},"")&") : "&{verdict}&" ; "&{access}&"."'
          f'&IF({uncertain}," Barème des revenus "&annee&" incertain (non publié) : valeurs de l\'année précédente.",""))',
          GENERAL, "text", _tax_vl_twin)


def _foyer(c: _Context) -> impot.Household:
    parts = Decimal(repr(c.h("parts_foyer")))
    return impot.Household(parts, parts >= 2)


def _foyer_bareme(c: _Context, parts: float) -> Decimal:
    return impot._bareme(Decimal(repr(c.h("ir_revenu"))), Decimal(repr(parts)), c.annee, get_rates())[0]


def _brut(c: _Context) -> Decimal:
    return impot.impot_brut(Decimal(repr(c.h("ir_revenu"))), _foyer(c), c.annee)[0]


def _others_brut(c: _Context) -> Decimal:
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


def _tax_args(c: _Context) -> tuple[Any, ...]:
    return (c.block("B6", "B9"), c.block("C6", "C9"), c.annee, c.p("parts"), c.p("autres_revenus"))


def _tax_twin(c: _Context) -> Any:
    return c.h("droits_erreur") or udfs_droits.ae_impot(*_tax_args(c))


def _vl_twin(c: _Context) -> Any:
    if c.h("droits_erreur"):
        return c.h("droits_erreur")
    from ...rules.contributions import vl

    total = sum((vl(Decimal(repr(c.num(f"B{6 + i}"))), Activite(code), c.jan1) for i, code in enumerate(CODES)),
                Decimal(0))
    return float(total)


def _tax_vl_twin(c: _Context) -> Any:
    return c.h("droits_erreur") or udfs_droits.ae_impot_vl(*_tax_args(c), c.p("rfr"))
