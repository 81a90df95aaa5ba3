"""The CA of the year and the ceiling of the micro regime (rows 4..17), and the previous year (18..24).

Why: the ceiling verdict (``plafond.depassement``) compares N and N-1 with the
ceilings of N+1, so the previous-year block and the « over » helpers it needs
belong with it; their twins (``_over``, ``_ceiling_share``, ``_over_text``) sit
beside the formulas they mirror.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from ... import udfs
from ...rules.money import ZERO, cents, to_decimal
from .. import natif as N
from .geometry import (CODE_LABELS, CODES, COUNT, GENERAL, MONEY, MONTH_COLUMNS, MONTH_TOTAL, PERCENT, ROW_CA,
                       ROW_CA_CAT, ROW_DEPASSEMENT, ROW_PART, ROW_PART_SERVICES, ROW_PART_VENTE, ROW_PLAFOND_SERVICES,
                       ROW_PLAFOND_VENTE, ROW_PREV_CAT, ROW_PREV_ORIGIN, ROW_PREV_TOTAL, ROW_RESTE, ROW_SERVICES)
from .values import _blank, _is_number, _number, _text_eq, _year_bounds

if TYPE_CHECKING:
    from .builder import _Builder
    from .context import _Context

PREV_ACTIVITY_ERROR = ("Erreur : activite : « ", " » n'est pas une des catégories vente, service_bic, bnc, "
                       "bnc_cipav ; le CA de l'année précédente des Paramètres n'est attribué à aucune "
                       "catégorie (choisissez l'activité dans la liste)")


def ceiling(b: _Builder) -> None:
    b.text("A4", "Chiffre d'affaires et plafond du régime micro")
    b.text("C4", "Catégorie retenue")
    b.add(f"B{ROW_CA}", "CA encaissé de l'année", f"=G{MONTH_TOTAL}", MONEY, "money",
          lambda c: c[f"G{MONTH_TOTAL}"])
    b.text(f"A{ROW_CA}", "CA encaissé de l'année")
    for i, code in enumerate(CODES):
        row = ROW_CA_CAT + i
        col = MONTH_COLUMNS[code]
        label = f"dont {CODE_LABELS[code]} ({code})"
        b.text(f"A{row}", label)
        b.add(f"B{row}", label, f"={col}{MONTH_TOTAL}", MONEY, "money",
              lambda c, ref=f"{col}{MONTH_TOTAL}": c[ref])
        prev = ROW_PREV_CAT + i
        b.add(f"C{row}", f"Catégorie retenue ({code})",
              f'=IF(OR(B{row}>0,B{prev}>0,AND(B{ROW_CA}+B{ROW_PREV_TOTAL}=0,activite="{code}")),"{code}","")',
              GENERAL, "text", lambda c, row=row, prev=prev, code=code: code if (
                     c.num(f"B{row}") > 0 or c.num(f"B{prev}") > 0
                     or (c.num(f"B{ROW_CA}") + c.num(f"B{ROW_PREV_TOTAL}") == 0
                         and _text_eq(c.p("activite"), code))) else "")
    b.text(f"A{ROW_SERVICES}", "CA de prestations de services (services BIC + BNC)")
    b.add(f"B{ROW_SERVICES}", "CA de prestations de services", "=ROUND(B7+B8+B9,2)", MONEY, "money",
          lambda c: float(cents(to_decimal(c.num("B7") + c.num("B8") + c.num("B9")))))
    for row, code, label in ((ROW_PLAFOND_VENTE, "vente", "Plafond ventes (CA global), proratisé"),
                             (ROW_PLAFOND_SERVICES, "service_bic", "Plafond prestations de services, proratisé")):
        b.text(f"A{row}", label)
        b.add(f"B{row}", label,
              f'=ROUND({b.H["plafond_" + code]}*{b.H["jours"]}/{b.H["jours_annee"]},2)', MONEY, "money",
              lambda c, code=code: udfs.ae_plafond(code, c.p("annee"), c.creation))

    def vente_applies(c: _Context) -> bool:
        return c.num("B6") > 0 or (c.num("B5") == 0 and _text_eq(c.p("activite"), "vente"))

    def services_applies(c: _Context) -> bool:
        return c.num("B10") > 0 or (c.num("B5") == 0 and not _text_eq(c.p("activite"), "vente"))

    def share(c: _Context, applies: Callable[[_Context], bool], ca: str, ceiling: str) -> Any:
        if not applies(c):
            return ""
        value = c[ceiling]
        if not isinstance(value, float) or value == 0:
            return ""
        return c.num(ca) / value

    vente_test = 'OR(B6>0,AND(B5=0,activite="vente"))'
    services_test = 'OR(B10>0,AND(B5=0,activite<>"vente"))'
    b.text(f"A{ROW_PART_VENTE}", "Part du plafond ventes utilisée (CA global)")
    b.add(f"B{ROW_PART_VENTE}", "Part du plafond ventes utilisée",
          f'=IF({vente_test},IFERROR(B5/B11,""),"")', PERCENT, "share",
          lambda c: share(c, vente_applies, "B5", "B11"))
    b.text(f"A{ROW_PART_SERVICES}", "Part du plafond services utilisée (CA de services)")
    b.add(f"B{ROW_PART_SERVICES}", "Part du plafond services utilisée",
          f'=IF({services_test},IFERROR(B10/B12,""),"")', PERCENT, "share",
          lambda c: share(c, services_applies, "B10", "B12"))
    b.text(f"A{ROW_PART}", "Part du plafond utilisée (la plus élevée)")
    b.add(f"B{ROW_PART}", "Part du plafond utilisée", "=MAX(B13:B14)", PERCENT, "share",
          lambda c: max([v for v in (c["B13"], c["B14"]) if isinstance(v, float)], default=0.0))

    def left(c: _Context) -> Any:
        a, b = c["B13"] != "", c["B14"] != ""
        if not a and not b:
            return ""
        x = c.num("B11") - c.num("B5") if a else c.num("B12") - c.num("B10")
        y = c.num("B12") - c.num("B10") if b else c.num("B11") - c.num("B5")
        return float(cents(to_decimal(min(x, y))))

    b.text(f"A{ROW_RESTE}", "Reste avant le plafond (négatif : dépassement)")
    b.add(f"B{ROW_RESTE}", "Reste avant le plafond",
          '=IF(AND(B13="",B14=""),"",ROUND(MIN(IF(B13="",B12-B10,B11-B5),IF(B14="",B11-B5,B12-B10)),2))',
          MONEY, "money", left)
    _ceiling_status(b)


def _ceiling_status(b: _Builder) -> None:
    """B17 in words (``plafond.depassement``): N and N-1 against the ceilings of N+1."""
    H, h = b.H, b.helper
    vente, services = '$C$6<>""', 'OR($C$7<>"",$C$8<>"",$C$9<>"")'
    days, div, pdays, pdiv = H["jours"], H["jours_annee"], H["jours_prec"], H["jours_annee_prec"]
    full = {"v": H["plafond_vente"], "s": H["plafond_service_bic"]}
    prev_services = h("ca_prec_services", "CA de services de l'année précédente", "=ROUND(B20+B21+B22,2)", MONEY,
                      "money", lambda c: float(cents(sum((to_decimal(c.num(f"B{r}")) for r in (20, 21, 22)), ZERO))))
    tests = {"v": (vente, "$B$5", "$B$23"), "s": (services, "$B$10", prev_services)}
    labels = {"v": f'IF({services},"CA global","CA de ventes")',
              "s": f'IF({vente},"CA de prestations de services","CA")'}
    has_prev = "OR(ISNUMBER(ca_annee_precedente),$B$23>0)"
    parts_now, parts_prev, shares = {}, {}, []
    for key, (applies, total, before) in tests.items():
        allowed = h(f"plafond_autorise_{key}", f"Plafond proratisé non arrondi ({key})",
                    f"={full[key]}*{days}/{div}", MONEY, "money",
                    lambda c, key=key: c.h("plafond_" + ("vente" if key == "v" else "service_bic"))
                    * c.h("jours") / c.h("jours_annee"))
        shares.append(f"IF({applies},IF({allowed}>0,{total}/{allowed},IF({total}>0,1+{total},0)),0)")
        over = h(f"depasse_{key}", f"Dépassement de l'année ({key}) : 1 oui",
                 f"=IF({applies},IF({days}<=0,IF({total}>0,1,0),IF({total}*{div}>{full[key]}*{days},1,0)),0)",
                 COUNT, "count", lambda c, key=key: _over(c, key, False))
        h(f"depasse_prec_{key}", f"Dépassement de l'année précédente ({key}) : 1 oui",
          f"=IF(AND({applies},{has_prev},{pdays}>0),IF({before}*{pdiv}>{full[key]}*{pdays},1,0),0)",
          COUNT, "count", lambda c, key=key: _over(c, key, True))
        parts_now[key] = (over, f'{labels[key]}&" "&annee&" de "&{N.euros_text(total)}&" > plafond "&(annee+1)'
                                f'&" de "&{N.euros_text(allowed)}&IF({days}<{div}," (proratisé)","")')
        parts_prev[key] = (H[f"depasse_prec_{key}"], f'{labels[key]}&" "&(annee-1)&" de "&{N.euros_text(before)}')
    share = h("part_plafond", "Part du plafond utilisée (non arrondie)", "=MAX(" + ",".join(shares) + ")", PERCENT,
              "share", lambda c: _ceiling_share(c))

    def joined(parts: dict[str, tuple[str, str]], sep: str) -> str:
        (a, ta), (b, tb) = parts["v"], parts["s"]
        return f'IF({a}=1,{ta},"")&IF(AND({a}=1,{b}=1),"{sep}","")&IF({b}=1,{tb},"")'

    now = h("depassements", "Dépassements de l'année (texte)", "=" + joined(parts_now, " ; "), GENERAL, "text",
            lambda c: _over_text(c, False))
    before = h("depassements_prec", "Dépassements de l'année précédente (texte)", "=" + joined(parts_prev, "; "),
               GENERAL, "text", lambda c: _over_text(c, True))
    mixed = (f'IF(AND(NOT({vente}),$C$7<>"",OR($C$8<>"",$C$9<>""))," Activité mixte BIC + BNC : test URSSAF '
             f'(services BIC + BNC ensemble), le code des impôts teste BIC et BNC séparément.","")')
    creation = H["creation"]
    # YEAR("") is #VALUE! and AND/OR evaluate every argument: the year of a missing creation date is 0.
    created = f"IF(ISNUMBER({creation}),YEAR({creation}),0)"
    creation_year = f"{created}=annee"
    formula = (
        f'=IF(NOT(OR({vente},{services})),"Erreur : activite : aucune activité renseignée dans la plage.",'
        f'IF(AND({created}>annee,$B$5>0),"Erreur : date_creation : le "&'
        f'{N.date_text(creation)}&" est postérieur à l\'année "&annee&" alors que du CA y est déclaré.",'
        f'IF({now}="","Sous le plafond : "&{N.percent_text(share)}&" utilisé ; régime micro maintenu en "&(annee+1)'
        f'&"."&{mixed},'
        f'IF({before}<>"","Deuxième année consécutive au-dessus du plafond ("&{now}&" ; "&{before}&" également '
        f'au-dessus) : sortie du régime micro au 1er janvier "&(annee+1)&"."&{mixed},'
        f'IF(AND(NOT({has_prev}),NOT({creation_year})),"Dépassement en "&annee&" ("&{now}&"). CA "&(annee-1)&'
        f'" non renseigné : si lui aussi dépassait le plafond, sortie du régime micro au 1er janvier "&(annee+1)&'
        f'" ; sinon régime conservé en "&(annee+1)&" (tolérance d\'une année)."&{mixed},'
        f'"Premier dépassement ("&{now}&") : toléré, le régime micro est conservé en "&(annee+1)&" ; un second '
        f'dépassement en "&(annee+1)&" ferait sortir du régime au 1er janvier "&(annee+2)&"."&{mixed})))))')

    def depassement(c: _Context) -> Any:
        args = [c.block("B6", "B9"), c.block("C6", "C9"), c.p("annee"), c.creation]
        if _is_number(c.p("ca_annee_precedente")) or c.num(f"B{ROW_PREV_TOTAL}") > 0:
            args.append(c.block(f"B{ROW_PREV_CAT}", f"B{ROW_PREV_CAT + 3}"))
        return udfs.ae_depassement(*args)

    b.add(f"B{ROW_DEPASSEMENT}", "Situation au regard du plafond", formula, GENERAL, "text", depassement)


def _over(c: _Context, key: str, previous: bool) -> float:
    """Twin of AG « Dépassement … » (1.0 over, 0.0 not)."""
    applies = c["C6"] != "" if key == "v" else any(c[f"C{r}"] != "" for r in (7, 8, 9))
    full = c.h("plafond_vente" if key == "v" else "plafond_service_bic")
    if not applies:
        return 0.0
    if previous:
        has_prev = _is_number(c.p("ca_annee_precedente")) or c.num("B23") > 0
        days, div = c.h("jours_prec"), c.h("jours_annee_prec")
        before = c.num("B23") if key == "v" else c.h("ca_prec_services")
        return float(has_prev and days > 0 and before * div > full * days)
    days, div = c.h("jours"), c.h("jours_annee")
    total = c.num("B5" if key == "v" else "B10")
    if days <= 0:
        return float(total > 0)
    return float(total * div > full * days)


def _ceiling_share(c: _Context) -> float:
    shares = [0.0]
    for key, applies, total in (("v", c["C6"] != "", c.num("B5")),
                                ("s", any(c[f"C{r}"] != "" for r in (7, 8, 9)), c.num("B10"))):
        if applies:
            allowed = c.h(f"plafond_autorise_{key}")
            shares.append(total / allowed if allowed > 0 else (1 + total if total > 0 else 0.0))
    return max(shares)


def _over_text(c: _Context, previous: bool) -> str:
    vente, services = c["C6"] != "", any(c[f"C{r}"] != "" for r in (7, 8, 9))
    labels = {"v": "CA global" if services else "CA de ventes",
              "s": "CA de prestations de services" if vente else "CA"}
    parts = []
    for key in ("v", "s"):
        if c.h(f"depasse_prec_{key}" if previous else f"depasse_{key}") != 1:
            continue
        if previous:
            before = c.num("B23") if key == "v" else c.h("ca_prec_services")
            parts.append(f"{labels[key]} {c.annee - 1} de {N.euros_text_value(before)}")
        else:
            total = c.num("B5" if key == "v" else "B10")
            prorated = " (proratisé)" if c.h("jours") < c.h("jours_annee") else ""
            parts.append(f"{labels[key]} {c.annee} de {N.euros_text_value(total)} > plafond {c.annee + 1} "
                         f"de {N.euros_text_value(c.h(f'plafond_autorise_{key}'))}{prorated}")
    return ("; " if previous else " ; ").join(parts)


def previous_year(b: _Builder) -> None:
    b.text(f"A{ROW_PREV_CAT - 1}", "Année précédente (paramètre « CA de l'année précédente », "
                                      "sinon livre des recettes)")
    for i, code in enumerate(CODES):
        row = ROW_PREV_CAT + i
        label = f"CA de l'année précédente — {CODE_LABELS[code]}"
        b.text(f"A{row}", label)

        def compute(c: _Context, code: str = code) -> float:
            given = c.p("ca_annee_precedente")
            if _is_number(given):
                return _number(given) if _text_eq(c.p("activite"), code) else 0.0
            start, end = _year_bounds(c.annee - 1)
            return c.recettes.total(max(start, _number(c.h("debut_comptage"))), end, code)

        b.add(f"B{row}", label,
              f'=IF(ISNUMBER(ca_annee_precedente),IF(activite="{code}",ca_annee_precedente,0),'
              f'ROUND(SUMPRODUCT(({b.RE}="{code}")*({b.RA}>=DATE(annee-1,1,1))*({b.RA}>={b.H["debut_comptage"]})'
              f'*({b.RA}<DATE(annee,1,1))*({b.RF}>=0),{b.RF}),2))', MONEY, "money", compute)
    b.text(f"A{ROW_PREV_TOTAL}", "CA de l'année précédente")
    b.add(f"B{ROW_PREV_TOTAL}", "CA de l'année précédente",
          f"=ROUND(SUM(B{ROW_PREV_CAT}:B{ROW_PREV_CAT + 3}),2)", MONEY, "money",
          lambda c: float(cents(sum((to_decimal(c.num(f"B{ROW_PREV_CAT + i}")) for i in range(4)), ZERO))))
    b.text(f"A{ROW_PREV_ORIGIN}", "Origine du CA de l'année précédente")
    # A previous-year CA typed in Paramètres goes to the main activity: say so loudly when that
    # activity is not one of the four codes (the amount is then attributed to no category).
    known = ",".join(f'activite="{code}"' for code in CODES)
    b.add(f"B{ROW_PREV_ORIGIN}", "Origine du CA de l'année précédente",
          f'=IF(ISNUMBER(ca_annee_precedente),IF(OR({known}),"Paramètres",'
          f'"{PREV_ACTIVITY_ERROR[0]}"&activite&"{PREV_ACTIVITY_ERROR[1]}"),'
          f'IF(B{ROW_PREV_TOTAL}>0,"Livre des recettes","Aucun CA connu"))', GENERAL, "text",
          _previous_origin)


def _previous_origin(c: _Context) -> str:
    if _is_number(c.p("ca_annee_precedente")):
        activite = c.p("activite")
        if any(_text_eq(activite, code) for code in CODES):
            return "Paramètres"
        shown = "" if _blank(activite) else str(activite)
        return PREV_ACTIVITY_ERROR[0] + shown + PREV_ACTIVITY_ERROR[1]
    return "Livre des recettes" if c.num(f"B{ROW_PREV_TOTAL}") > 0 else "Aucun CA connu"
