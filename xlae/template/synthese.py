"""The summary sheet (Synthèse), described once: each formula cell with its Python twin.

Why: the template's formulas and the batch's values must never drift apart.
Every formula cell of Synthèse is one ``SummaryCell``: its address, French label,
the exact Excel formula the generator writes, and a ``compute`` that produces the
same value from the parameters and the ledgers with the xlae rules (the AE_*
cells call ``xlae.udfs`` directly, so they return the same "Erreur : …" texts).

Value conventions of ``evaluate`` (and of ``compute``):
- amounts, shares, counts: ``float`` (amounts already rounded to the cent, as the
  formulas do with ROUND);
- date cells (``kind == "date"``): ``datetime.date``; ``excel_value`` turns one into
  the Excel serial number a formula engine shows;
- texts (statuses, messages, blanks produced by ``IF(…,"")``): ``str``.

Ledger rows: a row is *used* when any of its cells is not blank; a used row is
*valid* when its date is a number (an Excel date), its amount a number ≥ 0 and
(receipts) its category one of ``layout.CATEGORIES`` (case-insensitive, as Excel's
``=``). Only valid rows are summed; the others are counted on the summary, with
empty rows left between used rows. A date typed as text is invalid everywhere:
the formulas test ``ISNUMBER`` (SUMIFS would accept it in some engines), so
sums are SUMPRODUCTs with explicit type guards.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any, Callable

import numpy as np
import pandas as pd

from .. import udfs
from ..errors import XlaeError
from ..rates import get_rates
from ..rules.contributions import CONTRIBUTION_PARAMETERS, contribution_rates_since
from ..rules.money import ZERO, cents, to_decimal
from . import layout as L
from . import natif as N
from .natif import literal as _lit

# Number formats (Excel codes, also understood by LibreOffice).
MONEY = '#,##0.00" €"'
PERCENT = "0.0%"
DATE = "DD/MM/YYYY"
MONTH = "MM/YYYY"
COUNT = "0"
GENERAL = "General"

# Alert levels of the conditional formatting (share of a ceiling or threshold):
# a user-interface choice, not a legal figure.
ALERT_AMBER = 0.8
ALERT_RED = 1.0

EXCEL_EPOCH = dt.datetime(1899, 12, 30)
FIRST, LAST = L.FIRST_DATA_ROW, L.LAST_DATA_ROW
CODES = L.CATEGORIES  # vente, service_bic, bnc, bnc_cipav (order of every CA block)
CODE_LABELS = {"vente": "ventes", "service_bic": "services BIC", "bnc": "BNC", "bnc_cipav": "BNC Cipav"}
MONTHS_FR = N.MONTHS_FR

# --- Where things are on the sheet -------------------------------------------------------
ROW_YEAR = 2
ROW_CA = 5                 # B5 total CA of the year, B6:B9 per category, C6:C9 effective codes
ROW_CA_CAT = 6
ROW_SERVICES = 10
ROW_PLAFOND_VENTE, ROW_PLAFOND_SERVICES = 11, 12
ROW_PART_VENTE, ROW_PART_SERVICES, ROW_PART, ROW_RESTE, ROW_DEPASSEMENT = 13, 14, 15, 16, 17
ROW_PREV_CAT, ROW_PREV_TOTAL, ROW_PREV_ORIGIN = 19, 23, 24
ROW_TVA, ROW_TVA_SEUILS, ROW_TVA_PART = 26, 27, 31
ROW_ABATTEMENT, ROW_REVENU, ROW_ACHATS, ROW_COTIS, ROW_CFP_TFC, ROW_VL, ROW_TOTAL_PAYER = 33, 34, 35, 36, 37, 38, 39
ROW_RESULTAT, ROW_REGIME = 40, 41
ROW_COMPTE_SEUIL, ROW_COMPTE = 43, 44
ROW_CHECKS = 46            # 46..56 detail, 57 total
ROW_INVALID_TOTAL = 57
ROW_OUT_OF_YEAR = 58       # receipts dated neither in the displayed year nor the year before
MONTH_HEADER = 60
MONTH_FIRST = 61           # 61..72 = January..December
MONTH_TOTAL = 73
ROW_CARRY = 74             # CA of a first declaration begun the year before (helper columns Q..AD)
QUARTER_HEADER = 76
QUARTER_FIRST = 77         # 77..80
QUARTER_TOTAL = 81

CHART_ROW, CHART_ROWS = QUARTER_TOTAL + 18, 20  # the chart, below every figure (rows it covers stay empty)

# Dashboard (tableau de bord): labels in DASH_LABEL, values in DASH_VALUE (each merged with the next
# column), rows DASH_TITLE..DASH_VERSION, beside the CA block (E3:H15).
DASH_LABEL, DASH_VALUE = "E", "G"
DASH_TITLE, DASH_PERIODE, DASH_ECHEANCE, DASH_MONTANT, DASH_PLAFOND, DASH_TVA = 3, 4, 5, 6, 7, 8
DASH_ALERTE, DASH_ALERTE_TEXTE, DASH_VERSION = 9, 10, 15  # the alert sentence: rows 10..14, merged
DASHBOARD_REFS = frozenset(f"{col}{row}" for col in (DASH_LABEL, DASH_VALUE) for row in range(DASH_TITLE, DASH_VERSION + 1))
NEXT_DUE_COL = "AE"  # month rows: due date of a period still to declare (last month of the period, due ≥ today)

# Helper block: labels in AF, values in AG from row HELPER_FIRST (outside the print area).
HELPER_LABEL_COL, HELPER_COL, HELPER_FIRST = "AF", "AG", 3
# Monthly rate helper columns (per category): CFP, TFC and VL rates in force on the month's last day.
CFP_COLS, TFC_COLS, VL_COLS = ("AI", "AJ", "AK", "AL"), ("AM", "AN", "AO", "AP"), ("AQ", "AR", "AS", "AT")

# Monthly table columns.
MONTH_COLUMNS = {
    "mois": "A", "fin": "B", "vente": "C", "service_bic": "D", "bnc": "E", "bnc_cipav": "F",
    "ca": "G", "cotisations": "H", "cfp": "I", "tfc": "J", "vl": "K", "total": "L",
    "echeance": "M", "a_payer": "N", "ca_cumule": "O", "plafond": "P",
}
# Helper columns of the monthly table: the declared periods, cut where a rate changes (see _periods).
PERIOD_END_COL, EPOCH_COL = "Q", "R"
RATE_COLS = ("S", "T", "U", "V")        # AE_TAUX of each effective code (C6:C9)
CUMUL_COLS = ("W", "X", "Y", "Z")       # CA of the current rate period, cumulated
CLOSED_COLS = ("AA", "AB", "AC", "AD")  # CA of the rate period that closes this month (else 0)
# Rows whose change splits a declaration for every category (CFP, TFC, VL rates).
QUARTER_COLUMNS = {"trimestre": "A", "debut": "B", "vente": "C", "service_bic": "D", "bnc": "E",
                   "bnc_cipav": "F", "ca": "G", "achats": "H", "a_payer": "I"}

# Cells a report reads (issue 6).
KEY_CELLS = {
    "annee": f"B{ROW_YEAR}", "ca_annee": f"B{ROW_CA}", "plafond_vente": f"B{ROW_PLAFOND_VENTE}",
    "plafond_services": f"B{ROW_PLAFOND_SERVICES}", "part_plafond": f"B{ROW_PART}",
    "reste_plafond": f"B{ROW_RESTE}", "statut_plafond": f"B{ROW_DEPASSEMENT}", "statut_tva": f"B{ROW_TVA}",
    "part_seuil_tva": f"B{ROW_TVA_PART}", "revenu": f"B{ROW_REVENU}", "achats": f"B{ROW_ACHATS}",
    "total_a_payer": f"B{ROW_TOTAL_PAYER}", "resultat_reel": f"B{ROW_RESULTAT}",
    "compte_dedie": f"B{ROW_COMPTE}", "lignes_invalides": f"B{ROW_INVALID_TOTAL}",
    "controle_annee": f"C{ROW_YEAR}",
    "prochaine_periode": f"{DASH_VALUE}{DASH_PERIODE}", "prochaine_echeance": f"{DASH_VALUE}{DASH_ECHEANCE}",
    "prochain_montant": f"{DASH_VALUE}{DASH_MONTANT}", "alerte": f"{DASH_LABEL}{DASH_ALERTE_TEXTE}",
    "version_bareme": f"{DASH_LABEL}{DASH_VERSION}",
}


def _rng(sheet: str, col: str, last: int) -> str:
    return f"{sheet}!${col}${FIRST}:${col}${last}"


def check_rows(rows: Any, argument: str = "lignes") -> int:
    """Number of ledger rows the summary covers: a whole number from 1 to what a sheet holds."""
    if isinstance(rows, bool) or not isinstance(rows, int) or not 1 <= rows <= L.MAX_SHEET_ROWS:
        raise XlaeError(f"{argument} : {rows!r} refusé ; un nombre entier de lignes de 1 à "
                        f"{L.MAX_SHEET_ROWS} (défaut : {L.MAX_ROWS}).", argument)
    return rows
BAREMES_LAST = N.BAREMES_LAST
_baremes = N.baremes


# --- Public description ---------------------------------------------------------------------


@dataclass(frozen=True)
class Inputs:
    """What the batch reads from a workbook: raw cell values (None for empty cells)."""

    parametres: dict[str, Any]   # keys = layout.PARAMETER_NAMES
    recettes: pd.DataFrame       # columns = keys of layout.RECETTES_COLUMNS + "row" (sheet row number)
    achats: pd.DataFrame         # columns = keys of layout.ACHATS_COLUMNS + "row"


@dataclass(frozen=True)
class SummaryCell:
    """One formula cell of Synthèse."""

    ref: str
    label: str
    formula: str
    number_format: str
    kind: str  # money | share | count | date | text | year
    compute: Callable[["_Context"], Any] = field(repr=False, compare=False)


@lru_cache(maxsize=8)
def _description(rows: int) -> tuple[tuple[SummaryCell, ...], dict[str, str], dict[str, str]]:
    builder = _Builder(check_rows(rows))
    builder.build()
    return tuple(builder.cells), builder.static, builder.H


def helper_refs() -> dict[str, str]:
    """Helper key -> cell of the helper block (e.g. "erreur" -> "AG12")."""
    return {k: v.replace("$", "") for k, v in _description(L.MAX_ROWS)[2].items()}


def summary_cells(rows: int = L.MAX_ROWS) -> list[SummaryCell]:
    """Every formula cell of Synthèse, in sheet order of construction.

    ``rows``: ledger rows the formulas cover (rows 2..rows+1 of Recettes and Achats);
    only the ledger ranges depend on it.
    """
    return list(_description(rows)[0])


def static_cells() -> dict[str, str]:
    """Fixed texts of Synthèse (titles, labels, headers, codes): ref -> text."""
    return dict(_description(L.MAX_ROWS)[1])


def evaluate(inputs: Inputs, rows: int = L.MAX_ROWS, today: dt.date | None = None) -> dict[str, Any]:
    """ref -> value of every formula cell of Synthèse, without any formula engine.

    ``rows`` as in ``summary_cells``: ledger rows below row rows+1 are not counted,
    exactly as the formulas of such a workbook would not count them.
    ``today``: the day TODAY() returns (default: the real one), for the dashboard.
    """
    context = _Context(inputs, rows, today)
    return {cell.ref: context[cell.ref] for cell in summary_cells(rows)}


def excel_value(value: Any) -> Any:
    """The value a formula engine shows for an ``evaluate`` value (dates as serial numbers)."""
    if isinstance(value, dt.datetime):
        return (value - EXCEL_EPOCH).total_seconds() / 86400
    if isinstance(value, dt.date):
        return float((value - EXCEL_EPOCH.date()).days)
    return value


_REF = re.compile(r"(?<![A-Za-z_!'])\$?([A-Z]{1,2})\$?(\d+)(?::\$?([A-Z]{1,2})\$?(\d+))?(?![\w(!])")
_STRINGS = re.compile(r'"(?:[^"]|"")*"')
_SHEET_REF = re.compile(r"(?:'[^']+'|[A-Za-z_][\w.]*)!\$?[A-Z]{1,3}\$?\d+(?::\$?[A-Z]{1,3}\$?\d+)?")


def references(formula: str) -> set[str]:
    """Cells of Synthèse a formula reads (ranges expanded; other sheets and names left out)."""
    text = _SHEET_REF.sub(" ", _STRINGS.sub('""', formula))
    found: set[str] = set()
    for match in _REF.finditer(text):
        c1, r1, c2, r2 = match.groups()
        if c2 is None:
            found.add(f"{c1}{r1}")
            continue
        for col in range(_col_index(c1), _col_index(c2) + 1):
            for row in range(int(r1), int(r2) + 1):
                found.add(f"{_col_letter(col)}{row}")
    return found


def ae_dependent_refs() -> set[str]:
    """Cells that call an AE_* function or read (transitively) one that does.

    Without xlwings (LibreOffice, a phone) these show #NAME? or a value computed
    from #NAME?; every other formula cell is native and computes everywhere.
    """
    cells = summary_cells()
    dependent = {c.ref for c in cells if "AE_" in _STRINGS.sub('""', c.formula)}
    readers = {c.ref: references(c.formula) for c in cells}
    changed = True
    while changed:
        changed = False
        for ref, reads in readers.items():
            if ref not in dependent and reads & dependent:
                dependent.add(ref)
                changed = True
    return dependent


_col_index = L.column_index
_col_letter = L.column_letter


# --- Evaluation context ----------------------------------------------------------------------


def _blank(value: Any) -> bool:
    return (value is None or value is pd.NaT or (isinstance(value, str) and value == "")
            or (isinstance(value, float) and math.isnan(value)))


def _number(value: Any) -> float:
    """What ISNUMBER accepts, as a float (dates as serials); NaN otherwise."""
    if _blank(value) or isinstance(value, (bool, np.bool_, str)):
        return math.nan
    if isinstance(value, dt.datetime):
        return (value.replace(tzinfo=None) - EXCEL_EPOCH).total_seconds() / 86400
    if isinstance(value, dt.date):
        return float((value - EXCEL_EPOCH.date()).days)
    if isinstance(value, dt.time):
        return (value.hour * 3600 + value.minute * 60 + value.second) / 86400
    if isinstance(value, (int, float, Decimal, np.integer, np.floating)):
        number = float(value)
        return number if math.isfinite(number) else math.nan
    return math.nan


def _is_number(value: Any) -> bool:
    return not math.isnan(_number(value))


ACRE_NEEDS_CREATION = ("Erreur : acre : l'ACRE demande la date de création (argument date_creation), qui fixe sa "
                       "durée et son taux.")
PREV_ACTIVITY_ERROR = ("Erreur : activite : « ", " » n'est pas une des catégories vente, service_bic, bnc, "
                       "bnc_cipav ; le CA de l'année précédente des Paramètres n'est attribué à aucune "
                       "catégorie (choisissez l'activité dans la liste)")


def _previous_origin(c: "_Context") -> str:
    if _is_number(c.p("ca_annee_precedente")):
        activite = c.p("activite")
        if any(_text_eq(activite, code) for code in CODES):
            return "Paramètres"
        shown = "" if _blank(activite) else str(activite)
        return PREV_ACTIVITY_ERROR[0] + shown + PREV_ACTIVITY_ERROR[1]
    return "Livre des recettes" if c.num(f"B{ROW_PREV_TOTAL}") > 0 else "Aucun CA connu"


def _text_eq(value: Any, text: str) -> bool:
    """Excel's case-insensitive ``cell = "text"`` (an empty cell equals "")."""
    if _blank(value):
        return text == ""
    return isinstance(value, str) and value.lower() == text.lower()


