"""The month table (rows 60..74): CA by month, the declarations cut into rate periods, their amounts.

Why: the URSSAF computes each declaration on its CA by category, a rate applying
to the CA of the months it covers, rounded once; the month rows (A..P), the rate
columns (AI..AT) and the period columns (Q..AD, row 74 for a first declaration begun
the year before) depend on one another, so they are built together here. The
formulas are Excel's own; the values of the period columns and amounts come from
the one computation of the declarations (``declarations.SheetDeclarations`` over
``xlae.year.declarations``), the one ``xlae declaration`` uses.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Callable

from ... import udfs
from ...rules.contributions import CONTRIBUTION_PARAMETERS, contribution_rates_since
from ...rules.money import ZERO, cents, to_decimal
from .. import natif as N
from ..natif import baremes as _baremes
from ..natif import literal as _lit
from .geometry import (CFP_COLS, CLOSED_COLS, CODE_LABELS, CODES, CUMUL_COLS, DATE, EPOCH_COL, EXCEL_EPOCH, MONEY, MONTH,
                       MONTH_COLUMNS, MONTH_FIRST, MONTH_HEADER, MONTH_TOTAL, MONTHS_FR, PERIOD_END_COL, RATE_COLS,
                       ROW_CA_CAT, ROW_CARRY, ROW_PART_SERVICES, ROW_PART_VENTE, ROW_PLAFOND_SERVICES,
                       ROW_PLAFOND_VENTE, TFC_COLS, VL_COLS, _header_of)
from .values import _is_number, _month_end, _number, _serial, _text_eq, counted_sum

if TYPE_CHECKING:
    from .builder import _Builder
    from .context import _Context


def months(b: _Builder) -> None:
    m = MONTH_COLUMNS
    b.text(f"A{MONTH_HEADER - 1}", "Mois par mois : CA encaissé ; cotisations et contributions de chaque "
                                      "période déclarée, calculées sur son CA et portées sur son dernier mois ; "
                                      "échéances")
    headers = {"mois": "Mois", "fin": "Fin du mois", "vente": "CA ventes", "service_bic": "CA services BIC",
               "bnc": "CA BNC", "bnc_cipav": "CA BNC Cipav", "ca": "CA du mois", "cotisations": "Cotisations sociales",
               "cfp": "CFP", "tfc": "TFC", "vl": "Versement libératoire", "total": "Total (périodes closes ce mois)",
               "echeance": "Échéance de la déclaration", "a_payer": "À payer à l'échéance (mois de l'année)",
               "ca_cumule": "CA cumulé", "plafond": "Plafond de référence"}
    for key, title in headers.items():
        b.text(f"{m[key]}{MONTH_HEADER}", title)
    first, last = MONTH_FIRST, MONTH_FIRST + 11
    counted = b.H["debut_comptage"]   # receipts dated before the creation count nowhere
    for k in range(1, 13):
        r = MONTH_FIRST + k - 1
        name = f"{MONTHS_FR[k - 1]}"
        b.add(f"A{r}", f"Mois ({name})", f"=DATE(annee,{k},1)", MONTH, "date",
              lambda c, k=k: dt.date(c.annee, k, 1))
        b.add(f"B{r}", f"Fin du mois ({name})", f"=EOMONTH(A{r},0)", DATE, "date",
              lambda c, k=k: _month_end(c.annee, k))
        for code in CODES:
            col = m[code]
            b.add(f"{col}{r}", f"{headers[code]} ({name})",
                  f'=ROUND(SUMPRODUCT(({b.RE}="{code}")*({b.RA}>=$A{r})*({b.RA}>={counted})*({b.RA}<$B{r}+1)'
                  f'*({b.RF}>=0),{b.RF}),2)', MONEY, "money",
                  lambda c, k=k, code=code: c.recettes.total(
                      max(_serial(dt.date(c.annee, k, 1)), _number(c.h("debut_comptage"))),
                      _serial(_month_end(c.annee, k)) + 1, code))
        b.add(f"G{r}", f"CA du mois ({name})", f"=ROUND(SUM(C{r}:F{r}),2)", MONEY, "money",
              lambda c, r=r: float(cents(sum((to_decimal(c.num(f"{x}{r}")) for x in "CDEF"), ZERO))))
        _period_amounts(b, r, headers, name)

        b.add(f"L{r}", f"Total des périodes closes ce mois ({name})",
              f'=IF(COUNT(H{r}:K{r})=4,ROUND(SUM(H{r}:K{r}),2),"Erreur : voir la ligne")', MONEY, "money",
              lambda c, r=r: counted_sum([c[f"{x}{r}"] for x in "HIJK"], "Erreur : voir la ligne"))

        def echeance(c: _Context, r: int = r, k: int = k) -> Any:
            start = c.p("date_creation")
            if _is_number(start) and _serial(_month_end(c.annee, k)) < _number(start):
                return ""
            return udfs.ae_echeance(c[f"B{r}"], c.periodicite, c.creation)

        b.add(f"M{r}", f"Échéance de la déclaration ({name})",
              f'=IF(AND(ISNUMBER(date_creation),$B{r}<date_creation),"",{b.due(f"$B{r}")})', DATE, "date",
              echeance)

        def a_payer(c: _Context, r: int = r) -> Any:
            due = c[f"M{r}"]
            if not isinstance(due, dt.date):
                return ""
            previous_end = dt.date(due.year, due.month, 1) - dt.timedelta(days=1)
            if previous_end != c[f"B{r}"]:
                return ""
            same = [c[f"L{x}"] for x in range(first, last + 1) if c[f"M{x}"] == due]
            if any(not isinstance(v, float) for v in same):
                return "Erreur : voir les mois de la période"
            return float(cents(sum((to_decimal(v) for v in same), ZERO)))

        b.add(f"N{r}", f"À payer à l'échéance ({name})",
              f'=IF(ISNUMBER(M{r}),IF(EOMONTH(M{r},-1)=$B{r},'
              f'IF(SUMPRODUCT(($M${first}:$M${last}=M{r})*(1-ISNUMBER($L${first}:$L${last})))>0,'
              f'"Erreur : voir les mois de la période",'
              f'ROUND(SUMPRODUCT(($M${first}:$M${last}=M{r})*1,$L${first}:$L${last}),2)),""),"")',
              MONEY, "money", a_payer)
        b.add(f"O{r}", f"CA cumulé ({name})", f"=ROUND(SUM($G${first}:G{r}),2)", MONEY, "money",
              lambda c, r=r: float(cents(sum((to_decimal(c.num(f"G{x}")) for x in range(first, r + 1)), ZERO))))

        def plafond(c: _Context) -> Any:
            if c[f"B{ROW_PART_VENTE}"] != "":
                return c[f"B{ROW_PLAFOND_VENTE}"]
            if c[f"B{ROW_PART_SERVICES}"] != "":
                return c[f"B{ROW_PLAFOND_SERVICES}"]
            return ""

        b.add(f"P{r}", f"Plafond de référence ({name})",
              f'=IF($B${ROW_PART_VENTE}<>"",$B${ROW_PLAFOND_VENTE},'
              f'IF($B${ROW_PART_SERVICES}<>"",$B${ROW_PLAFOND_SERVICES},""))', MONEY, "money", plafond)
    b.text(f"A{MONTH_TOTAL}", "Total de l'année")
    for col in "CDEFG":
        b.add(f"{col}{MONTH_TOTAL}", f"{_header_of(headers, col)} (année)",
              f"=ROUND(SUM({col}{first}:{col}{last}),2)", MONEY, "money",
              lambda c, col=col: float(cents(sum((to_decimal(c.num(f"{col}{x}")) for x in range(first, last + 1)),
                                                 ZERO))))
    for col in "HIJKL":
        b.add(f"{col}{MONTH_TOTAL}", f"{_header_of(headers, col)} (année)",
              f'=IF(COUNT({col}{first}:{col}{last})=12,ROUND(SUM({col}{first}:{col}{last}),2),'
              f'"Erreur : voir les mois")', MONEY, "money",
              lambda c, col=col: counted_sum([c[f"{col}{x}"] for x in range(first, last + 1)],
                                             "Erreur : voir les mois"))


def _period_amounts(b: _Builder, r: int, headers: dict[str, str], name: str) -> None:
    """H..K of month row r: AE_* on the CA of the rate periods that close this month.

    One rounding per declaration, category and rate, as ``xlae declaration``;
    January adds the part of a first declaration begun the year before when
    its rates differ from January's (row ROW_CARRY).
    """
    m = MONTH_COLUMNS
    vl_on = 'versement_liberatoire="oui"'
    error = b.H["erreur"]
    if r == MONTH_FIRST:
        _rate_columns(b, ROW_CARRY, "DATE(annee-1,12,31)")
    _rate_columns(b, r, f"$B{r}")

    def amount(columns: tuple[str, ...], check_rates: bool = False) -> Callable[[int], str]:
        """Σ over categories of ROUND(CA of the closed period × rate of the month, 2), natively."""
        def formula(row: int) -> str:
            closed = [f"{'$' if row == ROW_CARRY else ''}{x}{'$' if row == ROW_CARRY else ''}{row}"
                      for x in CLOSED_COLS]
            rates = [f"{x}{row}" for x in columns]
            total = "+".join(f'IF($C${ROW_CA_CAT + i}="",0,ROUND({closed[i]}*{rates[i]},2))' for i in range(4))
            body = f"ROUND({total},2)"
            if check_rates:  # a rate cell holding a French error: show it
                for rate in reversed(rates):
                    body = f'IF(AND({rate}<>"",NOT(ISNUMBER({rate}))),{rate},{body})'
            return f'IF({error}<>"",{error},{body})'
        return formula

    def twin(name: str) -> Callable[[_Context, int, int], Any]:
        """The row's amount from the year's declarations, or the error the formula shows first."""
        def value(c: _Context, row: int, month: int) -> Any:
            if name == "vl" and not _text_eq(c.p("versement_liberatoire"), "oui"):
                return 0.0
            if c.h("erreur"):
                return c.h("erreur")
            if name == "cotisations":
                for col in RATE_COLS:
                    rate = c[f"{col}{row}"]
                    if rate != "" and not isinstance(rate, float):
                        return rate
            return c.declarations.amount(name, month)
        return value

    specs = (
        ("cotisations", amount(RATE_COLS, True), twin("cotisations")),
        ("cfp", amount(CFP_COLS), twin("cfp")),
        ("tfc", amount(TFC_COLS), twin("tfc")),
        ("vl", lambda row: f"IF({vl_on},{amount(VL_COLS)(row)},0)", twin("vl")),
    )
    carry = f"${CLOSED_COLS[0]}${ROW_CARRY}:${CLOSED_COLS[-1]}${ROW_CARRY}"
    for key, formula_of, compute_of in specs:
        main = formula_of(r)
        body = main
        if r == MONTH_FIRST:
            before = formula_of(ROW_CARRY)
            body = (f"IF(SUM({carry})=0,{main},IF(AND(ISNUMBER({main}),ISNUMBER({before})),"
                    f"ROUND({main}+{before},2),IF(ISNUMBER({main}),{before},{main})))")

        def compute(c: _Context, r: int = r, compute_of: Any = compute_of) -> Any:
            due = c[f"M{r}"]
            if isinstance(due, str) and due != "":
                return due
            main = compute_of(c, r, r - MONTH_FIRST + 1)
            if r != MONTH_FIRST or sum(c.num(f"{x}{ROW_CARRY}") for x in CLOSED_COLS) == 0:
                return main
            before = compute_of(c, ROW_CARRY, 0)
            if isinstance(main, float) and isinstance(before, float):
                return float(cents(to_decimal(main) + to_decimal(before)))
            return before if isinstance(main, float) else main

        b.add(f"{m[key]}{r}", f"{headers[key]} ({name})",
              f'=IF(AND($M{r}<>"",NOT(ISNUMBER($M{r}))),$M{r},{body})', MONEY, "money", compute)


def _rate_columns(b: _Builder, row: int, on: str) -> None:
    """AI..AT of a month row: CFP, TFC and VL rates of each category in force on ``on``."""
    H = b.H
    for i, code in enumerate(CODES):
        used = f'$C${ROW_CA_CAT + i}<>""'
        specs = ((CFP_COLS[i], "cfp_taux", H[f"cfp_{code}"], _lit("toutes"), "CFP",
                  lambda c, on, code=code: c.rate("cfp_taux", c.cfp_key(code), "toutes", on)),
                 (TFC_COLS[i], "tfc_taux", H[f"tfc_{code}"], H["tfc_zone"], "TFC",
                  lambda c, on, code=code: c.rate("tfc_taux", c.tfc_key(code), c.tfc_zone, on)),
                 (VL_COLS[i], "vl_taux", _lit(code), _lit("toutes"), "VL",
                  lambda c, on, code=code: c.rate("vl_taux", code, "toutes", on)))
        for col, param, cat, zone, what, twin in specs:
            if row == MONTH_FIRST:
                b.text(f"{col}{MONTH_HEADER}", f"Taux {what} {CODE_LABELS[code]}")

            def compute(c: _Context, row: int = row, i: int = i, twin: Any = twin) -> Any:
                if c[f"C{ROW_CA_CAT + i}"] == "":
                    return ""
                day = dt.date(c.annee - 1, 12, 31) if row == ROW_CARRY else c[f"B{row}"]
                return twin(c, day)

            b.add(f"{col}{row}", f"Taux {what} {CODE_LABELS[code]} (ligne {row})",
                  f'=IF({used},{N.lookup(param, cat, zone, on)},"")', "0.000%", "share", compute)


def periods(b: _Builder) -> None:
    """Helper columns Q..AD: each declaration cut into rate periods, per category.

    Why: the URSSAF computes each declaration on its CA by category; a rate
    applies to the CA of the months it covers, rounded once. Q = last day of
    the declaration the month belongs to, R = date of the CFP/TFC/VL rows in
    force, S..V = contribution rate of each category, W..Z = CA cumulated since
    the start of the rate period, AA..AD = that CA on the month that closes the
    period (rate change, end of the declaration), else 0. A December period
    whose declaration ends the next year is left to that year's January.
    """
    b.text(f"{PERIOD_END_COL}{MONTH_HEADER}", "Fin de la période déclarée")
    b.text(f"{EPOCH_COL}{MONTH_HEADER}", "Taux CFP, TFC, VL en vigueur depuis")
    for i, code in enumerate(CODES):
        b.text(f"{RATE_COLS[i]}{MONTH_HEADER}", f"Taux de cotisations {CODE_LABELS[code]}")
        b.text(f"{CUMUL_COLS[i]}{MONTH_HEADER}", f"CA {CODE_LABELS[code]} cumulé sur la période à taux fixe")
        b.text(f"{CLOSED_COLS[i]}{MONTH_HEADER}", f"CA {CODE_LABELS[code]} de la période close ce mois")
    b.text(f"A{ROW_CARRY}", "Report : première déclaration commencée l'année précédente (colonnes Q à AD)")
    b.text(f"P{ROW_CARRY}", "Année précédente")
    names = "+".join(f'({_baremes("A")}="{name}")' for name in CONTRIBUTION_PARAMETERS)

    def epoch_formula(on: str) -> str:
        return f'=SUMPRODUCT(MAX(({names})*({_baremes("D")}<={on})*{_baremes("D")}))'

    def epoch(on: dt.date) -> dt.date:
        return contribution_rates_since(on) or EXCEL_EPOCH.date()

    last_year = "DATE(annee-1,12,31)"
    q, rr = PERIOD_END_COL, EPOCH_COL
    first, last = MONTH_FIRST, MONTH_FIRST + 11

    # Row ROW_CARRY: the part of the year's first declaration that lies in the previous year.
    def carry_start(c: _Context) -> Any:
        start, january = c.p("date_creation"), c[f"M{first}"]
        if not _is_number(start) or not isinstance(january, dt.date):
            return ""
        if _number(start) >= _serial(dt.date(c.annee, 1, 1)):
            return ""
        if udfs.ae_echeance(dt.date(c.annee - 1, 12, 31), c.periodicite, c.creation) != january:
            return ""
        moment = EXCEL_EPOCH + dt.timedelta(days=_number(start))
        return moment.date() if moment.time() == dt.time(0) else moment

    b.add(f"{q}{ROW_CARRY}", "Début de la première déclaration (année précédente)",
          f'=IF(AND(ISNUMBER(date_creation),ISNUMBER($M${first})),IF(date_creation<DATE(annee,1,1),'
          f'IF({b.due(last_year)}=$M${first},date_creation,""),""),"")',
          DATE, "date", carry_start)
    b.add(f"{rr}{ROW_CARRY}", "Taux CFP, TFC, VL en vigueur depuis (31/12 de l'année précédente)",
          epoch_formula(last_year), DATE, "date", lambda c: epoch(dt.date(c.annee - 1, 12, 31)))
    for i, code in enumerate(CODES):
        cat = f"$C${ROW_CA_CAT + i}"
        b.add(f"{RATE_COLS[i]}{ROW_CARRY}", f"Taux de cotisations {CODE_LABELS[code]} (année précédente)",
              f'=IF(AND(ISNUMBER(${q}${ROW_CARRY}),{cat}<>""),{b.taux(code, last_year)},"")', "0.00%", "share",
              lambda c, i=i: c.taux(c[f"C{ROW_CA_CAT + i}"], dt.date(c.annee - 1, 12, 31))
              if isinstance(c[f"{q}{ROW_CARRY}"], dt.date) and c[f"C{ROW_CA_CAT + i}"] != "" else "")
        b.add(f"{CUMUL_COLS[i]}{ROW_CARRY}", f"CA {CODE_LABELS[code]} de l'année précédente (première déclaration)",
              f'=IF(ISNUMBER(${q}${ROW_CARRY}),ROUND(SUMPRODUCT(({b.RE}="{code}")*({b.RA}>=${q}${ROW_CARRY})'
              f'*({b.RA}<DATE(annee,1,1))*({b.RF}>=0),{b.RF}),2),0)', MONEY, "money",
              lambda c, code=code: c.recettes.total(_number(c[f"{q}{ROW_CARRY}"]),
                                                    _serial(dt.date(c.annee, 1, 1)), code)
              if isinstance(c[f"{q}{ROW_CARRY}"], dt.date) else 0.0)
        rate, cumul, closed = RATE_COLS[i], CUMUL_COLS[i], CLOSED_COLS[i]

        b.add(f"{closed}{ROW_CARRY}", f"CA {CODE_LABELS[code]} de l'année précédente, taux différent de janvier",
              f'=IF(AND(ISNUMBER(${q}${ROW_CARRY}),OR({rate}${ROW_CARRY}<>{rate}${first},'
              f'${rr}${ROW_CARRY}<>${rr}${first})),{cumul}{ROW_CARRY},0)', MONEY, "money",
              lambda c, i=i: c.declarations.closed(c.declarations.categories[i], 0))

    for k in range(1, 13):
        r = MONTH_FIRST + k - 1
        name = MONTHS_FR[k - 1]

        def period_end(c: _Context, r: int = r) -> Any:
            due = c[f"M{r}"]
            if not isinstance(due, dt.date):
                return ""
            return dt.date(due.year, due.month, 1) - dt.timedelta(days=1)

        b.add(f"{q}{r}", f"Fin de la période déclarée ({name})",
              f'=IF(ISNUMBER($M{r}),EOMONTH($M{r},-1),"")', DATE, "date", period_end)
        b.add(f"{rr}{r}", f"Taux CFP, TFC, VL en vigueur depuis ({name})", epoch_formula(f"$B{r}"), DATE, "date",
              lambda c, r=r: epoch(c[f"B{r}"]))
        for i, code in enumerate(CODES):
            cat = f"$C${ROW_CA_CAT + i}"
            rate, cumul, closed, ca = RATE_COLS[i], CUMUL_COLS[i], CLOSED_COLS[i], MONTH_COLUMNS[code]
            b.add(f"{rate}{r}", f"Taux de cotisations {CODE_LABELS[code]} ({name})",
                  f'=IF({cat}<>"",{b.taux(code, f"$B{r}")},"")', "0.00%", "share",
                  lambda c, r=r, i=i: c.taux(c[f"C{ROW_CA_CAT + i}"], c[f"B{r}"])
                  if c[f"C{ROW_CA_CAT + i}"] != "" else "")
            if r == first:
                goes_on = (f"AND(ISNUMBER(${q}${ROW_CARRY}),{rate}${ROW_CARRY}={rate}{r},"
                           f"${rr}${ROW_CARRY}=${rr}{r})")
                previous = f"{cumul}${ROW_CARRY}"
            else:
                goes_on = (f"AND(ISNUMBER(${q}{r - 1}),${q}{r - 1}>$B{r - 1},{rate}{r - 1}={rate}{r},"
                           f"${rr}{r - 1}=${rr}{r})")
                previous = f"{cumul}{r - 1}"

            b.add(f"{cumul}{r}", f"CA {CODE_LABELS[code]} cumulé sur la période à taux fixe ({name})",
                  f"=IF(ISNUMBER($M{r}),ROUND({ca}{r}+IF({goes_on},{previous},0),2),0)", MONEY, "money",
                  lambda c, i=i, k=k: c.declarations.cumulated(c.declarations.categories[i], k))
            if r == last:
                closes = f"${q}{r}=$B{r}"
            else:
                closes = f"OR(${q}{r}=$B{r},{rate}{r}<>{rate}{r + 1},${rr}{r}<>${rr}{r + 1})"

            b.add(f"{closed}{r}", f"CA {CODE_LABELS[code]} de la période close ce mois ({name})",
                  f"=IF(AND(ISNUMBER(${q}{r}),{closes}),{cumul}{r},0)", MONEY, "money",
                  lambda c, i=i, k=k: c.declarations.closed(c.declarations.categories[i], k))
