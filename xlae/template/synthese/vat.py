"""VAT: the franchise thresholds, the share used and the status in words (rows 25..31).

Why: ``tva.statut_tva`` gives one verdict per threshold and the most serious wins;
the helper cells hold each verdict's code and sentence, and their twins
(``_vat_code``, ``_vat_message``) sit beside the formulas they mirror.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ... import udfs
from .. import natif as N
from ..natif import literal as _lit
from .geometry import COUNT, GENERAL, MONEY, PERCENT, ROW_PREV_CAT, ROW_TVA, ROW_TVA_PART, ROW_TVA_SEUILS
from .values import _text_eq

if TYPE_CHECKING:
    from .builder import _Builder
    from .context import _Context


def vat(b: _Builder) -> None:
    b.text(f"A{ROW_TVA - 1}", "TVA : franchise en base (CGI 293 B)")
    b.text(f"A{ROW_TVA}", "Statut de TVA")
    seuils = (("tva_seuil", "vente", "Seuil de franchise ventes (CA global)", "FALSE"),
              ("tva_seuil_majore", "vente", "Seuil majoré ventes (CA global)", "TRUE"),
              ("tva_seuil", "service_bic", "Seuil de franchise services", "FALSE"),
              ("tva_seuil_majore", "service_bic", "Seuil majoré services", "TRUE"))
    for i, (param, code, label, majore) in enumerate(seuils):
        row = ROW_TVA_SEUILS + i
        b.text(f"A{row}", label)
        b.add(f"B{row}", label, "=" + N.lookup(param, _lit(code), _lit("toutes"), "DATE(annee,1,1)"),
              MONEY, "money", lambda c, code=code, majore=majore: udfs.ae_tva_seuil(code, c.p("annee"),
                                                                                     majore == "TRUE"))
    _vat_status(b)
    def vat_share(c: _Context) -> float:
        def part(applies: bool, ca: str, seuil: str) -> float:
            if not applies:
                return 0.0
            value = c[seuil]
            return c.num(ca) / value if isinstance(value, float) and value else 0.0
        vente = c.num("B6") > 0 or (c.num("B5") == 0 and _text_eq(c.p("activite"), "vente"))
        services = c.num("B10") > 0 or (c.num("B5") == 0 and not _text_eq(c.p("activite"), "vente"))
        return max(part(vente, "B5", f"B{ROW_TVA_SEUILS}"), part(services, "B10", f"B{ROW_TVA_SEUILS + 2}"))

    b.text(f"A{ROW_TVA_PART}", "Part du seuil de franchise utilisée (la plus élevée)")
    b.add(f"B{ROW_TVA_PART}", "Part du seuil de franchise utilisée",
          f'=MAX(IF(OR(B6>0,AND(B5=0,activite="vente")),IFERROR(B5/B{ROW_TVA_SEUILS},0),0),'
          f'IF(OR(B10>0,AND(B5=0,activite<>"vente")),IFERROR(B10/B{ROW_TVA_SEUILS + 2},0),0))',
          PERCENT, "share", vat_share)


def _vat_status(b: _Builder) -> None:
    """B26 in words (``tva.statut_tva``): one verdict per threshold, the most serious wins."""
    H, h = b.H, b.helper
    vente, services = '$C$6<>""', 'OR($C$7<>"",$C$8<>"",$C$9<>"")'
    tolerance, same_day = H["tva_tolerance_annee_n2"], H["tva_perte_jour_depassement"]
    tolerance_next = H["tva_tolerance_suivante"]
    r0 = ROW_TVA_SEUILS
    tests = {"v": (vente, f'IF({services},"CA global","CA de ventes")', "$B$5", "$B$23", f"$B${r0}",
                   f"$B${r0 + 1}", H["tva_seuil_vente_suivant"], H["tva_seuil_majore_vente_suivant"]),
             "s": (services, '"CA de services"', "$B$10", H["ca_prec_services"], f"$B${r0 + 2}", f"$B${r0 + 3}",
                   H["tva_seuil_service_bic_suivant"], H["tva_seuil_majore_service_bic_suivant"])}
    codes, messages, details = {}, {}, []
    for key, (applies, label, now, before, base, majore, next_base, next_majore) in tests.items():
        code = h(f"tva_code_{key}", f"Verdict TVA ({key}) : 4 due depuis janvier, 3 due en cours d'année, "
                                    "2 à vérifier, 1 perdue l'an prochain, 0 franchise",
                 f"=IF({applies},IF(OR({before}>{majore},AND({before}>{base},{tolerance}=0)),4,IF({now}>{majore},3,"
                 f"IF({before}>{base},2,IF({now}>{next_base},1,0)))),0)", COUNT, "count",
                 lambda c, key=key: _vat_code(c, key))
        what = f'{label}&" "&(annee-1)&" de "&{N.euros_text(before)}'
        when = (f'IF({same_day}=1,"à compter du jour du dépassement",'
                f'"à compter du 1er jour du mois du dépassement")')
        end = (f'IF(OR({tolerance_next}=0,{now}>{next_majore}),"perdue au 1er janvier "&(annee+1),'
               f'"maintenue en "&(annee+1)&" (tolérance), perdue ensuite si le dépassement se répète")')
        messages[key] = h(
            f"tva_message_{key}", f"Verdict TVA ({key}) en clair",
            f'=CHOOSE({code}+1,"",'
            f'"Franchise en "&annee&", "&{end}&" : "&{label}&" "&annee&" de "&{N.euros_text(now)}&" > seuil de "'
            f'&{N.euros_text(next_base)}&" ; ne pas dépasser "&{N.euros_text(majore)}&" cette année.",'
            f'"Franchise maintenue en "&annee&" seulement si le CA "&(annee-2)&" était ≤ "&{N.euros_text(base)}'
            f'&" ("&{what}&" entre le seuil de base et le seuil majoré).",'
            f'"TVA due "&{when}&" : "&{label}&" "&annee&" de "&{N.euros_text(now)}&" > seuil majoré de "'
            f'&{N.euros_text(majore)}&".",'
            f'"TVA due depuis le 1er janvier "&annee&" : "&{what}&" > seuil de "&IF({before}>{majore},'
            f'{N.euros_text(majore)},{N.euros_text(base)})&".")', GENERAL, "text",
            lambda c, key=key: _vat_message(c, key))
        codes[key] = code
        details.append((applies, f'{label}&" "&annee&" de "&{N.euros_text(now)}&" ≤ "&{N.euros_text(next_base)}'))
    (va, vt), (sa, st) = details
    listing = f'IF({va},{vt},"")&IF(AND({va},{sa})," ; ","")&IF({sa},{st},"")'
    cv, cs = codes["v"], codes["s"]
    formula = (f'=IF(NOT(OR({vente},{services})),"Erreur : activite : aucune activité renseignée dans la plage.",'
               f'IF(MAX({cv},{cs})=0,"Franchise en base de TVA en "&annee&", maintenue en "&(annee+1)&" ("&{listing}'
               f'&").",IF({cv}>={cs},{messages["v"]},{messages["s"]})))')
    b.add(f"B{ROW_TVA}", "Statut de TVA", formula, GENERAL, "text",
          lambda c: udfs.ae_tva(c.block("B6", "B9"), c.block(f"B{ROW_PREV_CAT}", f"B{ROW_PREV_CAT + 3}"),
                                c.block("C6", "C9"), c.p("annee")))


def _vat_figures(c: _Context, key: str) -> tuple[bool, str, float, float, float, float, float, float]:
    vente, services = c["C6"] != "", any(c[f"C{r}"] != "" for r in (7, 8, 9))
    r0 = ROW_TVA_SEUILS
    if key == "v":
        return (vente, "CA global" if services else "CA de ventes", c.num("B5"), c.num("B23"),
                c.num(f"B{r0}"), c.num(f"B{r0 + 1}"), c.h("tva_seuil_vente_suivant"),
                c.h("tva_seuil_majore_vente_suivant"))
    return (services, "CA de services", c.num("B10"), c.h("ca_prec_services"), c.num(f"B{r0 + 2}"),
            c.num(f"B{r0 + 3}"), c.h("tva_seuil_service_bic_suivant"),
            c.h("tva_seuil_majore_service_bic_suivant"))


def _vat_code(c: _Context, key: str) -> float:
    applies, _, now, before, base, majore, next_base, _ = _vat_figures(c, key)
    if not applies:
        return 0.0
    if before > majore or (before > base and c.h("tva_tolerance_annee_n2") == 0):
        return 4.0
    if now > majore:
        return 3.0
    if before > base:
        return 2.0
    return 1.0 if now > next_base else 0.0


def _vat_message(c: _Context, key: str) -> str:
    _, label, now, before, base, majore, next_base, next_majore = _vat_figures(c, key)
    e, year = N.euros_text_value, c.annee
    what = f"{label} {year - 1} de {e(before)}"
    code = int(c.h(f"tva_code_{key}"))
    if code == 4:
        return f"TVA due depuis le 1er janvier {year} : {what} > seuil de {e(majore if before > majore else base)}."
    if code == 3:
        when = ("à compter du jour du dépassement" if c.h("tva_perte_jour_depassement") == 1
                else "à compter du 1er jour du mois du dépassement")
        return f"TVA due {when} : {label} {year} de {e(now)} > seuil majoré de {e(majore)}."
    if code == 2:
        return (f"Franchise maintenue en {year} seulement si le CA {year - 2} était ≤ {e(base)} ({what} entre "
                "le seuil de base et le seuil majoré).")
    if code == 1:
        end = (f"perdue au 1er janvier {year + 1}" if c.h("tva_tolerance_suivante") == 0 or now > next_majore
               else f"maintenue en {year + 1} (tolérance), perdue ensuite si le dépassement se répète")
        return (f"Franchise en {year}, {end} : {label} {year} de {e(now)} > seuil de {e(next_base)} ; ne pas "
                f"dépasser {e(majore)} cette année.")
    return ""
