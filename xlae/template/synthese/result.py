"""Revenu, charges and result of the year (rows 32..41), and the dedicated bank account (42..44).

Why: these rows only read the totals of the month and quarter tables and the
abattement (``AE_ABATTEMENT``, ``AE_REVENU``); the bank-account rows compare the
same CA with a Barèmes threshold.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from ... import udfs
from ...rates import get_rates
from ...rules.money import ZERO, cents, to_decimal
from ..natif import baremes as _baremes
from .geometry import (GENERAL, MONEY, MONTH_TOTAL, QUARTER_TOTAL, ROW_ABATTEMENT, ROW_ACHATS, ROW_CFP_TFC, ROW_COMPTE,
                       ROW_COMPTE_SEUIL, ROW_COTIS, ROW_PREV_TOTAL, ROW_REGIME, ROW_RESULTAT, ROW_REVENU,
                       ROW_TOTAL_PAYER, ROW_VL)

if TYPE_CHECKING:
    from .builder import _Builder
    from .context import _Context


def result(b: _Builder) -> None:
    b.text(f"A{ROW_ABATTEMENT - 1}", "Revenu, charges et résultat de l'année")
    b.text(f"A{ROW_ABATTEMENT}", "Abattement forfaitaire")
    H = b.H
    fractions = (("vente", "$B$6"), ("service_bic", "$B$7"), ("bnc", "ROUND($B$8+$B$9,2)"))
    rate = {code: (H[f"abattement_taux_{code}"], H[f"abattement_minimum_{code}"]) for code, _ in fractions}
    per_fraction = "+".join(f"IF({x}>0,MIN({x},MAX({rate[k][1]},ROUND({x}*{rate[k][0]},2))),0)" for k, x in fractions)
    floors = "+".join(f"IF({x}>0,{rate[k][1]},0)" for k, x in fractions)
    rounded = "+".join(f"IF({x}>0,ROUND({x}*{rate[k][0]},2),0)" for k, x in fractions)
    # CGI 50-0 / 102 ter: rate of each fraction, « au moins 305 € » per fraction (or once, row of Barèmes).
    b.add(f"B{ROW_ABATTEMENT}", "Abattement forfaitaire",
          f'=IF({H["erreur"]}<>"",{H["erreur"]},ROUND(IF({H["abattement_par_fraction"]}=1,{per_fraction},'
          f'MIN($B$5,MAX({floors},{rounded}))),2))', MONEY, "money",
          lambda c: c.h("erreur") or udfs.ae_abattement(c.block("B6", "B9"), c.block("C6", "C9"), c.p("annee")))
    b.text(f"A{ROW_REVENU}", "Revenu après abattement (imposable)")
    b.add(f"B{ROW_REVENU}", "Revenu après abattement",
          f"=IF(ISNUMBER(B{ROW_ABATTEMENT}),MAX(0,ROUND($B$5-B{ROW_ABATTEMENT},2)),B{ROW_ABATTEMENT})",
          MONEY, "money",
          lambda c: c.h("erreur") or udfs.ae_revenu(c.block("B6", "B9"), c.block("C6", "C9"), c.p("annee")))
    for row, label, ref in ((ROW_ACHATS, "Achats de l'année (registre des achats)", f"H{QUARTER_TOTAL}"),
                            (ROW_COTIS, "Cotisations sociales de l'année", f"H{MONTH_TOTAL}"),
                            (ROW_VL, "Versement libératoire de l'année", f"K{MONTH_TOTAL}"),
                            (ROW_TOTAL_PAYER, "Total à payer sur l'année", f"L{MONTH_TOTAL}")):
        b.text(f"A{row}", label)
        b.add(f"B{row}", label, f"={ref}", MONEY, "money", lambda c, ref=ref: c[ref])
    b.text(f"A{ROW_CFP_TFC}", "CFP et TFC de l'année")

    def cfp_tfc(c: _Context) -> Any:
        i, j = c[f"I{MONTH_TOTAL}"], c[f"J{MONTH_TOTAL}"]
        if isinstance(i, float) and isinstance(j, float):
            return float(cents(to_decimal(i + j)))
        return "Erreur : voir le tableau mensuel"

    b.add(f"B{ROW_CFP_TFC}", "CFP et TFC de l'année",
          f'=IF(COUNT(I{MONTH_TOTAL}:J{MONTH_TOTAL})=2,ROUND(I{MONTH_TOTAL}+J{MONTH_TOTAL},2),'
          f'"Erreur : voir le tableau mensuel")', MONEY, "money", cfp_tfc)

    def resultat(c: _Context) -> Any:
        a, b = c[f"B{ROW_COTIS}"], c[f"B{ROW_CFP_TFC}"]
        if isinstance(a, float) and isinstance(b, float):
            return float(cents(to_decimal(c.num("B5") - a - b - c.num(f"B{ROW_ACHATS}"))))
        return "Erreur : voir les cotisations"

    b.text(f"A{ROW_RESULTAT}", "Résultat réel (CA − cotisations − CFP − TFC − achats)")
    b.add(f"B{ROW_RESULTAT}", "Résultat réel",
          f'=IF(AND(ISNUMBER(B{ROW_COTIS}),ISNUMBER(B{ROW_CFP_TFC})),'
          f'ROUND(B5-B{ROW_COTIS}-B{ROW_CFP_TFC}-B{ROW_ACHATS},2),"Erreur : voir les cotisations")',
          MONEY, "money", resultat)
    reel = ("Vos charges réelles (cotisations et achats) dépassent l'abattement forfaitaire : "
            "le régime réel mérite un examen, avec un expert-comptable.")
    forfait = "L'abattement forfaitaire vous est favorable : il dépasse vos charges réelles (cotisations et achats)."

    def regime(c: _Context) -> str:
        a, b = c[f"B{ROW_RESULTAT}"], c[f"B{ROW_REVENU}"]
        if not (isinstance(a, float) and isinstance(b, float)):
            return ""
        return reel if a < b else forfait

    b.text(f"A{ROW_REGIME}", "Abattement forfaitaire ou régime réel ?")
    b.add(f"B{ROW_REGIME}", "Abattement forfaitaire ou régime réel ?",
          f'=IF(AND(ISNUMBER(B{ROW_RESULTAT}),ISNUMBER(B{ROW_REVENU})),'
          f'IF(B{ROW_RESULTAT}<B{ROW_REVENU},"{reel}","{forfait}"),"")', GENERAL, "text", regime)


def bank_account(b: _Builder) -> None:
    b.text(f"A{ROW_COMPTE_SEUIL - 1}", "Compte bancaire dédié (CSS L613-10)")
    name = "compte_dedie_seuil_ca"
    b.text(f"A{ROW_COMPTE_SEUIL}", "Seuil de CA (feuille Barèmes)")

    def seuil(c: _Context) -> float:
        end = dt.date(c.annee, 12, 31)
        rows = [r for r in get_rates().rows if r.parametre == name and r.date_effet <= end]
        if not rows:
            return 0.0
        latest = max(r.date_effet for r in rows)
        return float(sum((r.valeur for r in rows if r.date_effet == latest), ZERO))

    b.add(f"B{ROW_COMPTE_SEUIL}", "Seuil de CA du compte dédié",
          f'=SUMPRODUCT(({_baremes("A")}="{name}")*({_baremes("D")}=SUMPRODUCT(MAX(({_baremes("A")}="{name}")'
          f'*({_baremes("D")}<=DATE(annee,12,31))*{_baremes("D")}))),{_baremes("E")})', MONEY, "money", seuil)
    both = "Obligatoire : CA au-dessus du seuil deux années de suite (l'année affichée et la précédente)."
    one = ("CA de l'année au-dessus du seuil : le compte dédié devient obligatoire si le CA de l'année "
           "suivante le dépasse aussi.")
    none = "Non obligatoire (CA de l'année sous le seuil)."

    def status(c: _Context) -> str:
        limit = c.num(f"B{ROW_COMPTE_SEUIL}")
        if c.num("B5") > limit and c.num(f"B{ROW_PREV_TOTAL}") > limit:
            return both
        return one if c.num("B5") > limit else none

    b.text(f"A{ROW_COMPTE}", "Compte bancaire dédié")
    b.add(f"B{ROW_COMPTE}", "Compte bancaire dédié",
          f'=IF(AND(B5>B{ROW_COMPTE_SEUIL},B{ROW_PREV_TOTAL}>B{ROW_COMPTE_SEUIL}),"{both}",'
          f'IF(B5>B{ROW_COMPTE_SEUIL},"{one}","{none}"))', GENERAL, "text", status)
