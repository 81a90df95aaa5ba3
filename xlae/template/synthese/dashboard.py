"""The dashboard (E3:H15): the next declaration, the two shares, one alert, the rates version.

Why: the detail below is long; the user's question is « what do I pay, when, and
is anything wrong ». It only reads the other sections' cells, so it is built last.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from ...rates import get_rates
from .. import natif as N
from .geometry import (ALERT_AMBER, ALERT_CALM, COUNT, DASH_ALERTE, DASH_ALERTE_TEXTE, DASH_ECHEANCE, DASH_LABEL, DASH_MONTANT,
                       DASH_PERIODE, DASH_PLAFOND, DASH_TITLE, DASH_TVA, DASH_VALUE, DASH_VERSION, DATE, GENERAL, MONEY,
                       MONTH_FIRST, MONTH_HEADER, MONTHS_FR, NEXT_DUE_COL, PERCENT, ROW_DEPASSEMENT, ROW_INVALID_TOTAL,
                       ROW_PART, ROW_RESTE, ROW_TVA, ROW_TVA_PART, ROW_YEAR)
from .values import _month_end, _next_month

if TYPE_CHECKING:
    from .builder import _Builder
    from .context import _Context


def dashboard(b: _Builder) -> None:
    """E3:H15: the next declaration (period, due date, amount), the two shares, one alert, the rates version.

    Why: the detail below is long; the user's question is « what do I pay, when,
    and is anything wrong ». « Next » is relative to TODAY(): the first period of
    the displayed year whose due date is today or later (in December, a monthly
    declarant sees November, due on 31 December); on a year already over, a
    sentence says so instead of a stale amount.
    """
    H, h, lab, val = b.H, b.helper, DASH_LABEL, DASH_VALUE
    first, last = MONTH_FIRST, MONTH_FIRST + 11
    col = NEXT_DUE_COL
    b.text(f"{col}{MONTH_HEADER}", "Échéance à venir (dernier mois de la période)")
    for r in range(first, last + 1):
        def candidate(c: _Context, r: int = r) -> Any:
            due = c[f"M{r}"]
            if not isinstance(due, dt.date):
                return ""
            ends_here = dt.date(due.year, due.month, 1) - dt.timedelta(days=1) == c[f"B{r}"]
            return due if ends_here and due >= c.today else ""

        b.add(f"{col}{r}", f"Échéance à venir ({MONTHS_FR[r - first]})",
              f'=IF(ISNUMBER(M{r}),IF(AND(EOMONTH(M{r},-1)=$B{r},M{r}>=TODAY()),M{r},""),"")', DATE, "date",
              candidate)
    dues = f"${col}${first}:${col}${last}"

    def due_of(c: _Context) -> Any:
        found = [d for d in (c[f"{col}{r}"] for r in range(first, last + 1)) if isinstance(d, dt.date)]
        return min(found) if found else ""

    due = h("prochaine_echeance", "Prochaine échéance (période de l'année encore à déclarer)",
            f'=IF(COUNT({dues})=0,"",MIN({dues}))', DATE, "date", due_of)
    line = h("prochaine_ligne", "Mois de fin de la prochaine période (1 à 12)",
             f'=IF(ISNUMBER({due}),MATCH({due},{dues},0),"")', COUNT, "count",
             lambda c: float(next(r - first + 1 for r in range(first, last + 1) if c[f"{col}{r}"] == c.h(
                 "prochaine_echeance"))) if isinstance(c.h("prochaine_echeance"), dt.date) else "")
    end = h("prochaine_fin", "Fin de la prochaine période", f'=IF(ISNUMBER({line}),INDEX($B${first}:$B${last},{line}),"")',
            DATE, "date", lambda c: c[f"B{first + int(c.h('prochaine_ligne')) - 1}"]
            if isinstance(c.h("prochaine_ligne"), float) else "")
    premiere = H["premiere_fin"]
    is_first = h("prochaine_premiere", "La prochaine période est la première déclaration (1 oui)",
                 f'=IF(AND(ISNUMBER({due}),ISNUMBER({premiere})),IF({due}=EOMONTH({premiere},1),1,0),0)',
                 COUNT, "count", lambda c: float(isinstance(c.h("prochaine_echeance"), dt.date)
                                                 and isinstance(c.h("premiere_fin"), dt.date)
                                                 and c.h("prochaine_echeance") == _month_end(
                                                     *_next_month(c.h("premiere_fin")))))

    def start_of(c: _Context) -> Any:
        d = c.h("prochaine_echeance")
        if not isinstance(d, dt.date):
            return ""
        if c.h("prochaine_premiere") == 1:
            return c.h("creation")
        return min(c[f"A{r}"] for r in range(first, last + 1) if c[f"M{r}"] == d)

    start = h("prochaine_debut", "Début de la prochaine période",
              f'=IF(ISNUMBER({due}),IF({is_first}=1,{H["creation"]},'
              f'99999-SUMPRODUCT(MAX(($M${first}:$M${last}={due})*(99999-$A${first}:$A${last})))),"")',
              DATE, "date", start_of)
    b.text(f"{lab}{DASH_TITLE}", "Tableau de bord — ce qu'il faut faire")
    b.text(f"{lab}{DASH_PERIODE}", "Prochaine déclaration")
    b.text(f"{lab}{DASH_ECHEANCE}", "À payer au plus tard le")
    b.text(f"{lab}{DASH_MONTANT}", "Montant (à ce jour)")
    b.text(f"{lab}{DASH_PLAFOND}", "Part du plafond")
    b.text(f"{lab}{DASH_TVA}", "Part du seuil de TVA")
    b.text(f"{lab}{DASH_ALERTE}", "Alerte")
    quarterly = f'{H["periodicite"]}="trimestrielle"'
    named = (f'IF({is_first}=1,"du "&{N.date_text(start)}&" au "&{N.date_text(end)},'
             f'IF({quarterly},{N.quarter_text(end)},{N.month_text(end)}))')
    over = ('"Année "&annee&" terminée : tout est échu (passez à "&(annee+1)'
            '&" dans Paramètres)."')

    def periode(c: _Context) -> str:
        if c.h("erreur"):
            return "Voir l'alerte ci-dessous"
        d = c.h("prochaine_echeance")
        if not isinstance(d, dt.date):
            if c.today > dt.date(c.annee, 12, 31):
                return (f"Année {c.annee} terminée : tout est échu (passez à "
                        f"{c.annee + 1} dans Paramètres).")
            return f"Aucune déclaration en {c.annee}"
        stop = c.h("prochaine_fin")
        if c.h("prochaine_premiere") == 1:
            text = f"du {c.h('prochaine_debut'):%d/%m/%Y} au {stop:%d/%m/%Y}"
        elif c.periodicite == "trimestrielle":
            text = N.quarter_text_value(stop)
        else:
            text = N.month_text_value(stop)
        return text + (" (en cours)" if c.today <= stop else "")

    b.add(f"{val}{DASH_PERIODE}", "Prochaine déclaration",
          f'=IF({H["erreur"]}<>"","Voir l\'alerte ci-dessous",IF(ISNUMBER({due}),{named}'
          f'&IF(TODAY()<={end}," (en cours)",""),'
          f'IF(TODAY()>DATE(annee,12,31),{over},"Aucune déclaration en "&annee)))', GENERAL, "text", periode)
    b.add(f"{val}{DASH_ECHEANCE}", "Échéance de la prochaine déclaration", f'=IF(ISNUMBER({due}),{due},"")',
          DATE, "date", lambda c: c.h("prochaine_echeance"))
    b.add(f"{val}{DASH_MONTANT}", "Montant de la prochaine déclaration",
          f'=IF({H["erreur"]}<>"","",IF(ISNUMBER({line}),INDEX($N${first}:$N${last},{line}),""))', MONEY,
          "money", lambda c: c[f"N{first + int(c.h('prochaine_ligne')) - 1}"]
          if isinstance(c.h("prochaine_ligne"), float) and not c.h("erreur") else "")
    b.add(f"{val}{DASH_PLAFOND}", "Part du plafond utilisée", f"=B{ROW_PART}", PERCENT, "share",
          lambda c: c[f"B{ROW_PART}"])
    b.add(f"{val}{DASH_TVA}", "Part du seuil de TVA utilisée", f"=B{ROW_TVA_PART}", PERCENT, "share",
          lambda c: c[f"B{ROW_TVA_PART}"])
    _alert(b)
    version = N.VERSION_NAME
    b.add(f"{lab}{DASH_VERSION}", "Version du barème",
          f'=IF(ISNUMBER({version}),"Barème xlae du "&{N.date_text(version)}&" (feuille Barèmes ; « xlae '
          f'baremes » le met à jour)","Barème : version inconnue (feuille Barèmes, {N.VERSION_COL}'
          f'{N.VERSION_ROW})")', GENERAL, "text",
          lambda c: f"Barème xlae du {N.rates_version(get_rates()):%d/%m/%Y} (feuille Barèmes ; « xlae "
                       "baremes » le met à jour)")


def _alert(b: _Builder) -> None:
    """The most serious thing to know now, in one sentence (E10)."""
    H = b.H
    amber = ALERT_AMBER
    codes = f'MAX({H["tva_code_v"]},{H["tva_code_s"]})'
    share, left, vat = f"$B${ROW_PART}", f"$B${ROW_RESTE}", f"$B${ROW_TVA_PART}"
    invalid = f"$B${ROW_INVALID_TOTAL}"
    near = (f'"Attention : "&{N.percent_text(share)}&" du plafond déjà utilisé"&IF(ISNUMBER({left}),'
            f'" ; reste "&{N.euros_text(left)}&" avant le plafond","")&"."')
    formula = (f'=IF({H["erreur"]}<>"",{H["erreur"]},IF($C${ROW_YEAR}<>"",$C${ROW_YEAR},'
               f'IF({invalid}>0,{invalid}&" ligne(s) à corriger dans les livres (surlignées en rouge) : elles '
               f'ne sont comptées dans aucun chiffre.",IF({H["depassements"]}<>"",$B${ROW_DEPASSEMENT},'
               f'IF({codes}>0,$B${ROW_TVA},IF({share}>={amber},{near},'
               f'IF({vat}>={amber},"Attention : "&{N.percent_text(vat)}&" du seuil de franchise de TVA utilisé."'
               f',"{ALERT_CALM} : "&{N.percent_text(share)}&" du plafond et "&{N.percent_text(vat)}'
               f'&" du seuil de TVA utilisés.")))))))')

    def alert(c: _Context) -> str:
        if c.h("erreur"):
            return c.h("erreur")
        if c[f"C{ROW_YEAR}"]:
            return c[f"C{ROW_YEAR}"]
        if c.num(f"B{ROW_INVALID_TOTAL}") > 0:
            return (f"{int(c.num(f'B{ROW_INVALID_TOTAL}'))} ligne(s) à corriger dans les livres (surlignées en "
                    "rouge) : elles ne sont comptées dans aucun chiffre.")
        if c.h("depassements"):
            return c[f"B{ROW_DEPASSEMENT}"]
        if max(c.h("tva_code_v"), c.h("tva_code_s")) > 0:
            return c[f"B{ROW_TVA}"]
        s, v = c.num(f"B{ROW_PART}"), c.num(f"B{ROW_TVA_PART}")
        if s >= amber:
            rest = c[f"B{ROW_RESTE}"]
            tail = f" ; reste {N.euros_text_value(rest)} avant le plafond" if isinstance(rest, float) else ""
            return f"Attention : {N.percent_text_value(s)} du plafond déjà utilisé{tail}."
        if v >= amber:
            return f"Attention : {N.percent_text_value(v)} du seuil de franchise de TVA utilisé."
        return (f"{ALERT_CALM} : {N.percent_text_value(s)} du plafond et {N.percent_text_value(v)} du seuil "
                "de TVA utilisés.")

    b.add(f"{DASH_LABEL}{DASH_ALERTE_TEXTE}", "Alerte du moment", formula, GENERAL, "text", alert)
