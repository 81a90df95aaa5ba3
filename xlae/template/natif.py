"""Building blocks of the native Synthèse formulas: rate lookups in Barèmes, French texts, quarters.

Why: the template must compute in any spreadsheet without an add-in (Excel 2010+,
LibreOffice, Google Sheets), so every figure reads the workbook's own Barèmes sheet
with functions all of them have (SUMPRODUCT, MAX, ROUND, EOMONTH…), and every
sentence builds its numbers by hand: TEXT() and FIXED() follow the reader's locale
(« 1,234.50 » in an English LibreOffice, « 1 234,50 » in a French Excel), an
integer joined with ``&`` reads the same everywhere. Each helper has its Python
mirror, so ``synthese.evaluate`` produces the very text the formula shows.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Context, Decimal

from . import layout as L

BAREMES_LAST = 1 + 400  # room for the rates sheet rows on Barèmes (checked by the generator)


# Defined names of the Barèmes columns: short formulas (Excel refuses formulas over 8 192 characters).
BAREMES_NAMES = {"A": "bar_parametre", "B": "bar_categorie", "C": "bar_zone", "D": "bar_date", "E": "bar_valeur",
                 "G": "bar_statut"}
STATUS_NAME = BAREMES_NAMES["G"]


# The rates version (latest « verifie_le » of the installed sheet, a value written by ``xlae modele`` and
# ``xlae baremes``): label in M1, date in M2 of Barèmes, defined name below; the Synthèse shows it.
VERSION_NAME, VERSION_COL, VERSION_ROW = "bar_version", "M", 2


def version_ref() -> str:
    return f"'{L.SHEET_BAREMES}'!${VERSION_COL}${VERSION_ROW}"


def rates_version(rates) -> dt.date:
    """Version of a rates sheet: the one read from a workbook, else its latest verification date."""
    return getattr(rates, "version", None) or max(r.verifie_le for r in rates.rows)


def baremes(col: str) -> str:
    """A column of the Barèmes sheet (A parametre … E valeur), by its defined name."""
    return BAREMES_NAMES[col]


def baremes_ref(col: str) -> str:
    """What the defined name of a Barèmes column refers to: rows 2..BAREMES_LAST."""
    return f"'{L.SHEET_BAREMES}'!${col}$2:${col}${BAREMES_LAST}"


def literal(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def lookup(parametre: str, categorie: str, zone: str, on: str) -> str:
    """Value of ``parametre`` in force on ``on`` (a formula), as ``Rates.value`` finds it.

    ``categorie`` and ``zone`` are formula expressions (a quoted literal or a cell).
    Among the rows dated on or before ``on``, the most specific (category and
    zone, category, zone, « toutes ») wins, then the latest: one MAX over
    ``specificity × 100 000 + date`` (dates are below 100 000). Rows of Barèmes
    hold one category and one zone each (the generator expands « a|b » lists).
    """
    a, b, c, d, e = (baremes(x) for x in "ABCDE")
    cat = f'({b}="toutes")' if categorie == '"toutes"' else f'(({b}={categorie})+({b}="toutes")>0)'
    where = f'({c}="toutes")' if zone == '"toutes"' else f'(({c}={zone})+({c}="toutes")>0)'
    match = f'({a}="{parametre}")*{cat}*{where}'
    rank = "(" + "+".join([f"{w}*({col}={x})" for w, col, x in ((200000, b, categorie), (100000, c, zone))
                           if x != '"toutes"'] + [d]) + ")"
    best = f"SUMPRODUCT(MAX({match}*({d}<={on})*{rank}))"
    return f"SUMPRODUCT({match}*({rank}={best}),{e})"


def uncertain(parametre: str, categorie: str, on: str) -> str:
    """TRUE when the row of ``parametre``/``categorie`` (exact, any zone) in force on ``on`` is UNCERTAIN."""
    a, b, d = baremes("A"), baremes("B"), baremes("D")
    match = f'({a}="{parametre}")*({b}={categorie})'
    latest = f"SUMPRODUCT(MAX({match}*({d}<={on})*{d}))"
    return f'(SUMPRODUCT({match}*({d}={latest})*({STATUS_NAME}="UNCERTAIN"))>0)'


def uncertain_value(rows: list, parametre: str, categorie: str, on: dt.date) -> bool:
    """What ``uncertain`` finds among rates rows."""
    found = [r for r in rows if r.parametre == parametre and r.categorie == categorie and r.date_effet <= on]
    if not found:
        return False
    latest = max(r.date_effet for r in found)
    return any(r.statut == "UNCERTAIN" for r in found if r.date_effet == latest)


def quarter_index(day: str) -> str:
    """Quarters since year 0 (``periods.quarter_index``)."""
    return f"(YEAR({day})*4+INT((MONTH({day})-1)/3))"


def quarter_end(index: str) -> str:
    """Last day of quarter ``index`` (``periods.quarter_end``)."""
    return f"EOMONTH(DATE(INT(({index})/4),MOD({index},4)*3+1,1),2)"


def euros_text(ref: str) -> str:
    """« 34 560 € », « 35 043,29 € » (``format.euros_text``) of a cell, in any locale.

    Up to 999 999 999,99 €; the cents are dropped when zero, thousands are
    separated by a space. ``ref`` must be a single cell (it is repeated).
    """
    n = f"ROUND(ABS({ref}),2)"
    whole = f"INT({n})"
    cents = f"ROUND(({n}-INT({n}))*100,0)"
    groups = (f'IF({whole}>=1000000,INT({whole}/1000000)&" "&RIGHT("00"&INT(MOD({whole},1000000)/1000),3)'
              f'&" "&RIGHT("00"&MOD({whole},1000),3),IF({whole}>=1000,INT({whole}/1000)&" "'
              f'&RIGHT("00"&MOD({whole},1000),3),{whole}&""))')
    return f'IF({ref}<0,"-","")&{groups}&IF({cents}=0,"",","&RIGHT("0"&{cents},2))&" €"'


def percent_text(ref: str) -> str:
    """« 41,3 % » (one decimal, ``format.percent(x, 1)``) of a share in a cell, in any locale."""
    tenths = f"ROUND({ref}*1000,0)"
    return f'INT({tenths}/10)&","&MOD({tenths},10)&" %"'


def date_text(ref: str) -> str:
    """« 05/03/2026 » of a date cell, in any locale."""
    return f'RIGHT("0"&DAY({ref}),2)&"/"&RIGHT("0"&MONTH({ref}),2)&"/"&YEAR({ref})'


MONTHS_FR = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
             "octobre", "novembre", "décembre")


def month_text(ref: str) -> str:
    """« novembre 2026 » of a date cell, in any locale (no TEXT(), whose month names follow the reader's)."""
    return "CHOOSE(MONTH(" + ref + ")," + ",".join(literal(m) for m in MONTHS_FR) + f')&" "&YEAR({ref})'


def month_text_value(day: dt.date) -> str:
    return f"{MONTHS_FR[day.month - 1]} {day.year}"


def quarter_text(ref: str) -> str:
    """« 4e trimestre 2026 » (« 1er trimestre ») of a date cell."""
    q = f"(INT((MONTH({ref})-1)/3)+1)"
    return f'{q}&IF({q}=1,"er","e")&" trimestre "&YEAR({ref})'


def quarter_text_value(day: dt.date) -> str:
    q = (day.month - 1) // 3 + 1
    return f"{q}{'er' if q == 1 else 'e'} trimestre {day.year}"


# --- Python mirrors ---------------------------------------------------------------------------


_WIDE = Context(prec=400)


def _half_up(value: float | Decimal, places: int) -> Decimal:
    # Wide precision: a cell of 1e30 € (a typing error the books report) must still give a text, as Excel does.
    return Decimal(repr(value) if isinstance(value, float) else value).quantize(
        Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP, context=_WIDE)


def euros_text_value(amount: float | Decimal) -> str:
    """What ``euros_text`` shows for ``amount``."""
    n = abs(_half_up(amount, 2))
    whole, cents = int(n), int((n - int(n)) * 100)
    text = f"{whole:,}".replace(",", " ")
    sign = "-" if amount < 0 else ""
    return sign + text + ("" if cents == 0 else f",{cents:02d}") + " €"


def percent_text_value(share: float | Decimal) -> str:
    tenths = int(_half_up(Decimal(repr(share) if isinstance(share, float) else share) * 1000, 0))
    return f"{tenths // 10},{tenths % 10} %"


_LOOKUPS: tuple[list, dict[tuple[str, str, str, dt.date], float]] = ([], {})
_LOOKUPS_KEPT = 65536


def lookup_value(rows: list, parametre: str, categorie: str, zone: str, on: dt.date) -> float:
    """What ``lookup`` finds among rates rows (0 when no row is in force, as SUMPRODUCT gives).

    Memoised for the rows in use (kept by identity, so a switch of rates sheet starts afresh; the twins
    of ``Rates.renamed`` share their rows):
    a batch asks the same rates on the same month ends in every workbook.
    """
    global _LOOKUPS
    if _LOOKUPS[0] is not rows or len(_LOOKUPS[1]) > _LOOKUPS_KEPT:
        _LOOKUPS = (rows, {})
    found = _LOOKUPS[1]
    key = (parametre, categorie, zone, on)
    value = found.get(key)
    if value is None:
        value = found[key] = _lookup_value(rows, parametre, categorie, zone, on)
    return value


def _lookup_value(rows: list, parametre: str, categorie: str, zone: str, on: dt.date) -> float:
    def rank(row) -> tuple[int, dt.date]:
        return (2 * (row.categorie == categorie) + (row.zone == zone), row.date_effet)

    matching = [r for r in rows if r.parametre == parametre and r.categorie in (categorie, "toutes")
                and r.zone in (zone, "toutes") and r.date_effet <= on]
    if not matching:
        return 0.0
    best = max(rank(r) for r in matching)
    return float(sum((r.valeur for r in matching if rank(r) == best), Decimal(0)))
