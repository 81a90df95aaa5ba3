"""Generate the template workbook with openpyxl, byte-for-byte reproducibly.

Why: the committed template must be exactly what ``xlae modele`` writes, so a
test can regenerate it and compare bytes. openpyxl stamps the current time in
docProps/core.xml and in every zip entry; both are fixed here.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import os
import zipfile
from pathlib import Path
from typing import Any, Iterable

from openpyxl import Workbook
from openpyxl.chart import LineChart, Reference
from openpyxl.formatting.rule import CellIsRule, FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.writer.excel import ExcelWriter

from ..atomic import write_bytes
from ..errors import XlaeError, os_reason
from ..rates import COLUMNS as RATE_COLUMNS
from ..rates import get_rates
from . import layout as L
from . import natif as N
from . import synthese as S

FIXED_TIME = dt.datetime(2026, 1, 1)
ZIP_TIME = (2026, 1, 1, 0, 0, 0)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
TITLE_FONT = Font(bold=True, size=13)
BOLD = Font(bold=True)
# The README promises orange from 80 % and red from 100 %: real orange and red, dark text on orange,
# white bold text on red (readable on screen and in print).
AMBER_FILL = PatternFill("solid", fgColor=L.ALERT_ORANGE, bgColor=L.ALERT_ORANGE)
RED_FILL = PatternFill("solid", fgColor=L.ALERT_RED, bgColor=L.ALERT_RED)
RED_FONT = Font(bold=True, color=L.ALERT_RED_TEXT)
DASH_FILL = PatternFill("solid", fgColor="F2F2F2")
INVALID_FILL = PatternFill("solid", fgColor="FFC7CE")
UNLOCKED = Protection(locked=False)

HELP_CHARS_PER_LINE = 95  # column C is 90 wide
PARAMETER_HELP = {
    "activite": ("Activité principale", "Catégorie de votre activité : vente, service_bic, bnc ou bnc_cipav. "
                 "En activité mixte, la catégorie de chaque recette se choisit dans le livre des recettes."),
    "nature": ("Nature", "commerciale, artisanale ou liberale ; vide : déduite de l'activité. Sert à la CFP "
               "et à la TFC. Laissez vide en activité mixte BIC + BNC."),
    "date_creation": ("Date de création", "Date de début d'activité (JJ/MM/AAAA). Plafond proratisé "
                      "l'année de création, durée de l'ACRE, première déclaration."),
    "acre": ("ACRE", "oui ou non : taux de cotisations réduit jusqu'à la fin du 3e trimestre civil suivant "
             "le début d'activité."),
    "versement_liberatoire": ("Versement libératoire", "oui ou non : impôt sur le revenu payé avec les "
                              "cotisations (option à faire auprès de l'URSSAF)."),
    "periodicite": ("Périodicité des déclarations", "mensuelle ou trimestrielle (choisie auprès de l'URSSAF)."),
    "zone": ("Zone", "metropole, drom (Guadeloupe, Martinique, Guyane, La Réunion) ou mayotte."),
    "departement": ("Département", "Numéro du département (57, 67, 68 : TFC d'Alsace-Moselle pour les "
                    "artisans) ; facultatif."),
    "annee": ("Année affichée", "Année dont la feuille Synthèse fait le bilan (ex. 2026)."),
    "ca_annee_precedente": ("CA de l'année précédente", "Facultatif : vide, il est calculé depuis le livre "
                            "des recettes (tolérance de dépassement, TVA, compte dédié). Rempli, il est "
                            "attribué à l'activité principale."),
    "parts": ("Parts du foyer fiscal", "Facultatif (vide : 1 part) : nombre de parts du foyer pour l'impôt "
              "estimé (2 et plus : couple soumis à imposition commune)."),
    "autres_revenus": ("Autres revenus du foyer", "Facultatif : autres revenus nets imposables du foyer en € "
                       "(salaires après la déduction de 10 %…), pour l'impôt estimé."),
    "rfr": ("Revenu fiscal de référence N-2", "Facultatif : RFR de l'avant-dernière année (avis d'impôt), "
            "qui décide si le versement libératoire est permis."),
    "ca_n2": ("CA de N-2", "Facultatif : CA encaissé de l'avant-dernière année (indemnités journalières), "
              "attribué à l'activité principale."),
    "ca_n3": ("CA de N-3", "Facultatif : CA encaissé de la troisième année avant l'année affichée "
              "(indemnités journalières), attribué à l'activité principale."),
}
RECETTES_WIDTHS = {"date": 14, "reference": 18, "client": 26, "nature": 34, "categorie": 14, "montant": 16,
                   "mode": 16, "observations": 30, "cle_import": 14}
ACHATS_WIDTHS = {"date": 14, "reference": 18, "fournisseur": 26, "nature": 34, "montant": 16, "mode": 16,
                 "observations": 30, "cle_import": 14}


# The workbooks committed in workbooks/ are generated for this year (byte-for-byte test); bump it
# each January with « xlae modele --annee AAAA ». ``xlae modele`` itself writes the current year.
SHIPPED_YEAR = 2026
# Day the cached dashboard values of the committed workbooks are computed for (the files' own date
# stamp, FIXED_TIME), so that they stay byte-for-byte reproducible; a spreadsheet recomputes TODAY().
SHIPPED_DAY = FIXED_TIME.date()


def default_year(today: dt.date | None = None) -> int:
    """Year shown by a fresh template: the current year (not the rates' last, carried-over row).

    Before the rates' coverage (a wrong clock), the first year they cover.
    """
    year = (today or dt.date.today()).year
    return max(year, get_rates().coverage_start.year)


def build_workbook(parametres: dict[str, Any] | None = None, rows: int = L.MAX_ROWS,
                   year: int | None = None) -> Workbook:
    """The template as an openpyxl workbook (parameters may be pre-filled).

    ``year``: displayed year when ``parametres`` give none (default: ``default_year()``).

    ``rows``: ledger rows covered by the summary's formulas, the formats and the
    validations (rows 2..rows+1 of Recettes and Achats).
    """
    rows = S.check_rows(rows)
    wb = Workbook()
    wb.properties.creator = "xlae"
    wb.properties.lastModifiedBy = "xlae"
    wb.properties.title = "Livres et synthèse du micro-entrepreneur"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    values = {"acre": "non", "versement_liberatoire": "non", "periodicite": "mensuelle", "zone": "metropole",
              "annee": year or default_year()}
    values.update(parametres or {})
    _parametres(wb.active, values)
    for name in L.ALL_PARAMETER_NAMES:
        wb.defined_names[name] = DefinedName(name, attr_text=L.parameter_ref(name))
    for col, name in N.BAREMES_NAMES.items():
        wb.defined_names[name] = DefinedName(name, attr_text=N.baremes_ref(col))
    wb.defined_names[N.VERSION_NAME] = DefinedName(N.VERSION_NAME, attr_text=N.version_ref())
    _ledger(wb.create_sheet(L.SHEET_RECETTES), L.RECETTES_COLUMNS, RECETTES_WIDTHS, True, rows)
    _ledger(wb.create_sheet(L.SHEET_ACHATS), L.ACHATS_COLUMNS, ACHATS_WIDTHS, False, rows)
    _synthese(wb.create_sheet(L.SHEET_SYNTHESE), rows)
    _baremes(wb.create_sheet(L.SHEET_BAREMES))
    return wb


def _parametres(ws, values: dict[str, Any]) -> None:
    ws.title = L.SHEET_PARAMETRES
    for col, title in zip("ABC", ("Paramètre", "Valeur", "Aide")):
        cell = ws[f"{col}{L.HEADER_ROW}"]
        cell.value, cell.font, cell.fill = title, BOLD, HEADER_FILL
    lists = {"activite": L.CATEGORIES, "nature": L.NATURES, "acre": L.YES_NO, "versement_liberatoire": L.YES_NO,
             "periodicite": L.PERIODICITES, "zone": L.ZONES}
    for name in L.ALL_PARAMETER_NAMES:
        ref = L.PARAMETER_CELLS[name]
        row = int(ref[1:])
        label, help_text = PARAMETER_HELP[name]
        ws[f"A{row}"] = label
        ws[f"C{row}"] = help_text
        ws[f"C{row}"].alignment = Alignment(wrap_text=True, vertical="top")
        # Explicit height: viewers that do not re-measure wrapped text would overlap the lines.
        ws.row_dimensions[row].height = 15 * max(1, math.ceil(len(help_text) / HELP_CHARS_PER_LINE))
        cell = ws[ref]
        cell.value = values.get(name)
        cell.protection = UNLOCKED
        cell.fill = PatternFill("solid", fgColor="FFF2CC")
        if name in lists:
            dv = DataValidation(type="list", formula1='"' + ",".join(lists[name]) + '"', allow_blank=True,
                                showErrorMessage=True, errorTitle="Valeur refusée",
                                error="Choisissez une valeur de la liste : " + ", ".join(lists[name]) + ".")
        elif name == "date_creation":
            dv = DataValidation(type="date", operator="greaterThan", formula1="1", allow_blank=True,
                                showErrorMessage=True, errorTitle="Date attendue",
                                error="Saisissez une date (JJ/MM/AAAA).")
            cell.number_format = S.DATE
        elif name == "annee":
            dv = DataValidation(type="whole", operator="between", formula1="1900", formula2="9999",
                                showErrorMessage=True, errorTitle="Année attendue",
                                error="Saisissez une année sur quatre chiffres (ex. 2026).")
        elif name == "parts":
            dv = DataValidation(type="decimal", operator="greaterThan", formula1="0", allow_blank=True,
                                showErrorMessage=True, errorTitle="Nombre de parts attendu",
                                error="Saisissez un nombre de parts positif (1 ; 1,5 ; 2 ; 2,25…), ou laissez vide.")
        elif name in ("ca_annee_precedente", "autres_revenus", "rfr", "ca_n2", "ca_n3"):
            dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                                showErrorMessage=True, errorTitle="Montant attendu",
                                error="Saisissez un montant en euros, positif ou nul, ou laissez vide.")
            cell.number_format = S.MONEY
        else:
            dv = None
        if dv is not None:
            ws.add_data_validation(dv)
            dv.add(ref)
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 18
    ws.column_dimensions["C"].width = 90
    ws.freeze_panes = "A2"
    ws.protection.sheet = True
    ws.print_area = f"A1:C{max(int(ref[1:]) for ref in L.PARAMETER_CELLS.values())}"
    ws.print_title_rows = f"{L.HEADER_ROW}:{L.HEADER_ROW}"
    _page(ws, landscape=True)


def _ledger(ws, columns: tuple[L.Column, ...], widths: dict[str, int], with_category: bool, rows: int) -> None:
    for col in columns:
        cell = ws[f"{col.letter}{L.HEADER_ROW}"]
        cell.value, cell.font, cell.fill = col.title, BOLD, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        dim = ws.column_dimensions[col.letter]
        dim.width = widths[col.key]
        if col.key == "date":
            dim.number_format = S.DATE
        elif col.key == "montant":
            dim.number_format = S.MONEY
    first, last = L.FIRST_DATA_ROW, L.last_data_row(rows)
    letter = {c.key: c.letter for c in columns}
    area = f"{letter['date']}{first}:{letter['date']}{last}"
    dv = DataValidation(type="date", operator="greaterThan", formula1="1", allow_blank=True, showErrorMessage=True,
                        errorStyle="warning", errorTitle="Date attendue",
                        error="Saisissez une date (JJ/MM/AAAA) : un texte n'est pas compté dans la synthèse.")
    ws.add_data_validation(dv)
    dv.add(area)
    amount = f"{letter['montant']}{first}:{letter['montant']}{last}"
    dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                        showErrorMessage=True, errorStyle="warning", errorTitle="Montant attendu",
                        error="Saisissez un montant en euros, positif ou nul : un texte n'est pas compté.")
    ws.add_data_validation(dv)
    dv.add(amount)
    modes = DataValidation(type="list", formula1='"' + ",".join(L.PAYMENT_MODES) + '"', allow_blank=True,
                           showErrorMessage=True, errorStyle="warning", errorTitle="Mode de règlement",
                           error="Choisissez un mode de la liste (espèces à part).")
    ws.add_data_validation(modes)
    modes.add(f"{letter['mode']}{first}:{letter['mode']}{last}")
    last_letter = columns[-1].letter
    used = f'COUNTA(${columns[0].letter}{first}:${last_letter}{first})>0'
    bad = [f"NOT(ISNUMBER(${letter['date']}{first}))", f"NOT(ISNUMBER(${letter['montant']}{first}))",
           f"${letter['montant']}{first}<0"]
    if with_category:
        cats = DataValidation(type="list", formula1='"' + ",".join(L.CATEGORIES) + '"', allow_blank=True,
                              showErrorMessage=True, errorTitle="Catégorie",
                              error="Catégorie : " + ", ".join(L.CATEGORIES) + ".")
        ws.add_data_validation(cats)
        cats.add(f"{letter['categorie']}{first}:{letter['categorie']}{last}")
        cell = f"${letter['categorie']}{first}"
        bad.append("AND(" + ",".join(f'{cell}<>"{code}"' for code in L.CATEGORIES) + ")")
    ws.conditional_formatting.add(f"A{first}:{last_letter}{last}",
                                  FormulaRule(formula=[f"AND({used},OR({','.join(bad)}))"], fill=INVALID_FILL))
    ws.freeze_panes = f"A{first}"
    ws.auto_filter.ref = f"A{L.HEADER_ROW}:{last_letter}{L.HEADER_ROW}"
    ws.print_title_rows = f"{L.HEADER_ROW}:{L.HEADER_ROW}"
    ws.print_area = f"A{L.HEADER_ROW}:{last_letter}{last}"  # the covered rows; empty pages are not printed
    ws.row_dimensions[L.HEADER_ROW].height = 30  # two-line titles, never clipped
    _page(ws, landscape=True)


# Print layout of the Synthèse (A4 landscape, fixed scale): the figures and the dashboard fit in columns
# A..PRINT_SPLIT; the right part of the monthly table prints on its own pages, with column A repeated.
SYNTHESE_SCALE = 76  # 11 pt × 76 % ≈ 8,4 pt on paper
PRINT_SPLIT = "H"
TEXT_LINES = {S.ROW_DEPASSEMENT: 3, S.ROW_TVA: 3, S.ROW_PREV_ORIGIN: 2, S.ROW_REGIME: 2, S.ROW_COMPTE: 2,
              **S.DROITS_TEXT_ROWS}
LABEL_CHARS = 44  # column A is 46 wide: longer labels of « Droits et impôt » wrap
PAGE_STARTS = (S.ROW_ABATTEMENT - 1, S.MONTH_HEADER - 1, S.ROW_DROITS)  # page breaks before these rows


def _synthese(ws, rows: int) -> None:
    for ref, text in S.static_cells().items():
        ws[ref] = text
    ws["A1"].font = TITLE_FONT
    for ref in S.static_cells():
        row = int("".join(ch for ch in ref if ch.isdigit()))
        if row in (S.MONTH_HEADER, S.QUARTER_HEADER) or ref.endswith(str(S.MONTH_TOTAL)) and ref[0] == "A":
            ws[ref].font = BOLD
            ws[ref].fill = HEADER_FILL
            ws[ref].alignment = Alignment(wrap_text=True, vertical="center")
    for row in (4, S.ROW_PREV_CAT - 1, S.ROW_TVA - 1, S.ROW_ABATTEMENT - 1, S.ROW_COMPTE_SEUIL - 1,
                S.ROW_CHECKS - 1, S.MONTH_HEADER - 1, S.QUARTER_HEADER - 1, S.ROW_DROITS):
        ws[f"A{row}"].font = BOLD
    for cell in S.summary_cells(rows):
        target = ws[cell.ref]
        target.value = cell.formula
        target.number_format = cell.number_format
        if cell.kind == "text":
            target.alignment = Alignment(wrap_text=False)
    for row in (S.MONTH_TOTAL, S.QUARTER_TOTAL):
        for col in "ABCDEFGHIJKL":
            ws[f"{col}{row}"].font = BOLD
    _long_texts(ws)
    _dashboard(ws)
    shares = [f"B{S.ROW_PART_VENTE}:B{S.ROW_PART}", f"B{S.ROW_TVA_PART}",
              f"{S.DASH_VALUE}{S.DASH_PLAFOND}:{S.DASH_VALUE}{S.DASH_TVA}"]
    for area in shares:
        ws.conditional_formatting.add(area, CellIsRule(operator="greaterThanOrEqual", formula=[str(S.ALERT_RED)],
                                                       fill=RED_FILL, font=RED_FONT, stopIfTrue=True))
        ws.conditional_formatting.add(area, CellIsRule(operator="between",
                                                       formula=[str(S.ALERT_AMBER), str(S.ALERT_RED)],
                                                       fill=AMBER_FILL))
    first, last = S.MONTH_FIRST, S.MONTH_FIRST + 11
    ws.conditional_formatting.add(f"O{first}:O{last}", FormulaRule(
        formula=[f"AND(ISNUMBER(P{first}),O{first}>=P{first}*{S.ALERT_RED})"], fill=RED_FILL, font=RED_FONT,
        stopIfTrue=True))
    ws.conditional_formatting.add(f"O{first}:O{last}", FormulaRule(
        formula=[f"AND(ISNUMBER(P{first}),O{first}>=P{first}*{S.ALERT_AMBER})"], fill=AMBER_FILL))
    # Red on the counts of rows to correct, not on the counts of filled rows (46 and 52).
    checks = (f"B{S.ROW_CHECKS + 1}:B{S.ROW_CHECKS + 5} B{S.ROW_CHECKS + 7}:B{S.ROW_OUT_OF_YEAR}")
    ws.conditional_formatting.add(checks, CellIsRule(operator="greaterThan", formula=["0"], fill=RED_FILL,
                                                     font=RED_FONT))
    year_check = S.KEY_CELLS["controle_annee"]
    ws.conditional_formatting.add(year_check, FormulaRule(formula=[f'{year_check}<>""'], fill=RED_FILL,
                                                          font=RED_FONT))
    ws[year_check].font = BOLD
    ws.conditional_formatting.add(f"B{S.ROW_DEPASSEMENT}", FormulaRule(
        formula=[f'ISNUMBER(SEARCH("passement",B{S.ROW_DEPASSEMENT}))'], fill=RED_FILL, font=RED_FONT))
    alert = S.KEY_CELLS["alerte"]
    calm, warning = S.ALERT_CALM, S.ALERT_WARNING
    ws.conditional_formatting.add(alert, FormulaRule(formula=[f'LEFT({alert},{len(calm)})="{calm}"'],
                                                     fill=PatternFill("solid", fgColor="E2EFDA", bgColor="E2EFDA"),
                                                     stopIfTrue=True))
    ws.conditional_formatting.add(alert, FormulaRule(formula=[f'LEFT({alert},{len(warning)})="{warning}"'],
                                                     fill=AMBER_FILL,
                                                     stopIfTrue=True))
    ws.conditional_formatting.add(alert, FormulaRule(formula=[f'{alert}<>""'], fill=RED_FILL, font=RED_FONT))
    ws.column_dimensions["A"].width = 46
    ws.column_dimensions["B"].width = 18
    for col in "CDEFGH":
        ws.column_dimensions[col].width = 13
    for col in "IJKLMNOP":  # the right part of the monthly table: column A + I..P fit one page too
        ws.column_dimensions[col].width = 12
    for col in (get_column_letter(i) for i in range(17, 32)):  # Q..AE: the working columns
        ws.column_dimensions[col].width = 15
    ws.row_dimensions[S.MONTH_HEADER].height = 60
    ws.row_dimensions[S.QUARTER_HEADER].height = 45
    chart = LineChart()
    chart.title = "CA cumulé et plafond proratisé"
    chart.y_axis.title = "€"
    chart.x_axis.title = "Mois"
    chart.x_axis.number_format = S.MONTH
    chart.height, chart.width = 9, 22
    data = Reference(ws, min_col=15, max_col=16, min_row=S.MONTH_HEADER, max_row=last)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=first, max_row=last))
    # Below every figure (rows CHART_ROW.. are empty): it hides no cell in use, on screen or on paper.
    ws.add_chart(chart, f"A{S.CHART_ROW}")
    ws.freeze_panes = "B3"
    ws.protection.sheet = True
    ws.print_area = f"A1:P{S.CHART_ROW + S.CHART_ROWS}"
    _page(ws, landscape=True)
    ws.sheet_properties.pageSetUpPr.fitToPage = False
    ws.page_setup.scale = SYNTHESE_SCALE
    ws.print_title_cols = "A:A"
    ws.page_setup.pageOrder = "overThenDown"
    for row in (*PAGE_STARTS, S.CHART_ROW - 1):
        ws.row_breaks.append(Break(id=row - 1))
    ws.col_breaks.append(Break(id=column_index_from_string(PRINT_SPLIT)))


def _long_texts(ws) -> None:
    """Sentences of column B (and C2) wrap inside B..PRINT_SPLIT: read whole on screen and on paper."""
    for row, lines in TEXT_LINES.items():
        ws.merge_cells(f"B{row}:{PRINT_SPLIT}{row}")
        ws[f"B{row}"].alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[row].height = 15 * lines
        ws[f"A{row}"].alignment = Alignment(vertical="top")
    for row in range(S.ROW_DROITS + 1, S.ROW_DROITS_LAST + 1):
        label = S.static_cells().get(f"A{row}", "")
        ws[f"A{row}"].alignment = Alignment(vertical="top", wrap_text=True)
        ws[f"B{row}"].alignment = Alignment(vertical="top", wrap_text=row in TEXT_LINES,
                                            horizontal="left" if row in TEXT_LINES else None)
        ws.row_dimensions[row].height = 15 * max(math.ceil(len(label) / LABEL_CHARS), TEXT_LINES.get(row, 1))
    ws.merge_cells(f"C{S.ROW_YEAR}:{PRINT_SPLIT}{S.ROW_YEAR}")
    ws[f"C{S.ROW_YEAR}"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[S.ROW_YEAR].height = 30


def _dashboard(ws) -> None:
    """The box E3:H15: labels E:F, values G:H, the alert sentence over five rows."""
    lab, val, end = S.DASH_LABEL, S.DASH_VALUE, PRINT_SPLIT
    label_end = get_column_letter(column_index_from_string(val) - 1)
    ws.merge_cells(f"{lab}{S.DASH_TITLE}:{end}{S.DASH_TITLE}")
    title = ws[f"{lab}{S.DASH_TITLE}"]
    title.font, title.fill = Font(bold=True, size=12), HEADER_FILL
    for row in range(S.DASH_PERIODE, S.DASH_TVA + 1):
        ws.merge_cells(f"{lab}{row}:{label_end}{row}")
        ws.merge_cells(f"{val}{row}:{end}{row}")
        ws[f"{lab}{row}"].font = BOLD
        ws[f"{val}{row}"].alignment = Alignment(horizontal="left", vertical="top", wrap_text=True)
    ws.row_dimensions[S.DASH_PERIODE].height = 45
    for row in range(S.DASH_TITLE, S.DASH_VERSION + 1):
        ws[f"{lab}{row}"].alignment = Alignment(vertical="top", wrap_text=row >= S.DASH_ALERTE_TEXTE)
    ws.merge_cells(f"{lab}{S.DASH_ALERTE}:{end}{S.DASH_ALERTE}")
    ws[f"{lab}{S.DASH_ALERTE}"].font = BOLD
    ws.merge_cells(f"{lab}{S.DASH_ALERTE_TEXTE}:{end}{S.DASH_VERSION - 1}")
    ws.merge_cells(f"{lab}{S.DASH_VERSION}:{end}{S.DASH_VERSION}")
    ws[f"{lab}{S.DASH_VERSION}"].font = Font(italic=True, size=9)
    for row in range(S.DASH_PERIODE, S.DASH_VERSION + 1):
        for col in range(column_index_from_string(lab), column_index_from_string(end) + 1):
            cell = ws.cell(row, col)
            if not (S.DASH_ALERTE_TEXTE <= row < S.DASH_VERSION):
                cell.fill = DASH_FILL


def _baremes(ws) -> None:
    rates = get_rates()
    write_baremes(ws, rates.rows, N.rates_version(rates))


def write_baremes(ws, rows: list, version: dt.date) -> None:
    """Fill an empty Barèmes sheet with rates rows (``rates.Rate``) and the version cell.

    ``xlae modele`` writes the installed rates; ``xlae baremes`` the installed ones plus the user's rows.
    """
    from .bareme_classeur import rows_values

    if len(rows) + 1 > S.BAREMES_LAST:
        raise XlaeError(f"Barème : {len(rows)} lignes, la feuille {L.SHEET_BAREMES} du modèle en prévoit "
                        f"au plus {S.BAREMES_LAST - 1}.")
    for i, name in enumerate(RATE_COLUMNS, start=1):
        cell = ws.cell(L.HEADER_ROW, i, name)
        cell.font, cell.fill = BOLD, HEADER_FILL
    for r, values in enumerate(rows_values(rows), start=L.FIRST_DATA_ROW):
        for i, value in enumerate(values, start=1):
            cell = ws.cell(r, i, value)
            if isinstance(value, dt.date):
                cell.number_format = S.DATE
    write_version(ws, version)
    widths = (28, 16, 12, 12, 12, 8, 12, 50, 50, 12, 60, 4, 22)
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[ws.cell(1, i).column_letter].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:K{len(rows) + 1}"
    ws.protection.sheet = True
    ws.protection.autoFilter = False
    ws.protection.sort = False
    _page(ws, landscape=True)


def write_version(ws, version: dt.date) -> None:
    """The rates version cell of Barèmes (M2, defined name ``bar_version``), shown on the Synthèse."""
    label = ws[f"{N.VERSION_COL}{N.VERSION_ROW - 1}"]
    label.value, label.font, label.fill = "Version du barème xlae", BOLD, HEADER_FILL
    cell = ws[f"{N.VERSION_COL}{N.VERSION_ROW}"]
    cell.value, cell.number_format = version, S.DATE


def _page(ws, landscape: bool) -> None:
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = False
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.page_margins.footer = 0.25
    ws.oddFooter.center.text = "&A — page &P / &N"


def template_bytes(rows: int = L.MAX_ROWS, year: int | None = None, today: dt.date | None = None) -> bytes:
    """The empty template's bytes, for ``year`` (default: the current year), with computed values."""
    return computed_bytes(build_workbook(rows=rows, year=year), rows, today)


def computed_bytes(wb: Workbook, rows: int = L.MAX_ROWS, today: dt.date | None = None) -> bytes:
    """``workbook_bytes`` with a cached value in every formula cell of Synthèse.

    Why: a viewer that does not compute (phone preview, Google Drive, Excel in
    protected view) shows cached values; without them every figure is blank.
    The values are ``synthese.evaluate``'s, the twin of each formula, on ``today``
    (default: the real day; the dashboard's « next declaration » depends on it).
    """
    from ..batch import xlsx
    from ..books.xl import books_of_workbook

    data = workbook_bytes(wb)
    values = S.evaluate(books_of_workbook(wb).inputs(), rows, today)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        package = xlsx.read_package(archive)
        part = package.sheets[L.SHEET_SYNTHESE]
        sheet, _ = xlsx.with_cached_values(archive.read(part), {ref: S.excel_value(v) for ref, v in values.items()})
        workbook = xlsx.workbook_path(archive)
        out = io.BytesIO()
        xlsx.copy_with_changes(archive, out, {part: sheet, workbook: xlsx.without_full_calc(archive.read(workbook))})
    return out.getvalue()


def shipped_template_bytes() -> bytes:
    """workbooks/modele-auto-entrepreneur.xlsx: the empty template of ``SHIPPED_YEAR``."""
    return template_bytes(year=SHIPPED_YEAR, today=SHIPPED_DAY)


def workbook_bytes(wb: Workbook) -> bytes:
    """The xlsx bytes, identical for identical content (no clock anywhere)."""
    buffer = io.BytesIO()
    ExcelWriter(wb, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True)).save()
    # ExcelWriter (unlike save_workbook) keeps our fixed modification time; the zip entries
    # still carry the clock, so they are copied with one fixed timestamp.
    fixed = io.BytesIO()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            target.writestr(info, source.read(entry.filename))
    return fixed.getvalue()


