"""The summary sheet (Synthèse), described once: each formula cell with its Python twin.

Why: the template's formulas and the batch's values must never drift apart. The
package holds one description, split by what changes together:

- ``geometry``: rows, columns, number formats, ``KEY_CELLS`` (where things are);
- ``cells``: ``SummaryCell`` (address, label, formula, format, kind, ``compute`` twin), ``Inputs``;
- ``values``, ``ledger``: what a formula sees in a cell; the ledgers as arrays and their sums;
- ``context``: ``_Context``, the value of each cell on demand (parameters as the helper block reads them,
  helper cells, rates);
- ``builder``: ``_Builder`` (``add``, ``helper``, shared formula pieces) and ``build``, which calls the
  sections in sheet order: ``header``, ``helper_block``, ``ceiling``, ``vat``, ``result``, ``checks``,
  ``months``, ``quarters``, ``droits``, ``droits_impot``, ``droits_previsions``, ``dashboard``
  (each holds its formulas, their twins and the readings only it needs);
- ``description``: the cached description and the public functions (``summary_cells``,
  ``static_cells``, ``helper_refs``, ``evaluate``, ``excel_value``, ``references``,
  ``ae_dependent_refs``).

Imports go one way: sections read ``geometry``, ``values`` and ``ledger`` (``_Builder`` and
``_Context`` appear in their annotations only); ``builder`` imports the sections;
``description`` imports ``builder`` and ``context``.
"""

from __future__ import annotations

from .ceiling import PREV_ACTIVITY_ERROR
from .cells import Inputs, SummaryCell, check_rows
from .description import (ae_dependent_refs, evaluate, excel_value, helper_refs, references, static_cells,
                          summary_cells)
from .geometry import (ALERT_AMBER, ALERT_CALM, ALERT_RED, ALERT_WARNING, BAREMES_LAST, CFP_COLS, CHART_ROW, CHART_ROWS, CLOSED_COLS, CODES,
                       CODE_LABELS, COUNT, CUMUL_COLS, DASHBOARD_REFS, DASH_ALERTE, DASH_ALERTE_TEXTE, DASH_ECHEANCE,
                       DASH_LABEL, DASH_MONTANT, DASH_PERIODE, DASH_PLAFOND, DASH_TITLE, DASH_TVA, DASH_VALUE,
                       DASH_VERSION, DATE, DROITS_TEXT_ROWS, EPOCH_COL, EXCEL_EPOCH, FIRST, GENERAL, HELPER_COL,
                       HELPER_FIRST, HELPER_LABEL_COL, KEY_CELLS, LAST, MONEY, MONTH, MONTHS_FR, MONTH_COLUMNS,
                       MONTH_FIRST, MONTH_HEADER, MONTH_TOTAL, NEXT_DUE_COL, PERCENT, PERIOD_END_COL, QUARTER_COLUMNS,
                       QUARTER_FIRST, QUARTER_HEADER, QUARTER_TOTAL, RATE_COLS, ROW_ABATTEMENT, ROW_ACHATS, ROW_ARRET,
                       ROW_CA, ROW_CARRY, ROW_CASES, ROW_CA_CAT, ROW_CA_TRIMESTRE, ROW_CFP_TFC, ROW_CHECKS, ROW_COMPTE,
                       ROW_COMPTE_SEUIL, ROW_CONSEQUENCES, ROW_COTIS, ROW_DEPASSEMENT, ROW_DEP_PLAFOND, ROW_DEP_TVA,
                       ROW_DEP_TVA_MAJORE, ROW_DROITS, ROW_DROITS_LAST, ROW_IJ, ROW_IMPOT, ROW_IMPOT_VL, ROW_INCERTAIN,
                       ROW_INVALID_TOTAL, ROW_OUT_OF_YEAR, ROW_PART, ROW_PART_SERVICES, ROW_PART_VENTE,
                       ROW_PLAFOND_SERVICES, ROW_PLAFOND_VENTE, ROW_PREV_CAT, ROW_PREV_ORIGIN, ROW_PREV_TOTAL,
                       ROW_REGIME, ROW_RESTE, ROW_RESULTAT, ROW_REVENU, ROW_SERVICES, ROW_TOTAL_PAYER, ROW_TRIMESTRES,
                       ROW_TVA, ROW_TVA_PART, ROW_TVA_SEUILS, ROW_VL, ROW_VL_OPTION, ROW_YEAR, TFC_COLS, VL_COLS)

__all__ = ["ALERT_AMBER", "ALERT_CALM", "ALERT_RED", "ALERT_WARNING", "BAREMES_LAST", "CFP_COLS", "CHART_ROW", "CHART_ROWS", "CLOSED_COLS", "CODES",
           "CODE_LABELS", "COUNT", "CUMUL_COLS", "DASHBOARD_REFS", "DASH_ALERTE", "DASH_ALERTE_TEXTE", "DASH_ECHEANCE",
           "DASH_LABEL", "DASH_MONTANT", "DASH_PERIODE", "DASH_PLAFOND", "DASH_TITLE", "DASH_TVA", "DASH_VALUE",
           "DASH_VERSION", "DATE", "DROITS_TEXT_ROWS", "EPOCH_COL", "EXCEL_EPOCH", "FIRST", "GENERAL", "HELPER_COL",
           "HELPER_FIRST", "HELPER_LABEL_COL", "Inputs", "KEY_CELLS", "LAST", "MONEY", "MONTH", "MONTHS_FR",
           "MONTH_COLUMNS", "MONTH_FIRST", "MONTH_HEADER", "MONTH_TOTAL", "NEXT_DUE_COL", "PERCENT", "PERIOD_END_COL",
           "PREV_ACTIVITY_ERROR", "QUARTER_COLUMNS", "QUARTER_FIRST", "QUARTER_HEADER", "QUARTER_TOTAL", "RATE_COLS",
           "ROW_ABATTEMENT", "ROW_ACHATS", "ROW_ARRET", "ROW_CA", "ROW_CARRY", "ROW_CASES", "ROW_CA_CAT",
           "ROW_CA_TRIMESTRE", "ROW_CFP_TFC", "ROW_CHECKS", "ROW_COMPTE", "ROW_COMPTE_SEUIL", "ROW_CONSEQUENCES",
           "ROW_COTIS", "ROW_DEPASSEMENT", "ROW_DEP_PLAFOND", "ROW_DEP_TVA", "ROW_DEP_TVA_MAJORE", "ROW_DROITS",
           "ROW_DROITS_LAST", "ROW_IJ", "ROW_IMPOT", "ROW_IMPOT_VL", "ROW_INCERTAIN", "ROW_INVALID_TOTAL",
           "ROW_OUT_OF_YEAR", "ROW_PART", "ROW_PART_SERVICES", "ROW_PART_VENTE", "ROW_PLAFOND_SERVICES",
           "ROW_PLAFOND_VENTE", "ROW_PREV_CAT", "ROW_PREV_ORIGIN", "ROW_PREV_TOTAL", "ROW_REGIME", "ROW_RESTE",
           "ROW_RESULTAT", "ROW_REVENU", "ROW_SERVICES", "ROW_TOTAL_PAYER", "ROW_TRIMESTRES", "ROW_TVA", "ROW_TVA_PART",
           "ROW_TVA_SEUILS", "ROW_VL", "ROW_VL_OPTION", "ROW_YEAR", "SummaryCell", "TFC_COLS", "VL_COLS",
           "ae_dependent_refs", "check_rows", "evaluate", "excel_value", "helper_refs", "references", "static_cells",
           "summary_cells"]
