"""Where things are on the Synthèse sheet: rows, columns, number formats, the cells a report reads.

Why: the generator, the sections' formulas, the batch and the tests all place or read cells
by these names; they live apart from any formula so that a layout change is one edit here.
"""

from __future__ import annotations

import datetime as dt

from .. import layout as L
from .. import natif as N

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
# How the dashboard's alert sentence (E10) begins: green when calm, orange for a warning, red otherwise.
ALERT_CALM, ALERT_WARNING = "Rien à signaler", "Attention"

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
# Quarterly table columns.
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

BAREMES_LAST = N.BAREMES_LAST

# « Droits et impôt » (section droits, impot, previsions): label in A, value in B.
ROW_DROITS = 83                     # section title
(ROW_TRIMESTRES, ROW_CA_TRIMESTRE, ROW_ARRET, ROW_IJ, ROW_CASES, ROW_IMPOT, ROW_VL_OPTION, ROW_IMPOT_VL,
 ROW_DEP_PLAFOND, ROW_DEP_TVA, ROW_DEP_TVA_MAJORE, ROW_CONSEQUENCES, ROW_INCERTAIN) = range(ROW_DROITS + 1,
                                                                                         ROW_DROITS + 14)
ROW_DROITS_LAST = ROW_INCERTAIN
DROITS_TEXT_ROWS = {ROW_CASES: 2, ROW_IMPOT_VL: 3, ROW_CONSEQUENCES: 3, ROW_INCERTAIN: 2}  # sentences: lines on the sheet


def _header_of(headers: dict[str, str], col: str, columns: dict[str, str] = MONTH_COLUMNS) -> str:
    """The header text of a column letter of the month (or quarter) table."""
    for key, letter in columns.items():
        if letter == col:
            return headers[key]
    return col