def _serial(day: dt.date) -> float:
    return float((day - EXCEL_EPOCH.date()).days)


def _money(amounts: np.ndarray) -> float:
    """Exact sum of cell amounts, rounded half up to the cent (ROUND(…;2)).

    Amounts typed to the cent (the float nearest to k/100, below 10^11 €, so that no
    two such amounts share a float) are summed as integer cents k; the others as
    the exact decimals of their shortest repr — the same sum, without 100 000 Decimals.
    """
    amounts = np.asarray(amounts, dtype=float)
    with np.errstate(invalid="ignore", over="ignore"):
        hundredths = np.round(amounts * 100)
        fast = (np.abs(amounts) < 1e11) & (hundredths / 100 == amounts)
    exact = hundredths[fast].astype(np.int64)  # each below 10^13: chunks of 500 000 cannot overflow int64
    whole = sum(int(exact[i:i + 500_000].sum(dtype=np.int64)) for i in range(0, len(exact), 500_000))
    rest = sum((to_decimal(float(a)) for a in amounts[~fast]), ZERO)
    return float(cents(Decimal(whole).scaleb(-2) + rest))


_type_of = np.frompyfunc(type, 1, 1)
_lower = np.frompyfunc(lambda value: value.lower() if type(value) is str else None, 1, 1)


_EPOCH64 = np.datetime64(EXCEL_EPOCH, "us")


def _numbers(column: pd.Series) -> np.ndarray:
    """``_number`` of every cell of a column, by type in bulk (numbers, dates, datetimes); NaN otherwise."""
    values = column.to_numpy(dtype=object)
    kinds = _type_of(values) if len(values) else np.empty(0, dtype=object)
    out = np.full(len(values), np.nan)
    numbers = (kinds == float) | (kinds == int)
    if numbers.any():
        out[numbers] = values[numbers].astype(float)
    stamps = (kinds == dt.datetime) | (kinds == dt.date)
    if stamps.any():
        try:
            moments = values[stamps].astype("datetime64[us]")
        except (TypeError, ValueError):  # a datetime with a time zone
            moments = np.array([v.replace(tzinfo=None) if type(v) is dt.datetime else v for v in values[stamps]],
                               dtype="datetime64[us]")
        out[stamps] = (moments - _EPOCH64) / np.timedelta64(86400, "s")
    others = ~(numbers | stamps) & (kinds != str) & (kinds != type(None))
    for index in np.flatnonzero(others):  # time, Decimal, numpy scalars, pandas stamps: rare
        out[index] = _number(values[index])
    out[~np.isfinite(out)] = np.nan
    return out


class _Ledger:
    """A ledger as arrays: serial dates, amounts, categories, used rows (sheet rows FIRST..last)."""

    def __init__(self, frame: pd.DataFrame, columns: tuple[L.Column, ...], with_category: bool,
                 last: int = LAST) -> None:
        keys = [c.key for c in columns]
        if frame is None or len(frame) == 0:
            frame = pd.DataFrame({k: [] for k in keys + ["row"]})
        missing = [k for k in keys + ["row"] if k not in frame.columns]
        if missing:
            raise XlaeError(f"livre : colonnes manquantes dans les données lues : {', '.join(missing)}.")
        rows = frame["row"].to_numpy(dtype=np.int64)
        frame = frame.loc[(rows >= FIRST) & (rows <= last)]
        self.rows = frame["row"].to_numpy(dtype=np.int64)
        self.used = np.zeros(len(frame), dtype=bool)
        for k in keys:
            column = frame[k]
            self.used |= ~(column.isna() | column.eq("")).to_numpy(dtype=bool)
        self.date = _numbers(frame["date"])
        self.amount = _numbers(frame["montant"])
        self.date_ok = ~np.isnan(self.date)
        with np.errstate(invalid="ignore"):
            self.amount_ok = ~np.isnan(self.amount) & (self.amount >= 0)
        if with_category:
            values = frame["categorie"].to_numpy(dtype=object)
            self.category = _lower(values).astype(object) if len(values) else np.empty(0, dtype=object)
            self.category_ok = np.isin(self.category, list(CODES))
        else:
            self.category = np.full(len(frame), None, dtype=object)
            self.category_ok = np.ones(len(frame), dtype=bool)
        self.valid = self.date_ok & self.amount_ok & self.category_ok

    def total(self, start: float, end: float, category: str | None = None) -> float:
        """ROUND(SUMPRODUCT(valid × start ≤ date < end [× category], amount); 2)."""
        mask = self.date_ok & self.amount_ok & (self.date >= start) & (self.date < end)
        if category is not None:
            mask &= self.category == category
        return _money(self.amount[mask])

    def in_years(self, first: int, last: int) -> np.ndarray:
        """Rows dated from 1 January ``first`` to 31 December ``last`` (text dates: False)."""
        start, end = _serial(dt.date(first, 1, 1)), _serial(dt.date(last + 1, 1, 1))
        with np.errstate(invalid="ignore"):
            return self.date_ok & (self.date >= start) & (self.date < end)

    def count(self, mask: np.ndarray) -> float:
        return float(np.count_nonzero(self.used & mask))

    def empty_between(self) -> float:
        if not self.used.any():
            return 0.0
        last = int(self.rows[self.used].max())
        return float(max(0, last - (FIRST - 1) - int(np.count_nonzero(self.used))))


