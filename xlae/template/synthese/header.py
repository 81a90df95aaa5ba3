"""Top of Synthèse: the title, the displayed year and its check (C2).

Why: a template left on another year shows 0 € everywhere without any error; the
check right beside the year says so before anything else is read.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import numpy as np

from .. import layout as L
from .. import natif as N
from .geometry import COUNT, GENERAL, ROW_OUT_OF_YEAR, ROW_YEAR
from .values import _serial

if TYPE_CHECKING:
    from .builder import _Builder
    from .context import _Context


def header(b: _Builder) -> None:
    b.text("A1", "Synthèse de l'année — micro-entreprise")
    b.text(f"A{ROW_YEAR}", "Année affichée (modifiable dans Paramètres)")
    b.add(f"B{ROW_YEAR}", "Année affichée", "=annee", "0", "year", lambda c: float(c.annee))
    _year_check(b)
    b.text("A3", "Montants en euros ; CA encaissé d'après le livre des recettes.")


def _year_check(b: _Builder) -> None:
    """C2: a loud sentence when the ledger's receipts do not belong to the displayed year.

    Why: a template left on another year shows 0 € everywhere without any error;
    receipts of the year before are the previous-year CA, any other year counts nowhere.
    """
    where = f"{L.SHEET_PARAMETRES}, {L.PARAMETER_CELLS['annee']}"
    out = f"B{ROW_OUT_OF_YEAR}"
    dated = f"COUNT({b.RA})"
    in_year = f"SUMPRODUCT(ISNUMBER({b.RA})*({b.RA}>=DATE(annee,1,1))*({b.RA}<DATE(annee+1,1,1)))"
    start, stop = "DATE(annee-1,1,1)", "DATE(annee+1,1,1)"
    b.text(f"A{ROW_OUT_OF_YEAR}", "Recettes datées hors de l'année affichée et de la précédente")
    b.add(out, "Recettes datées hors de l'année affichée et de la précédente",
          f"=SUMPRODUCT(ISNUMBER({b.RA})*(({b.RA}<{start})+({b.RA}>={stop})))", COUNT, "count",
          lambda c: c.recettes.count(c.recettes.date_ok & ~c.recettes.in_years(c.annee - 1, c.annee)))

    # Receipts of the two years dated before the creation (counted nowhere, as in xlae declaration).
    before = (f"IF(ISNUMBER(date_creation),SUMPRODUCT(ISNUMBER({b.RA})*({b.RA}>={start})"
              f"*({b.RA}<INT(date_creation))),0)")

    def check(c: _Context) -> str:
        outside = int(c.num(out))
        if outside:
            return (f"Attention : {outside} recette(s) datée(s) hors de {c.annee - 1} et {c.annee} ne sont "
                    f"comptées nulle part : vérifiez l'année affichée ({where}) ou ces dates.")
        early = _before_creation(c)
        if early:
            return (f"Attention : {early} recette(s) datée(s) avant la création ({c.creation:%d/%m/%Y}, "
                    f"Paramètres) ne sont pas comptées : corrigez leur date (xlae verifier).")
        dated_rows = int(c.recettes.count(c.recettes.date_ok))
        if dated_rows and not c.recettes.count(c.recettes.date_ok & c.recettes.in_years(c.annee, c.annee)):
            return (f"Attention : aucune recette datée de {c.annee} (les {dated_rows} recettes datées du livre "
                    f"sont de {c.annee - 1}) : vérifiez l'année affichée ({where}).")
        return ""

    b.add(f"C{ROW_YEAR}", "Contrôle de l'année affichée",
          f'=IF({out}>0,"Attention : "&{out}&" recette(s) datée(s) hors de "&(annee-1)&" et "&annee&'
          f'" ne sont comptées nulle part : vérifiez l\'année affichée ({where}) ou ces dates.",'
          f'IF({before}>0,"Attention : "&{before}&" recette(s) datée(s) avant la création ("&{N.date_text("date_creation")}'
          f'&", Paramètres) ne sont pas comptées : corrigez leur date (xlae verifier).",'
          f'IF(AND({dated}>0,{in_year}=0),"Attention : aucune recette datée de "&annee&'
          f'" (les "&{dated}&" recettes datées du livre sont de "&(annee-1)&") : vérifiez l\'année '
          f'affichée ({where}).","")))', GENERAL, "text", check)


def _before_creation(c: _Context) -> int:
    """Dated receipts from 1 January of the year before up to the creation day (excluded)."""
    if c.creation is None:
        return 0
    ledger = c.recettes
    start, end = _serial(dt.date(c.annee - 1, 1, 1)), _serial(c.creation)
    with np.errstate(invalid="ignore"):
        return int(ledger.count(ledger.date_ok & (ledger.date >= start) & (ledger.date < end)))
