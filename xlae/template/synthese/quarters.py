"""The quarter table (rows 76..81): CA, purchases and amounts paid by quarter, and the year.

Why: the purchases register and the quarterly view a user checks against the
URSSAF statements; the CA and amounts are sums of the month rows.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from ...rules.money import ZERO, cents, to_decimal
from .geometry import (DATE, MONEY, MONTH_FIRST, QUARTER_COLUMNS, QUARTER_FIRST, QUARTER_HEADER, QUARTER_TOTAL,
                       _header_of)
from .values import _serial, counted_sum

if TYPE_CHECKING:
    from .builder import _Builder


def quarters(b: _Builder) -> None:
    b.text(f"A{QUARTER_HEADER - 1}", "Totaux trimestriels et annuels des livres (recettes et achats)")
    headers = {"trimestre": "Trimestre", "debut": "Début", "vente": "CA ventes", "service_bic": "CA services BIC",
               "bnc": "CA BNC", "bnc_cipav": "CA BNC Cipav", "ca": "CA du trimestre", "achats": "Achats",
               "a_payer": "Cotisations et contributions"}
    for key, title in headers.items():
        b.text(f"{QUARTER_COLUMNS[key]}{QUARTER_HEADER}", title)
    for q in range(1, 5):
        r = QUARTER_FIRST + q - 1
        m1 = MONTH_FIRST + 3 * (q - 1)
        m3 = m1 + 2
        b.text(f"A{r}", f"T{q}")
        b.add(f"B{r}", f"Début du trimestre T{q}", f"=DATE(annee,{3 * q - 2},1)", DATE, "date",
              lambda c, q=q: dt.date(c.annee, 3 * q - 2, 1))
        for col in "CDEF":
            b.add(f"{col}{r}", f"{_header_of(headers, col, QUARTER_COLUMNS)} T{q}",
                  f"=ROUND(SUM({col}{m1}:{col}{m3}),2)", MONEY, "money",
                  lambda c, col=col, m1=m1: float(cents(sum((to_decimal(c.num(f"{col}{x}")) for x in range(m1, m1 + 3)),
                                                            ZERO))))
        b.add(f"G{r}", f"CA du trimestre T{q}", f"=ROUND(SUM(C{r}:F{r}),2)", MONEY, "money",
              lambda c, r=r: float(cents(sum((to_decimal(c.num(f"{x}{r}")) for x in "CDEF"), ZERO))))
        end = f"DATE(annee,{3 * q + 1},1)" if q < 4 else "DATE(annee+1,1,1)"
        b.add(f"H{r}", f"Achats T{q}",
              f"=ROUND(SUMPRODUCT(({b.AA}>=$B{r})*({b.AA}<{end})*({b.AE}>=0),{b.AE}),2)",
              MONEY, "money", lambda c, q=q: c.achats.total(
                     _serial(dt.date(c.annee, 3 * q - 2, 1)),
                     _serial(dt.date(c.annee, 3 * q + 1, 1) if q < 4 else dt.date(c.annee + 1, 1, 1))))

        b.add(f"I{r}", f"Cotisations et contributions T{q}",
              f'=IF(COUNT(L{m1}:L{m3})=3,ROUND(SUM(L{m1}:L{m3}),2),"Erreur : voir les mois")', MONEY, "money",
              lambda c, m1=m1: counted_sum([c[f"L{x}"] for x in range(m1, m1 + 3)], "Erreur : voir les mois"))
    b.text(f"A{QUARTER_TOTAL}", "Total de l'année")
    first, last = QUARTER_FIRST, QUARTER_FIRST + 3
    for col in "CDEFGH":
        b.add(f"{col}{QUARTER_TOTAL}", f"{_header_of(headers, col, QUARTER_COLUMNS)} (année)",
              f"=ROUND(SUM({col}{first}:{col}{last}),2)", MONEY, "money",
              lambda c, col=col: float(cents(sum((to_decimal(c.num(f"{col}{x}")) for x in range(first, last + 1)),
                                                 ZERO))))

    b.add(f"I{QUARTER_TOTAL}", "Cotisations et contributions (année)",
          f'=IF(COUNT(I{first}:I{last})=4,ROUND(SUM(I{first}:I{last}),2),"Erreur : voir les mois")', MONEY, "money",
          lambda c: counted_sum([c[f"I{x}"] for x in range(first, last + 1)], "Erreur : voir les mois"))