class _Context:
    """Values of the summary cells, computed on demand (each cell once)."""

    def __init__(self, inputs: Inputs, rows: int = L.MAX_ROWS, today: dt.date | None = None) -> None:
        self.today = today or dt.date.today()
        self.params = {name: (None if _blank(v) else v) for name, v in (inputs.parametres or {}).items()}
        for name in L.ALL_PARAMETER_NAMES:
            self.params.setdefault(name, None)
        self.annee = _check_year(self.params["annee"])
        last = L.last_data_row(rows)
        self.recettes = _Ledger(inputs.recettes, L.RECETTES_COLUMNS, True, last)
        self.achats = _Ledger(inputs.achats, L.ACHATS_COLUMNS, False, last)
        self._cells = {cell.ref: cell for cell in summary_cells(rows)}
        self.H = {k: v.replace("$", "") for k, v in _description(rows)[2].items()}
        self._values: dict[str, Any] = {}
        self._declarations: _Declarations | None = None

    def p(self, name: str) -> Any:
        return self.params[name]

    def num_param(self, name: str, default: float) -> float:
        """A parameter read as ``IF(ISNUMBER(name),name,default)``."""
        number = _number(self.p(name))
        return default if math.isnan(number) else number

    @staticmethod
    def number_of(value: Any) -> float:
        """What ISNUMBER accepts as a float (NaN otherwise)."""
        return _number(value)

    @property
    def jan1(self) -> dt.date:
        return dt.date(self.annee, 1, 1)

    # Parameters as the helper block reads them (see ``_Builder._helpers``) -----------------------
    @property
    def creation(self) -> dt.date | None:
        number = _number(self.p("date_creation"))
        return None if math.isnan(number) else (EXCEL_EPOCH + dt.timedelta(days=math.floor(number))).date()

    @property
    def zone(self) -> str:
        value = self.p("zone")
        return value.lower() if _text_eq(value, "drom") or _text_eq(value, "mayotte") else "metropole"

    @property
    def periodicite(self) -> str:
        return "trimestrielle" if _text_eq(self.p("periodicite"), "trimestrielle") else "mensuelle"

    @property
    def tfc_zone(self) -> str:
        value = self.p("departement")
        number = _number(value)
        shown = value if isinstance(value, str) else ("" if math.isnan(number) else f"{number:g}")
        if shown == "57":
            return "moselle"
        return "alsace" if shown in ("67", "68") else "toutes"

    def nature(self, code: str) -> str:
        value = self.p("nature")
        if _blank(value):
            return "liberale" if code.startswith("bnc") else "commerciale"
        return str(value).lower()

    def cfp_key(self, code: str) -> str:
        nature = self.nature(code)
        return nature if nature in ("artisanale", "liberale") else f"commerciale_{'vente' if code == 'vente' else 'service'}"

    def tfc_key(self, code: str) -> str:
        nature = self.nature(code)
        return "liberale" if nature == "liberale" else f"{nature}_{'vente' if code == 'vente' else 'service'}"

    def parameter_error(self) -> str:
        used = [self[f"C{ROW_CA_CAT + i}"] != "" for i in range(4)]
        p = self.p

        def shown(name: str) -> str:
            value = p(name)
            if isinstance(value, float) and value.is_integer():
                return str(int(value))
            return str(value)

        def other(name: str, *allowed: str) -> bool:
            return not _blank(p(name)) and not any(_text_eq(p(name), a) for a in allowed)

        nature = p("nature")
        if not any(used):
            return "Erreur : activite : aucune activité renseignée dans la plage."
        if other("acre", "oui", "non"):
            return f"Erreur : acre : valeur « {shown('acre')} » refusée. Valeurs acceptées : oui, non."
        if not _blank(p("date_creation")) and not _is_number(p("date_creation")):
            return (f"Erreur : date_creation : valeur « {shown('date_creation')} » refusée. Valeurs acceptées : "
                    "une date (JJ/MM/AAAA).")
        if other("zone", "metropole", "drom", "mayotte"):
            return f"Erreur : zone : valeur « {shown('zone')} » refusée. Valeurs acceptées : metropole, drom, mayotte."
        if other("periodicite", "mensuelle", "trimestrielle"):
            return (f"Erreur : periodicite : valeur « {shown('periodicite')} » refusée. Valeurs acceptées : "
                    "mensuelle, trimestrielle.")
        if other("nature", "commerciale", "artisanale", "liberale"):
            return (f"Erreur : nature : valeur « {shown('nature')} » refusée. Valeurs acceptées : commerciale, "
                    "artisanale, liberale.")
        if _text_eq(nature, "liberale") and (used[0] or used[1]):
            return ("Erreur : nature : « liberale » ne convient qu'au BNC ; laissez la nature vide en activité "
                    "mixte BIC + BNC.")
        if (_text_eq(nature, "commerciale") or _text_eq(nature, "artisanale")) and (used[2] or used[3]):
            return (f"Erreur : nature : « {shown('nature')} » ne convient pas au BNC (liberale) ; laissez la nature "
                    "vide en activité mixte BIC + BNC.")
        return ""

    def taux(self, code: Any, on: Any) -> Any:
        """Twin of ``_Builder.taux``: AE_TAUX on the parameters as the helper block reads them."""
        return udfs.ae_taux(code, on, self.h("acre"), self.creation, self.zone)

    def h(self, key: str) -> Any:
        """Value of a helper cell."""
        return self[self.H[key]]

    def over(self, key: str, previous: bool) -> float:
        """Twin of AG « Dépassement … » (1.0 over, 0.0 not)."""
        applies = self["C6"] != "" if key == "v" else any(self[f"C{r}"] != "" for r in (7, 8, 9))
        full = self.h("plafond_vente" if key == "v" else "plafond_service_bic")
        if not applies:
            return 0.0
        if previous:
            has_prev = _is_number(self.p("ca_annee_precedente")) or self.num("B23") > 0
            days, div = self.h("jours_prec"), self.h("jours_annee_prec")
            before = self.num("B23") if key == "v" else self.h("ca_prec_services")
            return float(has_prev and days > 0 and before * div > full * days)
        days, div = self.h("jours"), self.h("jours_annee")
        total = self.num("B5" if key == "v" else "B10")
        if days <= 0:
            return float(total > 0)
        return float(total * div > full * days)

    def ceiling_share(self) -> float:
        shares = [0.0]
        for key, applies, total in (("v", self["C6"] != "", self.num("B5")),
                                    ("s", any(self[f"C{r}"] != "" for r in (7, 8, 9)), self.num("B10"))):
            if applies:
                allowed = self.h(f"plafond_autorise_{key}")
                shares.append(total / allowed if allowed > 0 else (1 + total if total > 0 else 0.0))
        return max(shares)

    def over_text(self, previous: bool) -> str:
        vente, services = self["C6"] != "", any(self[f"C{r}"] != "" for r in (7, 8, 9))
        labels = {"v": "CA global" if services else "CA de ventes",
                  "s": "CA de prestations de services" if vente else "CA"}
        parts = []
        for key in ("v", "s"):
            if self.h(f"depasse_prec_{key}" if previous else f"depasse_{key}") != 1:
                continue
            if previous:
                before = self.num("B23") if key == "v" else self.h("ca_prec_services")
                parts.append(f"{labels[key]} {self.annee - 1} de {N.euros_text_value(before)}")
            else:
                total = self.num("B5" if key == "v" else "B10")
                prorated = " (proratisé)" if self.h("jours") < self.h("jours_annee") else ""
                parts.append(f"{labels[key]} {self.annee} de {N.euros_text_value(total)} > plafond {self.annee + 1} "
                             f"de {N.euros_text_value(self.h(f'plafond_autorise_{key}'))}{prorated}")
        return ("; " if previous else " ; ").join(parts)

    def _vat_figures(self, key: str) -> tuple[bool, str, float, float, float, float, float, float]:
        vente, services = self["C6"] != "", any(self[f"C{r}"] != "" for r in (7, 8, 9))
        r0 = ROW_TVA_SEUILS
        if key == "v":
            return (vente, "CA global" if services else "CA de ventes", self.num("B5"), self.num("B23"),
                    self.num(f"B{r0}"), self.num(f"B{r0 + 1}"), self.h("tva_seuil_vente_suivant"),
                    self.h("tva_seuil_majore_vente_suivant"))
        return (services, "CA de services", self.num("B10"), self.h("ca_prec_services"), self.num(f"B{r0 + 2}"),
                self.num(f"B{r0 + 3}"), self.h("tva_seuil_service_bic_suivant"),
                self.h("tva_seuil_majore_service_bic_suivant"))

    def vat_code(self, key: str) -> float:
        applies, _, now, before, base, majore, next_base, _ = self._vat_figures(key)
        if not applies:
            return 0.0
        if before > majore or (before > base and self.h("tva_tolerance_annee_n2") == 0):
            return 4.0
        if now > majore:
            return 3.0
        if before > base:
            return 2.0
        return 1.0 if now > next_base else 0.0

    def vat_message(self, key: str) -> str:
        _, label, now, before, base, majore, next_base, next_majore = self._vat_figures(key)
        e, year = N.euros_text_value, self.annee
        what = f"{label} {year - 1} de {e(before)}"
        code = int(self.h(f"tva_code_{key}"))
        if code == 4:
            return f"TVA due depuis le 1er janvier {year} : {what} > seuil de {e(majore if before > majore else base)}."
        if code == 3:
            when = ("à compter du jour du dépassement" if self.h("tva_perte_jour_depassement") == 1
                    else "à compter du 1er jour du mois du dépassement")
            return f"TVA due {when} : {label} {year} de {e(now)} > seuil majoré de {e(majore)}."
        if code == 2:
            return (f"Franchise maintenue en {year} seulement si le CA {year - 2} était ≤ {e(base)} ({what} entre "
                    "le seuil de base et le seuil majoré).")
        if code == 1:
            end = (f"perdue au 1er janvier {year + 1}" if self.h("tva_tolerance_suivante") == 0 or now > next_majore
                   else f"maintenue en {year + 1} (tolérance), perdue ensuite si le dépassement se répète")
            return (f"Franchise en {year}, {end} : {label} {year} de {e(now)} > seuil de {e(next_base)} ; ne pas "
                    f"dépasser {e(majore)} cette année.")
        return ""

    def rate(self, parametre: str, categorie: str, zone: str, on: dt.date) -> float:
        """The value a helper's Barèmes lookup finds (0 when none is in force)."""
        return N.lookup_value(get_rates().rows, parametre, categorie, zone, on)

    def rate_by_creation(self, parametre: str) -> float:
        return self.rate(parametre, "toutes", "toutes", self.creation)

    @property
    def acre_end(self) -> dt.date | None:
        if self.creation is None or not _text_eq(self.p("acre"), "oui"):
            return None
        from ..rules.periods import quarter_end, quarter_index
        return quarter_end(quarter_index(self.creation) + int(self.rate_by_creation("acre_trimestres_suivants")))

    @property
    def first_end(self) -> dt.date | None:
        if self.creation is None:
            return None
        from ..rules.periods import month_end, quarter_end, quarter_index
        if self.periodicite == "trimestrielle":
            return quarter_end(quarter_index(self.creation)
                               + int(self.rate_by_creation("declaration_premiere_trimestres_suivants")))
        months = int(self.rate_by_creation("declaration_premiere_mois_suivants"))
        index = self.creation.month - 1 + months
        return month_end(self.creation.year + index // 12, index % 12 + 1)

    def prorata(self, key: str) -> tuple[int, int]:
        """(days, divisor) of the prorata for the displayed year ("") or the year before ("_prec")."""
        year = self.annee - (1 if key else 0)
        on = dt.date(year, 1, 1)
        divisor = int(self.rate("prorata_jours_annee", "toutes", "toutes", on))
        start = self.creation
        if start is None or start.year < year:
            return divisor, divisor
        if start.year > year:
            return 0, divisor
        include = int(self.rate("prorata_jour_creation_compte", "toutes", "toutes", on))
        return min((dt.date(year, 12, 31) - start).days + include, divisor), divisor

    @property
    def declarations(self) -> "_Declarations":
        """The year's declarations (computed once, when a month row first needs them)."""
        if self._declarations is None:
            self._declarations = _Declarations(self)
        return self._declarations

    def __getitem__(self, ref: str) -> Any:
        if ref not in self._values:
            self._values[ref] = self._cells[ref].compute(self)
        return self._values[ref]

    def num(self, ref: str) -> float:
        """A cell used in arithmetic: must be a number (else the formula would show #VALUE!)."""
        value = self[ref]
        if isinstance(value, dt.date):
            return _number(value)
        if not isinstance(value, (int, float)):
            raise XlaeError(f"Synthèse!{ref} : valeur {value!r} non numérique (#VALUE! dans le tableur).")
        return float(value)

    def block(self, top_left: str, bottom_right: str) -> list[list[Any]]:
        """A range of summary cells as rows of values, as a formula engine hands it to a function."""
        c1, r1 = re.fullmatch(r"([A-Z]+)(\d+)", top_left).groups()
        c2, r2 = re.fullmatch(r"([A-Z]+)(\d+)", bottom_right).groups()
        return [[self[f"{_col_letter(c)}{r}"] for c in range(_col_index(c1), _col_index(c2) + 1)]
                for r in range(int(r1), int(r2) + 1)]


class _Declarations:
    """The year's declarations as the month rows hold them, by ``xlae.year.declarations``.

    Why: the helper columns Q..AD and the amounts H..K mirror one computation, the
    one ``xlae declaration`` uses: the CA of each month row (C..F), the previous-year
    part of a first declaration as one month (W74, rated on 31/12 like row 74), the
    rates of each row (S..V, R, AI..AT), each declaration ending on its Q date (cut at
    31/12: a declaration ending the next year is closed by that year's January).
    """

    def __init__(self, c: "_Context") -> None:
        from ..rules.vocabulary import Activite
        from ..year.declarations import MonthRates, lines
        self.annee, first = c.annee, MONTH_FIRST
        self.categories = [Activite(code) for code in CODES]
        self.used = {a for i, a in enumerate(self.categories) if c[f"C{ROW_CA_CAT + i}"] != ""}
        carry = c[f"{PERIOD_END_COL}{ROW_CARRY}"]
        ca = {(self.annee, k): {a: to_decimal(c.num(f"{MONTH_COLUMNS[a.value]}{first + k - 1}"))
                                for a in self.categories} for k in range(1, 13)}
        if isinstance(carry, dt.date):
            ca[(self.annee - 1, 12)] = {a: to_decimal(c.num(f"{CUMUL_COLS[i]}{ROW_CARRY}"))
                                        for i, a in enumerate(self.categories)}

        def decimal(value: Any) -> Decimal:
            return to_decimal(value) if isinstance(value, float) else ZERO

        def rates_of(categorie: Activite, last: dt.date) -> MonthRates:
            row = ROW_CARRY if last.year < self.annee else first + last.month - 1
            i = self.categories.index(categorie)
            taux = c[f"{RATE_COLS[i]}{row}"]
            return MonthRates(to_decimal(taux) if isinstance(taux, float) else None, "",
                              decimal(c[f"{CFP_COLS[i]}{row}"]), decimal(c[f"{TFC_COLS[i]}{row}"]),
                              decimal(c[f"{VL_COLS[i]}{row}"]), c[f"{EPOCH_COL}{row}"],
                              "" if isinstance(taux, float) else str(taux))

        self.containing: dict[tuple[Activite, int], Any] = {}   # (category, month) -> its Part
        self.closing: dict[tuple[Activite, int], Any] = {}      # (category, month row or 0) -> Part closed there
        month = 1
        while month <= 12:
            end = c[f"{PERIOD_END_COL}{first + month - 1}"]
            if not isinstance(end, dt.date):
                month += 1
                continue
            debut = carry if month == 1 and isinstance(carry, dt.date) else dt.date(self.annee, month, 1)
            fin = min(end, dt.date(self.annee, 12, 31))
            for line in lines(ca, debut, fin, self.categories, rates_of):
                for part in line.parts:
                    for key in part.months:
                        if key[0] == self.annee:
                            self.containing[(line.categorie, key[1])] = part
                    last = part.last
                    if last.year < self.annee:
                        self.closing[(line.categorie, 0)] = part
                    elif last < fin or fin == end:   # not the December part of a declaration going on
                        self.closing[(line.categorie, last.month)] = part
            month = fin.month + 1 if fin.year == self.annee else 13

    def cumulated(self, categorie: Any, month: int) -> float:
        """W..Z: CA of the month's rate period from its start to this month."""
        part = self.containing.get((categorie, month))
        return 0.0 if part is None else float(cents(part.cumulated((self.annee, month))))

    def closed(self, categorie: Any, month: int) -> float:
        """AA..AD (month 0: row 74): CA of the rate period that closes on this row, else 0."""
        part = self.closing.get((categorie, month))
        return 0.0 if part is None else float(cents(part.ca))

    def amount(self, name: str, month: int) -> float:
        """H..K of a row (month 0: row 74): Σ over the used categories of the closing period's amount."""
        parts = [self.closing.get((a, month)) for a in self.categories if a in self.used]
        return float(sum((p.amount(name) for p in parts if p is not None), ZERO))


def _check_year(value: Any) -> int:
    where = f"{L.SHEET_PARAMETRES}!{L.PARAMETER_CELLS['annee']} (annee)"
    if value is None:
        raise XlaeError(f"{where} : vide ; indiquez l'année à afficher (ex. 2026).", "annee")
    number = _number(value) if not isinstance(value, str) else (float(value) if value.strip().isdigit() else math.nan)
    if math.isnan(number) or not number.is_integer() or not 1900 <= number <= 9999 or isinstance(value, dt.date):
        raise XlaeError(f"{where} : valeur {value!r} refusée ; une année sur quatre chiffres (ex. 2026).", "annee")
    return int(number)


def _year_bounds(year: int) -> tuple[float, float]:
    return _serial(dt.date(year, 1, 1)), _serial(dt.date(year + 1, 1, 1))


# --- The description itself ------------------------------------------------------------------


class _Builder:
    """Builds the cells; each ``add`` pairs a formula with the Python that mirrors it."""

    def __init__(self, rows: int) -> None:
        self.cells: list[SummaryCell] = []
        self.static: dict[str, str] = {}
        self.last = L.last_data_row(rows)
        self.RA, self.RE, self.RF = self.rec("date"), self.rec("categorie"), self.rec("montant")
        self.AA, self.AE = self.ach("date"), self.ach("montant")
        self.H: dict[str, str] = {}  # helper key -> absolute ref ($AG$n)

    def rec(self, key: str) -> str:
        """Absolute range of a Recettes column over the covered rows."""
        return _rng(L.SHEET_RECETTES, L.column(L.RECETTES_COLUMNS, key).letter, self.last)

    def ach(self, key: str) -> str:
        return _rng(L.SHEET_ACHATS, L.column(L.ACHATS_COLUMNS, key).letter, self.last)

    def add(self, ref: str, label: str, formula: str, number_format: str, kind: str,
            compute: Callable[[_Context], Any]) -> None:
        self.cells.append(SummaryCell(ref, label, formula, number_format, kind, compute))

    def taux(self, code: str, on: str) -> str:
        """Contribution rate of ``code`` on ``on`` (``cotisations.taux_cotisations``), native."""
        H = self.H
        acre, creation, zone = H["acre"], H["creation"], H["zone"]
        cat = _lit(code)
        normal = N.lookup("taux_cotisations", cat, '"metropole"', on)
        if code == "bnc_cipav":
            reduced = N.lookup("taux_cotisations_acre", cat, '"metropole"', on)
        else:
            reduced = f'ROUND({normal}*100*{H["acre_part"]},{N.lookup("acre_decimales", cat, _lit("toutes"), on)})/100'
        metro = f'IF(AND({acre}="oui",{on}>={creation},{on}<={H["acre_fin"]}),{reduced},{normal})'
        p1, p2 = (N.lookup(p, _lit("toutes"), zone, on) for p in ("drom_p1_trimestres", "drom_p2_annees"))
        drom = (f"IF({N.quarter_index(on)}-{N.quarter_index(creation)}<{p1},"
                f'{N.lookup("taux_cotisations_drom_p1", cat, zone, on)},IF(YEAR({on})-YEAR({creation})<{p2},'
                f'{N.lookup("taux_cotisations_drom_p2", cat, zone, on)},{N.lookup("taux_cotisations_drom_apres", cat, zone, on)}))')
        return (f'IF(AND({acre}="oui",NOT(ISNUMBER({creation}))),"{ACRE_NEEDS_CREATION}",IF({zone}="metropole",{metro},'
                f'IF(NOT(ISNUMBER({creation})),"Erreur : date_creation : les taux "&UPPER({zone})&" dépendent de '
                f'l\'ancienneté ; indiquez la date de création.",{drom})))')

    def due(self, day: str) -> str:
        """Due date of the declaration covering ``day`` (``echeance.declaration``), native."""
        first, quarterly = self.H["premiere_fin"], f'{self.H["periodicite"]}="trimestrielle"'
        return (f"IF(AND(ISNUMBER({first}),{day}<={first}),EOMONTH({first},1),"
                f"IF({quarterly},EOMONTH({N.quarter_end(N.quarter_index(day))},1),EOMONTH({day},1)))")

    def text(self, ref: str, text: str) -> None:
        self.static[ref] = text

    def build(self) -> None:
        self._header()
        self._helpers()
        self._ceiling()
        self._previous_year()
        self._vat()
        self._result()
        self._bank_account()
        self._checks()
        self._months()
        self._periods()
        self._quarters()
        from . import synthese_droits

        synthese_droits.build(self)
        self._dashboard()

    # Helper block (columns AF:AG, not printed): parameters as the formulas read them, rates ---------
    def helper(self, key: str, label: str, formula: str, number_format: str, kind: str,
               compute: Callable[[_Context], Any]) -> str:
        """Next cell of the helper block: label in AF, value in AG; returns its absolute ref."""
        row = HELPER_FIRST + len(self.H)
        self.text(f"{HELPER_LABEL_COL}{row}", label)
        self.add(f"{HELPER_COL}{row}", label, formula, number_format, kind, compute)
        self.H[key] = f"${HELPER_COL}${row}"
        return self.H[key]

    def _helpers(self) -> None:
        """Parameters normalised once, the rates the summary needs, creation-dependent dates.

        Why: every native formula then reads one cell instead of re-deriving a
        parameter, and the Python twin of each is one line of the rules.
        """
        H = self.H
        self.text(f"{HELPER_LABEL_COL}{HELPER_FIRST - 1}", "Calculs intermédiaires (paramètres lus, barème en vigueur)")
        jan1, next1, prev1 = "DATE(annee,1,1)", "DATE(annee+1,1,1)", "DATE(annee-1,1,1)"
        self.helper("acre", "ACRE (oui / non)", '=IF(acre="oui","oui","non")', GENERAL, "text",
                    lambda c: "oui" if _text_eq(c.p("acre"), "oui") else "non")
        self.helper("creation", "Date de création lue", '=IF(ISNUMBER(date_creation),INT(date_creation),"")', DATE,
                    "date", lambda c: c.creation or "")
        self.helper("zone", "Zone lue", '=IF(OR(zone="drom",zone="mayotte"),LOWER(zone),"metropole")', GENERAL,
                    "text", lambda c: c.zone)
        self.helper("periodicite", "Périodicité lue", '=IF(periodicite="trimestrielle","trimestrielle","mensuelle")',
                    GENERAL, "text", lambda c: c.periodicite)
        self.helper("tfc_zone", "Zone de la TFC (département)",
                    '=IF(OR(departement=57,departement="57"),"moselle",IF(OR(departement=67,departement=68,'
                    'departement="67",departement="68"),"alsace","toutes"))', GENERAL, "text", lambda c: c.tfc_zone)
        used = [f"$C${ROW_CA_CAT + i}" for i in range(4)]
        any_code = "OR(" + ",".join(f'{u}<>""' for u in used) + ")"
        for i, code in enumerate(CODES):
            default = "liberale" if code.startswith("bnc") else "commerciale"
            self.helper(f"nature_{code}", f"Nature retenue ({code})", f'=IF(nature="","{default}",LOWER(nature))',
                        GENERAL, "text", lambda c, code=code: c.nature(code))
        for i, code in enumerate(CODES):
            kind = "vente" if code == "vente" else "service"
            nat = H[f"nature_{code}"]
            self.helper(f"cfp_{code}", f"Clé CFP du barème ({code})",
                        f'=IF({nat}="artisanale","artisanale",IF({nat}="liberale","liberale","commerciale_{kind}"))',
                        GENERAL, "text", lambda c, code=code: c.cfp_key(code))
            self.helper(f"tfc_{code}", f"Clé TFC du barème ({code})",
                        f'=IF({nat}="liberale","liberale",{nat}&"_{kind}")', GENERAL, "text",
                        lambda c, code=code: c.tfc_key(code))
        # Parameter errors: the first one, as a French sentence ("" when none).
        checks = [(f"NOT({any_code})", '"Erreur : activite : aucune activité renseignée dans la plage."'),
                  ('AND(acre<>"",acre<>"oui",acre<>"non")',
                   '"Erreur : acre : valeur « "&acre&" » refusée. Valeurs acceptées : oui, non."'),
                  ('AND(NOT(ISNUMBER(date_creation)),date_creation<>"")',
                   '"Erreur : date_creation : valeur « "&date_creation&" » refusée. Valeurs acceptées : une date '
                   '(JJ/MM/AAAA)."'),
                  ('AND(zone<>"",zone<>"metropole",zone<>"drom",zone<>"mayotte")',
                   '"Erreur : zone : valeur « "&zone&" » refusée. Valeurs acceptées : metropole, drom, mayotte."'),
                  ('AND(periodicite<>"",periodicite<>"mensuelle",periodicite<>"trimestrielle")',
                   '"Erreur : periodicite : valeur « "&periodicite&" » refusée. Valeurs acceptées : mensuelle, '
                   'trimestrielle."'),
                  ('AND(nature<>"",nature<>"commerciale",nature<>"artisanale",nature<>"liberale")',
                   '"Erreur : nature : valeur « "&nature&" » refusée. Valeurs acceptées : commerciale, artisanale, '
                   'liberale."'),
                  (f'AND(nature="liberale",OR({used[0]}<>"",{used[1]}<>""))',
                   '"Erreur : nature : « liberale » ne convient qu\'au BNC ; laissez la nature vide en activité '
                   'mixte BIC + BNC."'),
                  (f'AND(OR(nature="commerciale",nature="artisanale"),OR({used[2]}<>"",{used[3]}<>""))',
                   '"Erreur : nature : « "&nature&" » ne convient pas au BNC (liberale) ; laissez la nature vide '
                   'en activité mixte BIC + BNC."')]
        formula = '""'
        for test, message in reversed(checks):
            formula = f"IF({test},{message},{formula})"
        self.helper("erreur", "Paramètre refusé (vide : aucun)", "=" + formula, GENERAL, "text",
                    lambda c: c.parameter_error())
        creation = H["creation"]
        self.helper("acre_fin", "Fin de l'ACRE",
                    f'=IF(AND({H["acre"]}="oui",ISNUMBER({creation})),'
                    f'{N.quarter_end(N.quarter_index(creation) + "+" + N.lookup("acre_trimestres_suivants", _lit("toutes"), _lit("toutes"), creation))},"")',
                    DATE, "date", lambda c: c.acre_end or "")
        self.helper("acre_part", "Part du taux normal sous ACRE",
                    f'=IF(ISNUMBER({creation}),{N.lookup("acre_part", _lit("toutes"), _lit("toutes"), creation)},"")',
                    "0%", "share", lambda c: c.rate_by_creation("acre_part") if c.creation else "")
        months = N.lookup("declaration_premiere_mois_suivants", _lit("toutes"), _lit("toutes"), creation)
        quarters = N.lookup("declaration_premiere_trimestres_suivants", _lit("toutes"), _lit("toutes"), creation)
        self.helper("premiere_fin", "Fin de la première déclaration",
                    f'=IF(ISNUMBER({creation}),IF({H["periodicite"]}="trimestrielle",'
                    f'{N.quarter_end(N.quarter_index(creation) + "+" + quarters)},EOMONTH({creation},{months})),"")',
                    DATE, "date", lambda c: c.first_end or "")
        for key, year in (("", "annee"), ("_prec", "annee-1")):
            on = f"DATE({year},1,1)"
            div = self.helper(f"jours_annee{key}", f"Jours de l'année du prorata ({year})",
                              "=" + N.lookup("prorata_jours_annee", _lit("toutes"), _lit("toutes"), on), COUNT, "count",
                              lambda c, key=key: float(c.prorata(key)[1]))
            self.helper(f"jours{key}", f"Jours d'activité du prorata ({year})",
                        f'=IF(NOT(ISNUMBER({creation})),{div},IF(YEAR({creation})<{year},{div},IF(YEAR({creation})>{year},0,'
                        f'MIN(DATE({year},12,31)-{creation}+{N.lookup("prorata_jour_creation_compte", _lit("toutes"), _lit("toutes"), on)},{div}))))',
                        COUNT, "count", lambda c, key=key: float(c.prorata(key)[0]))
        for code in ("vente", "service_bic"):
            self.helper(f"plafond_{code}", f"Plafond {CODE_LABELS[code]} de l'année suivante (non proratisé)",
                        "=" + N.lookup("plafond_ca", _lit(code), _lit("toutes"), next1), MONEY, "money",
                        lambda c, code=code: c.rate("plafond_ca", code, "toutes", dt.date(c.annee + 1, 1, 1)))
        for param in ("tva_tolerance_annee_n2", "tva_perte_jour_depassement"):
            self.helper(param, f"{param} ({'annee'})", "=" + N.lookup(param, _lit("toutes"), _lit("toutes"), jan1),
                        COUNT, "count", lambda c, param=param: c.rate(param, "toutes", "toutes", dt.date(c.annee, 1, 1)))
        self.helper("tva_tolerance_suivante", "tva_tolerance_annee_n2 (annee+1)",
                    "=" + N.lookup("tva_tolerance_annee_n2", _lit("toutes"), _lit("toutes"), next1), COUNT, "count",
                    lambda c: c.rate("tva_tolerance_annee_n2", "toutes", "toutes", dt.date(c.annee + 1, 1, 1)))
        for param, code in (("tva_seuil", "vente"), ("tva_seuil_majore", "vente"), ("tva_seuil", "service_bic"),
                            ("tva_seuil_majore", "service_bic")):
            self.helper(f"{param}_{code}_suivant", f"{param} {code} (annee+1)",
                        "=" + N.lookup(param, _lit(code), _lit("toutes"), next1), MONEY, "money",
                        lambda c, param=param, code=code: c.rate(param, code, "toutes", dt.date(c.annee + 1, 1, 1)))
        self.helper("abattement_par_fraction", "Plancher d'abattement par fraction (1) ou global (0)",
                    "=" + N.lookup("abattement_minimum_par_fraction", _lit("toutes"), _lit("toutes"), jan1), COUNT,
                    "count", lambda c: c.rate("abattement_minimum_par_fraction", "toutes", "toutes", dt.date(c.annee, 1, 1)))
        for code in ("vente", "service_bic", "bnc"):
            for param in ("abattement_taux", "abattement_minimum"):
                self.helper(f"{param}_{code}", f"{param} {code}", "=" + N.lookup(param, _lit(code), _lit("toutes"), jan1),
                            GENERAL, "share", lambda c, param=param, code=code: c.rate(param, code, "toutes",
                                                                                  dt.date(c.annee, 1, 1)))
        del prev1

    # Top of the sheet ---------------------------------------------------------------------
    def _header(self) -> None:
        self.text("A1", "Synthèse de l'année — micro-entreprise")
        self.text(f"A{ROW_YEAR}", "Année affichée (modifiable dans Paramètres)")
        self.add(f"B{ROW_YEAR}", "Année affichée", "=annee", "0", "year", lambda c: float(c.annee))
        self._year_check()
        self.text("A3", "Montants en euros ; CA encaissé d'après le livre des recettes.")

    def _year_check(self) -> None:
        """C2: a loud sentence when the ledger's receipts do not belong to the displayed year.

        Why: a template left on another year shows 0 € everywhere without any error;
        receipts of the year before are the previous-year CA, any other year counts nowhere.
        """
        where = f"{L.SHEET_PARAMETRES}, {L.PARAMETER_CELLS['annee']}"
        out = f"B{ROW_OUT_OF_YEAR}"
        dated = f"COUNT({self.RA})"
        in_year = f"SUMPRODUCT(ISNUMBER({self.RA})*({self.RA}>=DATE(annee,1,1))*({self.RA}<DATE(annee+1,1,1)))"
        start, stop = "DATE(annee-1,1,1)", "DATE(annee+1,1,1)"
        self.text(f"A{ROW_OUT_OF_YEAR}", "Recettes datées hors de l'année affichée et de la précédente")
        self.add(out, "Recettes datées hors de l'année affichée et de la précédente",
                 f"=SUMPRODUCT(ISNUMBER({self.RA})*(({self.RA}<{start})+({self.RA}>={stop})))", COUNT, "count",
                 lambda c: c.recettes.count(c.recettes.date_ok & ~c.recettes.in_years(c.annee - 1, c.annee)))

        def check(c: _Context) -> str:
            outside = int(c.num(out))
            if outside:
                return (f"Attention : {outside} recette(s) datée(s) hors de {c.annee - 1} et {c.annee} ne sont "
                        f"comptées nulle part : vérifiez l'année affichée ({where}) ou ces dates.")
            dated_rows = int(c.recettes.count(c.recettes.date_ok))
            if dated_rows and not c.recettes.count(c.recettes.date_ok & c.recettes.in_years(c.annee, c.annee)):
                return (f"Attention : aucune recette datée de {c.annee} (les {dated_rows} recettes datées du livre "
                        f"sont de {c.annee - 1}) : vérifiez l'année affichée ({where}).")
            return ""

        self.add(f"C{ROW_YEAR}", "Contrôle de l'année affichée",
                 f'=IF({out}>0,"Attention : "&{out}&" recette(s) datée(s) hors de "&(annee-1)&" et "&annee&'
                 f'" ne sont comptées nulle part : vérifiez l\'année affichée ({where}) ou ces dates.",'
                 f'IF(AND({dated}>0,{in_year}=0),"Attention : aucune recette datée de "&annee&'
                 f'" (les "&{dated}&" recettes datées du livre sont de "&(annee-1)&") : vérifiez l\'année '
                 f'affichée ({where}).",""))', GENERAL, "text", check)

    def _ceiling(self) -> None:
        self.text("A4", "Chiffre d'affaires et plafond du régime micro")
        self.text("C4", "Catégorie retenue")
        self.add(f"B{ROW_CA}", "CA encaissé de l'année", f"=G{MONTH_TOTAL}", MONEY, "money",
                 lambda c: c[f"G{MONTH_TOTAL}"])
        self.text(f"A{ROW_CA}", "CA encaissé de l'année")
        for i, code in enumerate(CODES):
            row = ROW_CA_CAT + i
            col = MONTH_COLUMNS[code]
            label = f"dont {CODE_LABELS[code]} ({code})"
            self.text(f"A{row}", label)
            self.add(f"B{row}", label, f"={col}{MONTH_TOTAL}", MONEY, "money",
                     lambda c, ref=f"{col}{MONTH_TOTAL}": c[ref])
            prev = ROW_PREV_CAT + i
            self.add(f"C{row}", f"Catégorie retenue ({code})",
                     f'=IF(OR(B{row}>0,B{prev}>0,AND(B{ROW_CA}+B{ROW_PREV_TOTAL}=0,activite="{code}")),"{code}","")',
                     GENERAL, "text", lambda c, row=row, prev=prev, code=code: code if (
                         c.num(f"B{row}") > 0 or c.num(f"B{prev}") > 0
                         or (c.num(f"B{ROW_CA}") + c.num(f"B{ROW_PREV_TOTAL}") == 0
                             and _text_eq(c.p("activite"), code))) else "")
        self.text(f"A{ROW_SERVICES}", "CA de prestations de services (services BIC + BNC)")
        self.add(f"B{ROW_SERVICES}", "CA de prestations de services", "=ROUND(B7+B8+B9,2)", MONEY, "money",
                 lambda c: float(cents(to_decimal(c.num("B7") + c.num("B8") + c.num("B9")))))
        for row, code, label in ((ROW_PLAFOND_VENTE, "vente", "Plafond ventes (CA global), proratisé"),
                                 (ROW_PLAFOND_SERVICES, "service_bic", "Plafond prestations de services, proratisé")):
            self.text(f"A{row}", label)
            self.add(f"B{row}", label,
                     f'=ROUND({self.H["plafond_" + code]}*{self.H["jours"]}/{self.H["jours_annee"]},2)', MONEY, "money",
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
        self.text(f"A{ROW_PART_VENTE}", "Part du plafond ventes utilisée (CA global)")
        self.add(f"B{ROW_PART_VENTE}", "Part du plafond ventes utilisée",
                 f'=IF({vente_test},IFERROR(B5/B11,""),"")', PERCENT, "share",
                 lambda c: share(c, vente_applies, "B5", "B11"))
        self.text(f"A{ROW_PART_SERVICES}", "Part du plafond services utilisée (CA de services)")
        self.add(f"B{ROW_PART_SERVICES}", "Part du plafond services utilisée",
                 f'=IF({services_test},IFERROR(B10/B12,""),"")', PERCENT, "share",
                 lambda c: share(c, services_applies, "B10", "B12"))
        self.text(f"A{ROW_PART}", "Part du plafond utilisée (la plus élevée)")
        self.add(f"B{ROW_PART}", "Part du plafond utilisée", "=MAX(B13:B14)", PERCENT, "share",
                 lambda c: max([v for v in (c["B13"], c["B14"]) if isinstance(v, float)], default=0.0))

        def left(c: _Context) -> Any:
            a, b = c["B13"] != "", c["B14"] != ""
            if not a and not b:
                return ""
            x = c.num("B11") - c.num("B5") if a else c.num("B12") - c.num("B10")
            y = c.num("B12") - c.num("B10") if b else c.num("B11") - c.num("B5")
            return float(cents(to_decimal(min(x, y))))

        self.text(f"A{ROW_RESTE}", "Reste avant le plafond (négatif : dépassement)")
        self.add(f"B{ROW_RESTE}", "Reste avant le plafond",
                 '=IF(AND(B13="",B14=""),"",ROUND(MIN(IF(B13="",B12-B10,B11-B5),IF(B14="",B11-B5,B12-B10)),2))',
                 MONEY, "money", left)
        self._ceiling_status()

    def _ceiling_status(self) -> None:
        """B17 in words (``plafond.depassement``): N and N-1 against the ceilings of N+1."""
        H, h = self.H, self.helper
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
                     COUNT, "count", lambda c, key=key: c.over(key, False))
            h(f"depasse_prec_{key}", f"Dépassement de l'année précédente ({key}) : 1 oui",
              f"=IF(AND({applies},{has_prev},{pdays}>0),IF({before}*{pdiv}>{full[key]}*{pdays},1,0),0)",
              COUNT, "count", lambda c, key=key: c.over(key, True))
            parts_now[key] = (over, f'{labels[key]}&" "&annee&" de "&{N.euros_text(total)}&" > plafond "&(annee+1)'
                                    f'&" de "&{N.euros_text(allowed)}&IF({days}<{div}," (proratisé)","")')
            parts_prev[key] = (H[f"depasse_prec_{key}"], f'{labels[key]}&" "&(annee-1)&" de "&{N.euros_text(before)}')
        share = h("part_plafond", "Part du plafond utilisée (non arrondie)", "=MAX(" + ",".join(shares) + ")", PERCENT,
                  "share", lambda c: c.ceiling_share())

        def joined(parts: dict[str, tuple[str, str]], sep: str) -> str:
            (a, ta), (b, tb) = parts["v"], parts["s"]
            return f'IF({a}=1,{ta},"")&IF(AND({a}=1,{b}=1),"{sep}","")&IF({b}=1,{tb},"")'

        now = h("depassements", "Dépassements de l'année (texte)", "=" + joined(parts_now, " ; "), GENERAL, "text",
                lambda c: c.over_text(False))
        before = h("depassements_prec", "Dépassements de l'année précédente (texte)", "=" + joined(parts_prev, "; "),
                   GENERAL, "text", lambda c: c.over_text(True))
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

        self.add(f"B{ROW_DEPASSEMENT}", "Situation au regard du plafond", formula, GENERAL, "text", depassement)

    def _previous_year(self) -> None:
        self.text(f"A{ROW_PREV_CAT - 1}", "Année précédente (paramètre « CA de l'année précédente », "
                                          "sinon livre des recettes)")
        for i, code in enumerate(CODES):
            row = ROW_PREV_CAT + i
            label = f"CA de l'année précédente — {CODE_LABELS[code]}"
            self.text(f"A{row}", label)

            def compute(c: _Context, code: str = code) -> float:
                given = c.p("ca_annee_precedente")
                if _is_number(given):
                    return _number(given) if _text_eq(c.p("activite"), code) else 0.0
                start, end = _year_bounds(c.annee - 1)
                return c.recettes.total(start, end, code)

            self.add(f"B{row}", label,
                     f'=IF(ISNUMBER(ca_annee_precedente),IF(activite="{code}",ca_annee_precedente,0),'
                     f'ROUND(SUMPRODUCT(({self.RE}="{code}")*({self.RA}>=DATE(annee-1,1,1))*({self.RA}<DATE(annee,1,1))*({self.RF}>=0),{self.RF}),2))', MONEY, "money", compute)
        self.text(f"A{ROW_PREV_TOTAL}", "CA de l'année précédente")
        self.add(f"B{ROW_PREV_TOTAL}", "CA de l'année précédente",
                 f"=ROUND(SUM(B{ROW_PREV_CAT}:B{ROW_PREV_CAT + 3}),2)", MONEY, "money",
                 lambda c: float(cents(sum((to_decimal(c.num(f"B{ROW_PREV_CAT + i}")) for i in range(4)), ZERO))))
        self.text(f"A{ROW_PREV_ORIGIN}", "Origine du CA de l'année précédente")
        # A previous-year CA typed in Paramètres goes to the main activity: say so loudly when that
        # activity is not one of the four codes (the amount is then attributed to no category).
        known = ",".join(f'activite="{code}"' for code in CODES)
        self.add(f"B{ROW_PREV_ORIGIN}", "Origine du CA de l'année précédente",
                 f'=IF(ISNUMBER(ca_annee_precedente),IF(OR({known}),"Paramètres",'
                 f'"{PREV_ACTIVITY_ERROR[0]}"&activite&"{PREV_ACTIVITY_ERROR[1]}"),'
                 f'IF(B{ROW_PREV_TOTAL}>0,"Livre des recettes","Aucun CA connu"))', GENERAL, "text",
                 _previous_origin)

    def _vat(self) -> None:
        self.text(f"A{ROW_TVA - 1}", "TVA : franchise en base (CGI 293 B)")
        self.text(f"A{ROW_TVA}", "Statut de TVA")
        seuils = (("tva_seuil", "vente", "Seuil de franchise ventes (CA global)", "FALSE"),
                  ("tva_seuil_majore", "vente", "Seuil majoré ventes (CA global)", "TRUE"),
                  ("tva_seuil", "service_bic", "Seuil de franchise services", "FALSE"),
                  ("tva_seuil_majore", "service_bic", "Seuil majoré services", "TRUE"))
        for i, (param, code, label, majore) in enumerate(seuils):
            row = ROW_TVA_SEUILS + i
            self.text(f"A{row}", label)
            self.add(f"B{row}", label, "=" + N.lookup(param, _lit(code), _lit("toutes"), "DATE(annee,1,1)"),
                     MONEY, "money", lambda c, code=code, majore=majore: udfs.ae_tva_seuil(code, c.p("annee"),
                                                                                         majore == "TRUE"))
        self._vat_status()
        def vat_share(c: _Context) -> float:
            def part(applies: bool, ca: str, seuil: str) -> float:
                if not applies:
                    return 0.0
                value = c[seuil]
                return c.num(ca) / value if isinstance(value, float) and value else 0.0
            vente = c.num("B6") > 0 or (c.num("B5") == 0 and _text_eq(c.p("activite"), "vente"))
            services = c.num("B10") > 0 or (c.num("B5") == 0 and not _text_eq(c.p("activite"), "vente"))
            return max(part(vente, "B5", f"B{ROW_TVA_SEUILS}"), part(services, "B10", f"B{ROW_TVA_SEUILS + 2}"))

        self.text(f"A{ROW_TVA_PART}", "Part du seuil de franchise utilisée (la plus élevée)")
        self.add(f"B{ROW_TVA_PART}", "Part du seuil de franchise utilisée",
                 f'=MAX(IF(OR(B6>0,AND(B5=0,activite="vente")),IFERROR(B5/B{ROW_TVA_SEUILS},0),0),'
                 f'IF(OR(B10>0,AND(B5=0,activite<>"vente")),IFERROR(B10/B{ROW_TVA_SEUILS + 2},0),0))',
                 PERCENT, "share", vat_share)

    def _vat_status(self) -> None:
        """B26 in words (``tva.statut_tva``): one verdict per threshold, the most serious wins."""
        H, h = self.H, self.helper
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
                     lambda c, key=key: c.vat_code(key))
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
                lambda c, key=key: c.vat_message(key))
            codes[key] = code
            details.append((applies, f'{label}&" "&annee&" de "&{N.euros_text(now)}&" ≤ "&{N.euros_text(next_base)}'))
        (va, vt), (sa, st) = details
        listing = f'IF({va},{vt},"")&IF(AND({va},{sa})," ; ","")&IF({sa},{st},"")'
        cv, cs = codes["v"], codes["s"]
        formula = (f'=IF(NOT(OR({vente},{services})),"Erreur : activite : aucune activité renseignée dans la plage.",'
                   f'IF(MAX({cv},{cs})=0,"Franchise en base de TVA en "&annee&", maintenue en "&(annee+1)&" ("&{listing}'
                   f'&").",IF({cv}>={cs},{messages["v"]},{messages["s"]})))')
        self.add(f"B{ROW_TVA}", "Statut de TVA", formula, GENERAL, "text",
                 lambda c: udfs.ae_tva(c.block("B6", "B9"), c.block(f"B{ROW_PREV_CAT}", f"B{ROW_PREV_CAT + 3}"),
                                       c.block("C6", "C9"), c.p("annee")))

    def _result(self) -> None:
        self.text(f"A{ROW_ABATTEMENT - 1}", "Revenu, charges et résultat de l'année")
        self.text(f"A{ROW_ABATTEMENT}", "Abattement forfaitaire")
        H = self.H
        fractions = (("vente", "$B$6"), ("service_bic", "$B$7"), ("bnc", "ROUND($B$8+$B$9,2)"))
        rate = {code: (H[f"abattement_taux_{code}"], H[f"abattement_minimum_{code}"]) for code, _ in fractions}
        per_fraction = "+".join(f"IF({x}>0,MIN({x},MAX({rate[k][1]},ROUND({x}*{rate[k][0]},2))),0)" for k, x in fractions)
        floors = "+".join(f"IF({x}>0,{rate[k][1]},0)" for k, x in fractions)
        rounded = "+".join(f"IF({x}>0,ROUND({x}*{rate[k][0]},2),0)" for k, x in fractions)
        # CGI 50-0 / 102 ter: rate of each fraction, « au moins 305 € » per fraction (or once, row of Barèmes).
        self.add(f"B{ROW_ABATTEMENT}", "Abattement forfaitaire",
                 f'=IF({H["erreur"]}<>"",{H["erreur"]},ROUND(IF({H["abattement_par_fraction"]}=1,{per_fraction},'
                 f'MIN($B$5,MAX({floors},{rounded}))),2))', MONEY, "money",
                 lambda c: c.h("erreur") or udfs.ae_abattement(c.block("B6", "B9"), c.block("C6", "C9"), c.p("annee")))
        self.text(f"A{ROW_REVENU}", "Revenu après abattement (imposable)")
        self.add(f"B{ROW_REVENU}", "Revenu après abattement",
                 f"=IF(ISNUMBER(B{ROW_ABATTEMENT}),MAX(0,ROUND($B$5-B{ROW_ABATTEMENT},2)),B{ROW_ABATTEMENT})",
                 MONEY, "money",
                 lambda c: c.h("erreur") or udfs.ae_revenu(c.block("B6", "B9"), c.block("C6", "C9"), c.p("annee")))
        for row, label, ref in ((ROW_ACHATS, "Achats de l'année (registre des achats)", f"H{QUARTER_TOTAL}"),
                                (ROW_COTIS, "Cotisations sociales de l'année", f"H{MONTH_TOTAL}"),
                                (ROW_VL, "Versement libératoire de l'année", f"K{MONTH_TOTAL}"),
                                (ROW_TOTAL_PAYER, "Total à payer sur l'année", f"L{MONTH_TOTAL}")):
            self.text(f"A{row}", label)
            self.add(f"B{row}", label, f"={ref}", MONEY, "money", lambda c, ref=ref: c[ref])
        self.text(f"A{ROW_CFP_TFC}", "CFP et TFC de l'année")

        def cfp_tfc(c: _Context) -> Any:
            i, j = c[f"I{MONTH_TOTAL}"], c[f"J{MONTH_TOTAL}"]
            if isinstance(i, float) and isinstance(j, float):
                return float(cents(to_decimal(i + j)))
            return "Erreur : voir le tableau mensuel"

        self.add(f"B{ROW_CFP_TFC}", "CFP et TFC de l'année",
                 f'=IF(COUNT(I{MONTH_TOTAL}:J{MONTH_TOTAL})=2,ROUND(I{MONTH_TOTAL}+J{MONTH_TOTAL},2),'
                 f'"Erreur : voir le tableau mensuel")', MONEY, "money", cfp_tfc)

        def resultat(c: _Context) -> Any:
            a, b = c[f"B{ROW_COTIS}"], c[f"B{ROW_CFP_TFC}"]
            if isinstance(a, float) and isinstance(b, float):
                return float(cents(to_decimal(c.num("B5") - a - b - c.num(f"B{ROW_ACHATS}"))))
            return "Erreur : voir les cotisations"

        self.text(f"A{ROW_RESULTAT}", "Résultat réel (CA − cotisations − CFP − TFC − achats)")
        self.add(f"B{ROW_RESULTAT}", "Résultat réel",
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

        self.text(f"A{ROW_REGIME}", "Abattement forfaitaire ou régime réel ?")
        self.add(f"B{ROW_REGIME}", "Abattement forfaitaire ou régime réel ?",
                 f'=IF(AND(ISNUMBER(B{ROW_RESULTAT}),ISNUMBER(B{ROW_REVENU})),'
                 f'IF(B{ROW_RESULTAT}<B{ROW_REVENU},"{reel}","{forfait}"),"")', GENERAL, "text", regime)

    def _bank_account(self) -> None:
        self.text(f"A{ROW_COMPTE_SEUIL - 1}", "Compte bancaire dédié (CSS L613-10)")
        name = "compte_dedie_seuil_ca"
        self.text(f"A{ROW_COMPTE_SEUIL}", "Seuil de CA (feuille Barèmes)")

        def seuil(c: _Context) -> float:
            end = dt.date(c.annee, 12, 31)
            rows = [r for r in get_rates().rows if r.parametre == name and r.date_effet <= end]
            if not rows:
                return 0.0
            latest = max(r.date_effet for r in rows)
            return float(sum((r.valeur for r in rows if r.date_effet == latest), ZERO))

        self.add(f"B{ROW_COMPTE_SEUIL}", "Seuil de CA du compte dédié",
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

        self.text(f"A{ROW_COMPTE}", "Compte bancaire dédié")
        self.add(f"B{ROW_COMPTE}", "Compte bancaire dédié",
                 f'=IF(AND(B5>B{ROW_COMPTE_SEUIL},B{ROW_PREV_TOTAL}>B{ROW_COMPTE_SEUIL}),"{both}",'
                 f'IF(B5>B{ROW_COMPTE_SEUIL},"{one}","{none}"))', GENERAL, "text", status)

    def _checks(self) -> None:
        self.text(f"A{ROW_CHECKS - 1}", "Lignes à vérifier dans les livres (surlignées en rouge dans les feuilles)")
        rec_cols = [self.rec(c.key) for c in L.RECETTES_COLUMNS]
        ach_cols = [self.ach(c.key) for c in L.ACHATS_COLUMNS]
        used_rec = "((" + "+".join(f'({r}<>"")' for r in rec_cols) + ")>0)"
        used_ach = "((" + "+".join(f'({r}<>"")' for r in ach_cols) + ")>0)"
        cat_ok = "(" + "+".join(f'({self.RE}="{code}")' for code in CODES) + ")"
        rec, ach = "recettes", "achats"
        r0, a0 = ROW_CHECKS, ROW_CHECKS + 6
        # A valid row has a numeric date, so it is a used row: "to fix" = used − valid.
        checks = [
            (rec, "Recettes : lignes remplies", f"=SUMPRODUCT({used_rec}*1)", "used"),
            (rec, "Recettes : lignes à corriger",
             f"=B{r0}-SUMPRODUCT(ISNUMBER({self.RA})*ISNUMBER({self.RF})*({self.RF}>=0)*{cat_ok})",
             lambda g: ~(g.date_ok & g.amount_ok & g.category_ok)),
            (rec, "dont date absente ou invalide (texte)", f"=B{r0}-COUNT({self.RA})", lambda g: ~g.date_ok),
            (rec, "dont montant absent, négatif ou invalide (texte)",
             f"=B{r0}-SUMPRODUCT(ISNUMBER({self.RF})*({self.RF}>=0))", lambda g: ~g.amount_ok),
            (rec, "dont catégorie absente ou inconnue", f"=B{r0}-SUMPRODUCT({cat_ok}*1)", lambda g: ~g.category_ok),
            (rec, "Recettes : lignes vides entre deux lignes remplies",
             f"=MAX(0,SUMPRODUCT(MAX({used_rec}*ROW({self.RA})))-{FIRST - 1}-B{r0})", "empty"),
            (ach, "Achats : lignes remplies", f"=SUMPRODUCT({used_ach}*1)", "used"),
            (ach, "Achats : lignes à corriger", f"=B{a0}-SUMPRODUCT(ISNUMBER({self.AA})*ISNUMBER({self.AE})*({self.AE}>=0))",
             lambda g: ~(g.date_ok & g.amount_ok)),
            (ach, "dont date absente ou invalide (texte)", f"=B{a0}-COUNT({self.AA})", lambda g: ~g.date_ok),
            (ach, "dont montant absent, négatif ou invalide (texte)",
             f"=B{a0}-SUMPRODUCT(ISNUMBER({self.AE})*({self.AE}>=0))", lambda g: ~g.amount_ok),
            (ach, "Achats : lignes vides entre deux lignes remplies",
             f"=MAX(0,SUMPRODUCT(MAX({used_ach}*ROW({self.AA})))-{FIRST - 1}-B{a0})", "empty"),
        ]
        for i, (ledger, label, formula, mask) in enumerate(checks):
            row = ROW_CHECKS + i
            self.text(f"A{row}", label)

            def compute(c: _Context, ledger: str = ledger, mask: Any = mask) -> float:
                data = c.recettes if ledger == rec else c.achats
                if mask == "used":
                    return float(np.count_nonzero(data.used))
                if mask == "empty":
                    return data.empty_between()
                return data.count(mask(data))

            self.add(f"B{row}", label, formula, COUNT, "count", compute)
        self.text(f"A{ROW_INVALID_TOTAL}", "Total des lignes à corriger (recettes et achats)")
        parts = [r0 + 1, r0 + 5, a0 + 1, a0 + 4]
        self.add(f"B{ROW_INVALID_TOTAL}", "Total des lignes à corriger",
                 "=" + "+".join(f"B{r}" for r in parts), COUNT, "count",
                 lambda c: float(sum(c.num(f"B{r}") for r in parts)))

    def _months(self) -> None:
        m = MONTH_COLUMNS
        self.text(f"A{MONTH_HEADER - 1}", "Mois par mois : CA encaissé ; cotisations et contributions de chaque "
                                          "période déclarée, calculées sur son CA et portées sur son dernier mois ; "
                                          "échéances")
        headers = {"mois": "Mois", "fin": "Fin du mois", "vente": "CA ventes", "service_bic": "CA services BIC",
                   "bnc": "CA BNC", "bnc_cipav": "CA BNC Cipav", "ca": "CA du mois", "cotisations": "Cotisations sociales",
                   "cfp": "CFP", "tfc": "TFC", "vl": "Versement libératoire", "total": "Total (périodes closes ce mois)",
                   "echeance": "Échéance de la déclaration", "a_payer": "À payer à l'échéance (mois de l'année)",
                   "ca_cumule": "CA cumulé", "plafond": "Plafond de référence"}
        for key, title in headers.items():
            self.text(f"{m[key]}{MONTH_HEADER}", title)
        first, last = MONTH_FIRST, MONTH_FIRST + 11
        codes = f"$C${ROW_CA_CAT}:$C${ROW_CA_CAT + 3}"
        for k in range(1, 13):
            r = MONTH_FIRST + k - 1
            name = f"{MONTHS_FR[k - 1]}"
            self.add(f"A{r}", f"Mois ({name})", f"=DATE(annee,{k},1)", MONTH, "date",
                     lambda c, k=k: dt.date(c.annee, k, 1))
            self.add(f"B{r}", f"Fin du mois ({name})", f"=EOMONTH(A{r},0)", DATE, "date",
                     lambda c, k=k: _month_end(c.annee, k))
            for code in CODES:
                col = m[code]
                self.add(f"{col}{r}", f"{headers[code]} ({name})",
                         f'=ROUND(SUMPRODUCT(({self.RE}="{code}")*({self.RA}>=$A{r})*({self.RA}<$B{r}+1)*({self.RF}>=0),{self.RF}),2)', MONEY, "money",
                         lambda c, k=k, code=code: c.recettes.total(
                             _serial(dt.date(c.annee, k, 1)), _serial(_month_end(c.annee, k)) + 1, code))
            self.add(f"G{r}", f"CA du mois ({name})", f"=ROUND(SUM(C{r}:F{r}),2)", MONEY, "money",
                     lambda c, r=r: float(cents(sum((to_decimal(c.num(f"{x}{r}")) for x in "CDEF"), ZERO))))
            self._period_amounts(r, headers, name)

            def total(c: _Context, r: int = r) -> Any:
                values = [c[f"{x}{r}"] for x in "HIJK"]
                if all(isinstance(v, float) for v in values):
                    return float(cents(sum((to_decimal(v) for v in values), ZERO)))
                return "Erreur : voir la ligne"

            self.add(f"L{r}", f"Total des périodes closes ce mois ({name})",
                     f'=IF(COUNT(H{r}:K{r})=4,ROUND(SUM(H{r}:K{r}),2),"Erreur : voir la ligne")', MONEY, "money", total)

            def echeance(c: _Context, r: int = r, k: int = k) -> Any:
                start = c.p("date_creation")
                if _is_number(start) and _serial(_month_end(c.annee, k)) < _number(start):
                    return ""
                return udfs.ae_echeance(c[f"B{r}"], c.periodicite, c.creation)

            self.add(f"M{r}", f"Échéance de la déclaration ({name})",
                     f'=IF(AND(ISNUMBER(date_creation),$B{r}<date_creation),"",{self.due(f"$B{r}")})', DATE, "date",
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

            self.add(f"N{r}", f"À payer à l'échéance ({name})",
                     f'=IF(ISNUMBER(M{r}),IF(EOMONTH(M{r},-1)=$B{r},'
                     f'IF(SUMPRODUCT(($M${first}:$M${last}=M{r})*(1-ISNUMBER($L${first}:$L${last})))>0,'
                     f'"Erreur : voir les mois de la période",'
                     f'ROUND(SUMPRODUCT(($M${first}:$M${last}=M{r})*1,$L${first}:$L${last}),2)),""),"")',
                     MONEY, "money", a_payer)
            self.add(f"O{r}", f"CA cumulé ({name})", f"=ROUND(SUM($G${first}:G{r}),2)", MONEY, "money",
                     lambda c, r=r: float(cents(sum((to_decimal(c.num(f"G{x}")) for x in range(first, r + 1)), ZERO))))

            def plafond(c: _Context) -> Any:
                if c[f"B{ROW_PART_VENTE}"] != "":
                    return c[f"B{ROW_PLAFOND_VENTE}"]
                if c[f"B{ROW_PART_SERVICES}"] != "":
                    return c[f"B{ROW_PLAFOND_SERVICES}"]
                return ""

            self.add(f"P{r}", f"Plafond de référence ({name})",
                     f'=IF($B${ROW_PART_VENTE}<>"",$B${ROW_PLAFOND_VENTE},'
                     f'IF($B${ROW_PART_SERVICES}<>"",$B${ROW_PLAFOND_SERVICES},""))', MONEY, "money", plafond)
        self.text(f"A{MONTH_TOTAL}", "Total de l'année")
        for col in "CDEFG":
            self.add(f"{col}{MONTH_TOTAL}", f"{_header_of(headers, col)} (année)",
                     f"=ROUND(SUM({col}{first}:{col}{last}),2)", MONEY, "money",
                     lambda c, col=col: float(cents(sum((to_decimal(c.num(f"{col}{x}")) for x in range(first, last + 1)),
                                                        ZERO))))
        for col in "HIJKL":
            def year_total(c: _Context, col: str = col) -> Any:
                values = [c[f"{col}{x}"] for x in range(first, last + 1)]
                if all(isinstance(v, float) for v in values):
                    return float(cents(sum((to_decimal(v) for v in values), ZERO)))
                return "Erreur : voir les mois"

            self.add(f"{col}{MONTH_TOTAL}", f"{_header_of(headers, col)} (année)",
                     f'=IF(COUNT({col}{first}:{col}{last})=12,ROUND(SUM({col}{first}:{col}{last}),2),'
                     f'"Erreur : voir les mois")', MONEY, "money", year_total)

    def _period_amounts(self, r: int, headers: dict[str, str], name: str) -> None:
        """H..K of month row r: AE_* on the CA of the rate periods that close this month.

        One rounding per declaration, category and rate, as ``xlae declaration``;
        January adds the part of a first declaration begun the year before when
        its rates differ from January's (row ROW_CARRY).
        """
        m = MONTH_COLUMNS
        vl_on = 'versement_liberatoire="oui"'
        error = self.H["erreur"]
        if r == MONTH_FIRST:
            self._rate_columns(ROW_CARRY, "DATE(annee-1,12,31)")
        self._rate_columns(r, f"$B{r}")

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

        def twin(name: str) -> Callable[["_Context", int, int], Any]:
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

            self.add(f"{m[key]}{r}", f"{headers[key]} ({name})",
                     f'=IF(AND($M{r}<>"",NOT(ISNUMBER($M{r}))),$M{r},{body})', MONEY, "money", compute)

    def _rate_columns(self, row: int, on: str) -> None:
        """AI..AT of a month row: CFP, TFC and VL rates of each category in force on ``on``."""
        H = self.H
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
                    self.text(f"{col}{MONTH_HEADER}", f"Taux {what} {CODE_LABELS[code]}")

                def compute(c: _Context, row: int = row, i: int = i, twin: Any = twin) -> Any:
                    if c[f"C{ROW_CA_CAT + i}"] == "":
                        return ""
                    day = dt.date(c.annee - 1, 12, 31) if row == ROW_CARRY else c[f"B{row}"]
                    return twin(c, day)

                self.add(f"{col}{row}", f"Taux {what} {CODE_LABELS[code]} (ligne {row})",
                         f'=IF({used},{N.lookup(param, cat, zone, on)},"")', "0.000%", "share", compute)

    def _periods(self) -> None:
        """Helper columns Q..AD: each declaration cut into rate periods, per category.

        Why: the URSSAF computes each declaration on its CA by category; a rate
        applies to the CA of the months it covers, rounded once. Q = last day of
        the declaration the month belongs to, R = date of the CFP/TFC/VL rows in
        force, S..V = contribution rate of each category, W..Z = CA cumulated since
        the start of the rate period, AA..AD = that CA on the month that closes the
        period (rate change, end of the declaration), else 0. A December period
        whose declaration ends the next year is left to that year's January.
        """
        self.text(f"{PERIOD_END_COL}{MONTH_HEADER}", "Fin de la période déclarée")
        self.text(f"{EPOCH_COL}{MONTH_HEADER}", "Taux CFP, TFC, VL en vigueur depuis")
        for i, code in enumerate(CODES):
            self.text(f"{RATE_COLS[i]}{MONTH_HEADER}", f"Taux de cotisations {CODE_LABELS[code]}")
            self.text(f"{CUMUL_COLS[i]}{MONTH_HEADER}", f"CA {CODE_LABELS[code]} cumulé sur la période à taux fixe")
            self.text(f"{CLOSED_COLS[i]}{MONTH_HEADER}", f"CA {CODE_LABELS[code]} de la période close ce mois")
        self.text(f"A{ROW_CARRY}", "Report : première déclaration commencée l'année précédente (colonnes Q à AD)")
        self.text(f"P{ROW_CARRY}", "Année précédente")
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

        self.add(f"{q}{ROW_CARRY}", "Début de la première déclaration (année précédente)",
                 f'=IF(AND(ISNUMBER(date_creation),ISNUMBER($M${first})),IF(date_creation<DATE(annee,1,1),'
                 f'IF({self.due(last_year)}=$M${first},date_creation,""),""),"")',
                 DATE, "date", carry_start)
        self.add(f"{rr}{ROW_CARRY}", "Taux CFP, TFC, VL en vigueur depuis (31/12 de l'année précédente)",
                 epoch_formula(last_year), DATE, "date", lambda c: epoch(dt.date(c.annee - 1, 12, 31)))
        for i, code in enumerate(CODES):
            cat = f"$C${ROW_CA_CAT + i}"
            self.add(f"{RATE_COLS[i]}{ROW_CARRY}", f"Taux de cotisations {CODE_LABELS[code]} (année précédente)",
                     f'=IF(AND(ISNUMBER(${q}${ROW_CARRY}),{cat}<>""),{self.taux(code, last_year)},"")', "0.00%", "share",
                     lambda c, i=i: c.taux(c[f"C{ROW_CA_CAT + i}"], dt.date(c.annee - 1, 12, 31))
                     if isinstance(c[f"{q}{ROW_CARRY}"], dt.date) and c[f"C{ROW_CA_CAT + i}"] != "" else "")
            self.add(f"{CUMUL_COLS[i]}{ROW_CARRY}", f"CA {CODE_LABELS[code]} de l'année précédente (première déclaration)",
                     f'=IF(ISNUMBER(${q}${ROW_CARRY}),ROUND(SUMPRODUCT(({self.RE}="{code}")*({self.RA}>=${q}${ROW_CARRY})'
                     f'*({self.RA}<DATE(annee,1,1))*({self.RF}>=0),{self.RF}),2),0)', MONEY, "money",
                     lambda c, code=code: c.recettes.total(_number(c[f"{q}{ROW_CARRY}"]),
                                                           _serial(dt.date(c.annee, 1, 1)), code)
                     if isinstance(c[f"{q}{ROW_CARRY}"], dt.date) else 0.0)
            rate, cumul, closed = RATE_COLS[i], CUMUL_COLS[i], CLOSED_COLS[i]

            self.add(f"{closed}{ROW_CARRY}", f"CA {CODE_LABELS[code]} de l'année précédente, taux différent de janvier",
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

            self.add(f"{q}{r}", f"Fin de la période déclarée ({name})",
                     f'=IF(ISNUMBER($M{r}),EOMONTH($M{r},-1),"")', DATE, "date", period_end)
            self.add(f"{rr}{r}", f"Taux CFP, TFC, VL en vigueur depuis ({name})", epoch_formula(f"$B{r}"), DATE, "date",
                     lambda c, r=r: epoch(c[f"B{r}"]))
            for i, code in enumerate(CODES):
                cat = f"$C${ROW_CA_CAT + i}"
                rate, cumul, closed, ca = RATE_COLS[i], CUMUL_COLS[i], CLOSED_COLS[i], MONTH_COLUMNS[code]
                self.add(f"{rate}{r}", f"Taux de cotisations {CODE_LABELS[code]} ({name})",
                         f'=IF({cat}<>"",{self.taux(code, f"$B{r}")},"")', "0.00%", "share",
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

                self.add(f"{cumul}{r}", f"CA {CODE_LABELS[code]} cumulé sur la période à taux fixe ({name})",
                         f"=IF(ISNUMBER($M{r}),ROUND({ca}{r}+IF({goes_on},{previous},0),2),0)", MONEY, "money",
                         lambda c, i=i, k=k: c.declarations.cumulated(c.declarations.categories[i], k))
                if r == last:
                    closes = f"${q}{r}=$B{r}"
                else:
                    closes = f"OR(${q}{r}=$B{r},{rate}{r}<>{rate}{r + 1},${rr}{r}<>${rr}{r + 1})"

                self.add(f"{closed}{r}", f"CA {CODE_LABELS[code]} de la période close ce mois ({name})",
                         f"=IF(AND(ISNUMBER(${q}{r}),{closes}),{cumul}{r},0)", MONEY, "money",
                         lambda c, i=i, k=k: c.declarations.closed(c.declarations.categories[i], k))

    def _quarters(self) -> None:
        self.text(f"A{QUARTER_HEADER - 1}", "Totaux trimestriels et annuels des livres (recettes et achats)")
        headers = {"trimestre": "Trimestre", "debut": "Début", "vente": "CA ventes", "service_bic": "CA services BIC",
                   "bnc": "CA BNC", "bnc_cipav": "CA BNC Cipav", "ca": "CA du trimestre", "achats": "Achats",
                   "a_payer": "Cotisations et contributions"}
        for key, title in headers.items():
            self.text(f"{QUARTER_COLUMNS[key]}{QUARTER_HEADER}", title)
        for q in range(1, 5):
            r = QUARTER_FIRST + q - 1
            m1 = MONTH_FIRST + 3 * (q - 1)
            m3 = m1 + 2
            self.text(f"A{r}", f"T{q}")
            self.add(f"B{r}", f"Début du trimestre T{q}", f"=DATE(annee,{3 * q - 2},1)", DATE, "date",
                     lambda c, q=q: dt.date(c.annee, 3 * q - 2, 1))
            for col in "CDEF":
                self.add(f"{col}{r}", f"{_header_of(headers, col, QUARTER_COLUMNS)} T{q}",
                         f"=ROUND(SUM({col}{m1}:{col}{m3}),2)", MONEY, "money",
                         lambda c, col=col, m1=m1: float(cents(sum((to_decimal(c.num(f"{col}{x}")) for x in range(m1, m1 + 3)),
                                                                   ZERO))))
            self.add(f"G{r}", f"CA du trimestre T{q}", f"=ROUND(SUM(C{r}:F{r}),2)", MONEY, "money",
                     lambda c, r=r: float(cents(sum((to_decimal(c.num(f"{x}{r}")) for x in "CDEF"), ZERO))))
            end = f"DATE(annee,{3 * q + 1},1)" if q < 4 else "DATE(annee+1,1,1)"
            self.add(f"H{r}", f"Achats T{q}",
                     f"=ROUND(SUMPRODUCT(({self.AA}>=$B{r})*({self.AA}<{end})*({self.AE}>=0),{self.AE}),2)",
                     MONEY, "money", lambda c, q=q: c.achats.total(
                         _serial(dt.date(c.annee, 3 * q - 2, 1)),
                         _serial(dt.date(c.annee, 3 * q + 1, 1) if q < 4 else dt.date(c.annee + 1, 1, 1))))

            def paid(c: _Context, m1: int = m1) -> Any:
                values = [c[f"L{x}"] for x in range(m1, m1 + 3)]
                if all(isinstance(v, float) for v in values):
                    return float(cents(sum((to_decimal(v) for v in values), ZERO)))
                return "Erreur : voir les mois"

            self.add(f"I{r}", f"Cotisations et contributions T{q}",
                     f'=IF(COUNT(L{m1}:L{m3})=3,ROUND(SUM(L{m1}:L{m3}),2),"Erreur : voir les mois")',
                     MONEY, "money", paid)
        self.text(f"A{QUARTER_TOTAL}", "Total de l'année")
        first, last = QUARTER_FIRST, QUARTER_FIRST + 3
        for col in "CDEFGH":
            self.add(f"{col}{QUARTER_TOTAL}", f"{_header_of(headers, col, QUARTER_COLUMNS)} (année)",
                     f"=ROUND(SUM({col}{first}:{col}{last}),2)", MONEY, "money",
                     lambda c, col=col: float(cents(sum((to_decimal(c.num(f"{col}{x}")) for x in range(first, last + 1)),
                                                        ZERO))))

        def year_paid(c: _Context) -> Any:
            values = [c[f"I{x}"] for x in range(first, last + 1)]
            if all(isinstance(v, float) for v in values):
                return float(cents(sum((to_decimal(v) for v in values), ZERO)))
            return "Erreur : voir les mois"

        self.add(f"I{QUARTER_TOTAL}", "Cotisations et contributions (année)",
                 f'=IF(COUNT(I{first}:I{last})=4,ROUND(SUM(I{first}:I{last}),2),"Erreur : voir les mois")',
                 MONEY, "money", year_paid)


    # Dashboard (issue 10 item 4): what to do next, at a glance -------------------------------------
    def _dashboard(self) -> None:
        """E3:H15: the next declaration (period, due date, amount), the two shares, one alert, the rates version.

        Why: the detail below is long; the user's question is « what do I pay, when,
        and is anything wrong ». « Next » is relative to TODAY(): the first period of
        the displayed year whose due date is today or later (in December, a monthly
        declarant sees November, due on 31 December); on a year already over, a
        sentence says so instead of a stale amount.
        """
        H, h, lab, val = self.H, self.helper, DASH_LABEL, DASH_VALUE
        first, last = MONTH_FIRST, MONTH_FIRST + 11
        col = NEXT_DUE_COL
        self.text(f"{col}{MONTH_HEADER}", "Échéance à venir (dernier mois de la période)")
        for r in range(first, last + 1):
            def candidate(c: _Context, r: int = r) -> Any:
                due = c[f"M{r}"]
                if not isinstance(due, dt.date):
                    return ""
                ends_here = dt.date(due.year, due.month, 1) - dt.timedelta(days=1) == c[f"B{r}"]
                return due if ends_here and due >= c.today else ""

            self.add(f"{col}{r}", f"Échéance à venir ({MONTHS_FR[r - first]})",
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
        self.text(f"{lab}{DASH_TITLE}", "Tableau de bord — ce qu'il faut faire")
        self.text(f"{lab}{DASH_PERIODE}", "Prochaine déclaration")
        self.text(f"{lab}{DASH_ECHEANCE}", "À payer au plus tard le")
        self.text(f"{lab}{DASH_MONTANT}", "Montant (à ce jour)")
        self.text(f"{lab}{DASH_PLAFOND}", "Part du plafond")
        self.text(f"{lab}{DASH_TVA}", "Part du seuil de TVA")
        self.text(f"{lab}{DASH_ALERTE}", "Alerte")
        quarterly = f'{H["periodicite"]}="trimestrielle"'
        named = (f'IF({is_first}=1,"du "&{N.date_text(start)}&" au "&{N.date_text(end)},'
                 f'IF({quarterly},{N.quarter_text(end)},{N.month_text(end)}))')
        over = (f'"Année "&annee&" terminée : tout est échu (passez à "&(annee+1)'
                f'&" dans Paramètres)."')

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

        self.add(f"{val}{DASH_PERIODE}", "Prochaine déclaration",
                 f'=IF({H["erreur"]}<>"","Voir l\'alerte ci-dessous",IF(ISNUMBER({due}),{named}'
                 f'&IF(TODAY()<={end}," (en cours)",""),'
                 f'IF(TODAY()>DATE(annee,12,31),{over},"Aucune déclaration en "&annee)))', GENERAL, "text", periode)
        self.add(f"{val}{DASH_ECHEANCE}", "Échéance de la prochaine déclaration", f'=IF(ISNUMBER({due}),{due},"")',
                 DATE, "date", lambda c: c.h("prochaine_echeance"))
        self.add(f"{val}{DASH_MONTANT}", "Montant de la prochaine déclaration",
                 f'=IF({H["erreur"]}<>"","",IF(ISNUMBER({line}),INDEX($N${first}:$N${last},{line}),""))', MONEY,
                 "money", lambda c: c[f"N{first + int(c.h('prochaine_ligne')) - 1}"]
                 if isinstance(c.h("prochaine_ligne"), float) and not c.h("erreur") else "")
        self.add(f"{val}{DASH_PLAFOND}", "Part du plafond utilisée", f"=B{ROW_PART}", PERCENT, "share",
                 lambda c: c[f"B{ROW_PART}"])
        self.add(f"{val}{DASH_TVA}", "Part du seuil de TVA utilisée", f"=B{ROW_TVA_PART}", PERCENT, "share",
                 lambda c: c[f"B{ROW_TVA_PART}"])
        self._alert()
        version = N.VERSION_NAME
        self.add(f"{lab}{DASH_VERSION}", "Version du barème",
                 f'=IF(ISNUMBER({version}),"Barème xlae du "&{N.date_text(version)}&" (feuille Barèmes ; « xlae '
                 f'baremes » le met à jour)","Barème : version inconnue (feuille Barèmes, {N.VERSION_COL}'
                 f'{N.VERSION_ROW})")', GENERAL, "text",
                 lambda c: f"Barème xlae du {N.rates_version(get_rates()):%d/%m/%Y} (feuille Barèmes ; « xlae "
                           "baremes » le met à jour)")

    def _alert(self) -> None:
        """The most serious thing to know now, in one sentence (E10)."""
        H = self.H
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
                   f',"Rien à signaler : "&{N.percent_text(share)}&" du plafond et "&{N.percent_text(vat)}'
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
            return (f"Rien à signaler : {N.percent_text_value(s)} du plafond et {N.percent_text_value(v)} du seuil "
                    "de TVA utilisés.")

        self.add(f"{DASH_LABEL}{DASH_ALERTE_TEXTE}", "Alerte du moment", formula, GENERAL, "text", alert)


def _month_end(year: int, month: int) -> dt.date:
    nxt = dt.date(year + month // 12, month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def _next_month(day: dt.date) -> tuple[int, int]:
    """(year, month) of the month after ``day``'s (EOMONTH(day, 1))."""
    return (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)


def _header_of(headers: dict[str, str], col: str, columns: dict[str, str] = MONTH_COLUMNS) -> str:
    for key, letter in columns.items():
        if letter == col:
            return headers[key]
    return col
