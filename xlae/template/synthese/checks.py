"""Rows to check in the ledgers (rows 45..57): used, invalid and empty rows of Recettes and Achats.

Why: an invalid row is counted in no figure; the summary says how many there are,
by reason, with the same definition of a valid row as the sums (``ledger``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from .. import layout as L
from .geometry import CODES, COUNT, FIRST, ROW_CHECKS, ROW_INVALID_TOTAL

if TYPE_CHECKING:
    from .builder import _Builder
    from .context import _Context


def checks(b: _Builder) -> None:
    b.text(f"A{ROW_CHECKS - 1}", "Lignes à vérifier dans les livres (surlignées en rouge dans les feuilles)")
    rec_cols = [b.rec(c.key) for c in L.RECETTES_COLUMNS]
    ach_cols = [b.ach(c.key) for c in L.ACHATS_COLUMNS]
    used_rec = "((" + "+".join(f'({r}<>"")' for r in rec_cols) + ")>0)"
    used_ach = "((" + "+".join(f'({r}<>"")' for r in ach_cols) + ")>0)"
    cat_ok = "(" + "+".join(f'({b.RE}="{code}")' for code in CODES) + ")"
    rec, ach = "recettes", "achats"
    r0, a0 = ROW_CHECKS, ROW_CHECKS + 6
    # A valid row has a numeric date, so it is a used row: "to fix" = used − valid.
    checks = [
        (rec, "Recettes : lignes remplies", f"=SUMPRODUCT({used_rec}*1)", "used"),
        (rec, "Recettes : lignes à corriger",
         f"=B{r0}-SUMPRODUCT(ISNUMBER({b.RA})*ISNUMBER({b.RF})*({b.RF}>=0)*{cat_ok})",
         lambda g: ~(g.date_ok & g.amount_ok & g.category_ok)),
        (rec, "dont date absente ou invalide (texte)", f"=B{r0}-COUNT({b.RA})", lambda g: ~g.date_ok),
        (rec, "dont montant absent, négatif ou invalide (texte)",
         f"=B{r0}-SUMPRODUCT(ISNUMBER({b.RF})*({b.RF}>=0))", lambda g: ~g.amount_ok),
        (rec, "dont catégorie absente ou inconnue", f"=B{r0}-SUMPRODUCT({cat_ok}*1)", lambda g: ~g.category_ok),
        (rec, "Recettes : lignes vides entre deux lignes remplies",
         f"=MAX(0,SUMPRODUCT(MAX({used_rec}*ROW({b.RA})))-{FIRST - 1}-B{r0})", "empty"),
        (ach, "Achats : lignes remplies", f"=SUMPRODUCT({used_ach}*1)", "used"),
        (ach, "Achats : lignes à corriger", f"=B{a0}-SUMPRODUCT(ISNUMBER({b.AA})*ISNUMBER({b.AE})*({b.AE}>=0))",
         lambda g: ~(g.date_ok & g.amount_ok)),
        (ach, "dont date absente ou invalide (texte)", f"=B{a0}-COUNT({b.AA})", lambda g: ~g.date_ok),
        (ach, "dont montant absent, négatif ou invalide (texte)",
         f"=B{a0}-SUMPRODUCT(ISNUMBER({b.AE})*({b.AE}>=0))", lambda g: ~g.amount_ok),
        (ach, "Achats : lignes vides entre deux lignes remplies",
         f"=MAX(0,SUMPRODUCT(MAX({used_ach}*ROW({b.AA})))-{FIRST - 1}-B{a0})", "empty"),
    ]
    for i, (ledger, label, formula, mask) in enumerate(checks):
        row = ROW_CHECKS + i
        b.text(f"A{row}", label)

        def compute(c: _Context, ledger: str = ledger, mask: Any = mask) -> float:
            data = c.recettes if ledger == rec else c.achats
            if mask == "used":
                return float(np.count_nonzero(data.used))
            if mask == "empty":
                return data.empty_between()
            return data.count(mask(data))

        b.add(f"B{row}", label, formula, COUNT, "count", compute)
    b.text(f"A{ROW_INVALID_TOTAL}", "Total des lignes à corriger (recettes et achats)")
    parts = [r0 + 1, r0 + 5, a0 + 1, a0 + 4]
    b.add(f"B{ROW_INVALID_TOTAL}", "Total des lignes à corriger",
          "=" + "+".join(f"B{r}" for r in parts), COUNT, "count",
          lambda c: float(sum(c.num(f"B{r}") for r in parts)))