def write_new_file(path: str | os.PathLike[str], data: bytes, force: bool = False) -> Path:
    """Write atomically (``xlae.atomic``, mode of a new file); refuse to replace unless ``force``."""
    target = Path(path)
    if target.is_dir():
        raise XlaeError(f"--sortie : {str(target)!r} est un dossier ; indiquez un nom de fichier .xlsx.", "--sortie")
    if target.suffix.lower() != ".xlsx":
        # Excel refuses to open an .xlsx written under another extension (.xls, .xlsm, none).
        raise XlaeError(f"--sortie : {str(target)!r} n'a pas l'extension .xlsx ; le classeur est au format "
                        "Excel .xlsx, indiquez un nom qui se termine par .xlsx.", "--sortie")
    if os.path.lexists(target) and not force:
        raise XlaeError(f"--sortie : le fichier {str(target)!r} existe déjà ; choisissez un autre nom ou "
                        "ajoutez --force pour le remplacer.", "--sortie")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        what = "n'est pas un dossier" if os.path.lexists(folder) else "n'existe pas"
        raise XlaeError(f"--sortie : le dossier {str(folder)!r} {what}.", "--sortie")
    replacing = force and os.path.lexists(target)
    if replacing:  # --force: the real file behind a link, not read-only, one writer at a time
        from ..files import writable_target

        target = writable_target(target, "--sortie")
    from ..lock import workbook_lock

    try:
        with workbook_lock(target, "xlae modele", "--sortie"):
            write_bytes(target, data, replace=replacing)
    except FileExistsError:  # created meanwhile by another program: never replaced without --force
        raise XlaeError(f"--sortie : le fichier {str(target)!r} vient d'être créé par un autre programme ; "
                        "rien n'a été remplacé. Choisissez un autre nom ou ajoutez --force.", "--sortie") from None
    except OSError as error:  # no room for the temporary file, disk full, read-only folder…
        raise XlaeError(f"--sortie : impossible d'écrire dans {str(folder)!r} ({os_reason(error)}).",
                        "--sortie") from None
    return target


def fill_ledger(wb: Workbook, sheet: str, rows: Iterable[dict[str, Any]]) -> None:
    """Append ledger rows (dicts keyed by layout column keys) from the first data row."""
    columns = L.RECETTES_COLUMNS if sheet == L.SHEET_RECETTES else L.ACHATS_COLUMNS
    ws = wb[sheet]
    for r, row in enumerate(rows, start=L.FIRST_DATA_ROW):
        for col in columns:
            value = row.get(col.key)
            if value is not None:
                cell = ws[f"{col.letter}{r}"]
                cell.value = value
                if col.key == "date" and isinstance(value, dt.date):
                    cell.number_format = S.DATE
                elif col.key == "montant":
                    cell.number_format = S.MONEY
