"""The template generator (xlae modele), its layout and the Python summary (synthese.evaluate).

Formula-engine and LibreOffice checks live in test_formules.py and test_libreoffice.py.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from xlae.cli import main
from xlae.books.calamine import read_books
from xlae.template import build, exemple, layout as L, synthese as S

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "workbooks" / "modele-auto-entrepreneur.xlsx"
EXAMPLE = ROOT / "workbooks" / "exemple-auto-entrepreneur.xlsx"
# Functions that Excel 2010+, LibreOffice Calc and Google Sheets all have (no dynamic arrays, no TEXT).
ALLOWED = {"SUM", "SUMPRODUCT", "ROUND", "IF", "IFERROR", "AND", "OR", "NOT", "ISNUMBER", "DATE", "EOMONTH",
           "MAX", "MIN", "COUNT", "ROW", "YEAR", "MONTH", "DAY", "INT", "MOD", "RIGHT", "LOWER", "UPPER", "ABS",
           "CHOOSE", "SEARCH", "INDEX", "MATCH", "TODAY", "MID", "ROUNDUP",
           "ISERROR"}


def test_committed_template_is_regenerated_byte_for_byte() -> None:
    assert build.shipped_template_bytes() == TEMPLATE.read_bytes(), \
        ("workbooks/modele-auto-entrepreneur.xlsx est périmé : relancez python -c \"from xlae.template import build; "
         "open('workbooks/modele-auto-entrepreneur.xlsx','wb').write(build.shipped_template_bytes())\"")


def test_committed_example_is_regenerated_byte_for_byte() -> None:
    assert exemple.example_bytes() == EXAMPLE.read_bytes(), \
        "workbooks/exemple-auto-entrepreneur.xlsx est périmé : relancez « xlae modele --exemple … --force »"


def test_no_clock_in_the_file() -> None:
    archive = zipfile.ZipFile(io.BytesIO(TEMPLATE.read_bytes()))
    assert {info.date_time for info in archive.infolist()} == {build.ZIP_TIME}
    core = archive.read("docProps/core.xml").decode()
    assert "2026-01-01T00:00:00Z" in core and core.count("2026-01-01T00:00:00Z") == 2  # created + modified


def test_cli_writes_then_refuses_to_overwrite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "mes-comptes.xlsx"
    assert main(["modele", "--sortie", str(target), "--annee", str(build.SHIPPED_YEAR)]) == 0
    # The dashboard's cached values are those of the day it runs (the shipped file: build.SHIPPED_DAY).
    assert target.read_bytes() == build.template_bytes(year=build.SHIPPED_YEAR)
    target.write_bytes(b"mes donnees")
    assert main(["modele", "--sortie", str(target)]) == 2
    err = capsys.readouterr().err
    assert "existe déjà" in err and "--force" in err
    assert target.read_bytes() == b"mes donnees"  # untouched
    assert main(["modele", "--sortie", str(target), "--force", "--annee", str(build.SHIPPED_YEAR)]) == 0
    assert target.read_bytes() == build.template_bytes(year=build.SHIPPED_YEAR)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mes-comptes.xlsx"]  # no temp file left


def test_cli_missing_folder_is_a_french_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["modele", "--sortie", str(tmp_path / "absent" / "m.xlsx")]) == 2
    assert "n'existe pas" in capsys.readouterr().err


def test_sheets_names_and_validations() -> None:
    wb = load_workbook(TEMPLATE)
    assert wb.sheetnames == [L.SHEET_PARAMETRES, L.SHEET_RECETTES, L.SHEET_ACHATS, L.SHEET_SYNTHESE, L.SHEET_BAREMES]
    for name in L.PARAMETER_NAMES:
        assert wb.defined_names[name].attr_text == L.parameter_ref(name)
    params = wb[L.SHEET_PARAMETRES]
    assert params[L.PARAMETER_CELLS["annee"]].value == build.SHIPPED_YEAR
    assert params[L.PARAMETER_CELLS["annee"]].protection.locked is False
    assert params.protection.sheet is True
    recettes = wb[L.SHEET_RECETTES]
    assert [recettes[f"{c.letter}1"].value for c in L.RECETTES_COLUMNS] == [c.title for c in L.RECETTES_COLUMNS]
    assert recettes.freeze_panes == "A2"
    lists = {str(dv.sqref): dv.formula1 for dv in recettes.data_validations.dataValidation if dv.type == "list"}
    assert lists[f"E2:E{L.LAST_DATA_ROW}"] == '"vente,service_bic,bnc,bnc_cipav"'
    assert lists[f"G2:G{L.LAST_DATA_ROW}"] == '"' + ",".join(L.PAYMENT_MODES) + '"'
    assert L.LAST_DATA_ROW - L.FIRST_DATA_ROW + 1 >= 10_000
    # No formula in the ledgers: nothing to extend when typing row 10 001.
    for sheet in (L.SHEET_RECETTES, L.SHEET_ACHATS):
        assert not any(isinstance(c.value, str) and c.value.startswith("=")
                       for row in wb[sheet].iter_rows() for c in row)
    assert wb[L.SHEET_SYNTHESE].protection.sheet and wb[L.SHEET_BAREMES].protection.sheet


def test_summary_formulas_are_exactly_the_description() -> None:
    ws = load_workbook(TEMPLATE)[L.SHEET_SYNTHESE]
    formulas = {c.coordinate: c.value for row in ws.iter_rows() for c in row
                if isinstance(c.value, str) and c.value.startswith("=")}
    assert formulas == {cell.ref: cell.formula for cell in S.summary_cells()}
    for ref, text in S.static_cells().items():
        assert ws[ref].value == text


def test_only_portable_functions() -> None:
    used = set()
    for cell in S.summary_cells():
        used |= set(re.findall(r"([A-Z][A-Z0-9_.]*)\(", re.sub(r'"[^"]*"', "", cell.formula)))
    assert used <= ALLOWED, used - ALLOWED
    assert not any(f.startswith("AE_") for f in used)  # no add-in needed: no #NAME? anywhere


def test_no_cell_depends_on_the_add_in_and_formulas_fit_excel() -> None:
    assert S.ae_dependent_refs() == set()
    assert max(len(c.formula) for c in S.summary_cells()) < 8192  # Excel's limit for one formula


def _frame(rows: list[dict], columns: tuple[L.Column, ...]) -> pd.DataFrame:
    records = [{**{c.key: row.get(c.key) for c in columns}, "row": L.FIRST_DATA_ROW + i}
               for i, row in enumerate(rows)]
    return pd.DataFrame(records, columns=[c.key for c in columns] + ["row"], dtype=object)


def _inputs(recettes: list[dict], achats: list[dict], **params) -> S.Inputs:
    parametres = {name: None for name in L.PARAMETER_NAMES}
    parametres.update(params)
    return S.Inputs(parametres, _frame(recettes, L.RECETTES_COLUMNS), _frame(achats, L.ACHATS_COLUMNS))


def test_evaluate_by_hand_service_bic_with_acre() -> None:
    recettes = [
        {"date": dt.datetime(2026, 1, 10), "categorie": "service_bic", "montant": 1000.0},
        {"date": dt.datetime(2026, 1, 31, 17), "categorie": "SERVICE_BIC", "montant": 500.0},  # case, time of day
        {},                                                                                   # empty row
        {"date": "12/02/2026", "categorie": "service_bic", "montant": 300.0},                 # text date
        {"date": dt.datetime(2026, 7, 1), "categorie": "service_bic", "montant": 2000.0},
        {"date": dt.datetime(2025, 12, 1), "categorie": "service_bic", "montant": 4000.0},    # previous year
    ]
    achats = [{"date": dt.datetime(2026, 2, 1), "montant": 120.5}, {"date": dt.datetime(2026, 11, 2), "montant": 9.5}]
    v = S.evaluate(_inputs(recettes, achats, activite="service_bic", annee=2026, acre="oui",
                           date_creation=dt.datetime(2025, 10, 1), periodicite="trimestrielle",
                           versement_liberatoire="non"))
    assert v["D61"] == 1500.0 and v["G61"] == 1500.0       # 1 000 + 500 (text date not counted)
    assert v["D67"] == 2000.0 and v["B5"] == 3500.0 and v["B10"] == 3500.0
    assert v["C7"] == "service_bic" and v["C6"] == v["C8"] == v["C9"] == ""
    # ACRE from 01/10/2025 to 30/09/2026 (the 3 quarters after Q4 2025): 50 % × 21.2 % = 10.6 %.
    # Quarterly, created 01/10/2025: the first declaration covers Q4 2025 + Q1 2026, due 30/04/2026;
    # the 4 000 of 01/12/2025 (same ACRE rate as Q1) is carried into it (row 74).
    assert v["Q74"] == dt.date(2025, 10, 1) and v["X74"] == 4000.0 and v["AB74"] == 0.0
    assert v["X61"] == 5500.0 and v["X62"] == v["X63"] == 5500.0   # 4 000 + 1 500, cumulated
    assert v["AB61"] == v["AB62"] == 0.0 and v["AB63"] == 5500.0   # the period closes in March
    assert v["H61"] == v["H62"] == 0.0
    assert v["H63"] == 583.0                                # 5 500 × 10.6 % = 583
    assert v["I63"] == 11.0                                 # CFP 5 500 × 0.2 % = 11
    assert v["J63"] == 2.42                                 # TFC 5 500 × 0.044 % = 2.42
    assert v["K63"] == 0.0                                  # no versement libératoire
    assert v["L63"] == 596.42                               # 583 + 11 + 2.42
    assert v["M61"] == dt.date(2026, 4, 30) and v["N61"] == "" and v["N63"] == 596.42  # Q1 due 30/04
    assert v["H69"] == 212.0                                # Q3, still ACRE: 2 000 × 10.6 % = 212
    assert v["B12"] == 83600.0 and v["B13"] == "" and v["B14"] == pytest.approx(3500 / 83600)
    assert v["B16"] == 80100.0                              # 83 600 − 3 500
    assert v["B21"] == 0.0 and v["B20"] == 4000.0 and v["B24"] == "Livre des recettes"
    assert v["B35"] == 130.0 and v["H77"] == 120.5 and v["H80"] == 9.5   # purchases by quarter
    assert v["B46"] == 5.0 and v["B47"] == 1.0 and v["B48"] == 1.0 and v["B51"] == 1.0 and v["B57"] == 2.0
    # Real result: 3 500 − cotisations (583 + 212) − CFP/TFC (11 + 2.42 + 4 + 0.88) − achats 130
    # (the contributions of the declarations of the year, the 4 000 of 2025 included).
    assert v["B36"] == 795.0 and v["B37"] == 18.3 and v["B40"] == 2556.7  # 3 500 − 795 − 18.30 − 130
    assert v["B34"] == 1750.0                               # 3 500 − 50 % abattement
    assert v["B41"].startswith("L'abattement forfaitaire vous est favorable")
    assert v["B43"] == 10000.0 and v["B44"].startswith("Non obligatoire")


def test_evaluate_ca_precedent_parameter_and_errors_as_text() -> None:
    v = S.evaluate(_inputs([], [], activite="bnc", annee=2026, ca_annee_precedente=90000, zone="lune"))
    assert v["B21"] == 90000.0 and v["B19"] == 0.0 and v["B24"] == "Paramètres"
    assert v["C8"] == "bnc"                                 # main activity kept when no receipt
    assert v["H61"].startswith("Erreur : zone")             # AE_* error text, as the cell shows it
    assert v["L61"] == "Erreur : voir la ligne" and v["B39"] == "Erreur : voir les mois"


def test_evaluate_refuses_a_missing_year() -> None:
    with pytest.raises(Exception, match="annee"):
        S.evaluate(_inputs([], [], activite="bnc", annee=None))


def test_excel_value_of_dates() -> None:
    assert S.excel_value(dt.date(2026, 1, 1)) == 46023.0    # days since 30/12/1899
    assert S.excel_value("texte") == "texte"


def test_red_only_on_rows_to_correct_and_help_rows_tall_enough() -> None:
    wb = load_workbook(io.BytesIO(build.workbook_bytes(build.build_workbook({}))))
    ws = wb[L.SHEET_SYNTHESE]
    red = {str(rng.sqref) for rng, rules in ws.conditional_formatting._cf_rules.items()
           if any(r.operator == "greaterThan" and r.formula == ["0"] for r in rules)}
    # rows 46 (receipts filled) and 52 (purchases filled) are counts, not errors: not red
    # … and the receipts dated outside the displayed year (58) are red
    assert red == {f"B{S.ROW_CHECKS + 1}:B{S.ROW_CHECKS + 5} B{S.ROW_CHECKS + 7}:B{S.ROW_OUT_OF_YEAR}"}
    params = wb[L.SHEET_PARAMETRES]
    for row in range(2, 2 + len(L.PARAMETER_NAMES)):
        text = params[f"C{row}"].value or ""
        lines = -(-len(text) // build.HELP_CHARS_PER_LINE)
        assert params.row_dimensions[row].height == 15 * max(1, lines)


@pytest.mark.parametrize("activite,origin", [
    ("bnc", "Paramètres"),
    ("BNC", "Paramètres"),                      # Excel's = is case-insensitive
    ("Libéral", S.PREV_ACTIVITY_ERROR[0] + "Libéral" + S.PREV_ACTIVITY_ERROR[1]),
    (None, S.PREV_ACTIVITY_ERROR[0] + S.PREV_ACTIVITY_ERROR[1]),
])
def test_previous_year_ca_of_an_unknown_activity_is_an_error_not_a_zero(activite, origin) -> None:
    v = S.evaluate(_inputs([], [], activite=activite, annee=2026, ca_annee_precedente=90000.0))
    assert v[f"B{S.ROW_PREV_ORIGIN}"] == origin
    # attributed to bnc when known: 90 000 on the BNC row, none on the others
    expected_bnc = 90000.0 if origin == "Paramètres" else 0.0
    assert v[f"B{S.ROW_PREV_CAT + 2}"] == expected_bnc


def test_template_written_today_opens_on_the_current_year(tmp_path: Path) -> None:
    target = tmp_path / "modele.xlsx"
    assert main(["modele", "--sortie", str(target)]) == 0
    params = load_workbook(target)[L.SHEET_PARAMETRES]
    assert params[L.PARAMETER_CELLS["annee"]].value == dt.date.today().year


@pytest.mark.parametrize("today, year", [
    (dt.date(2026, 12, 2), 2026),   # not 2029, the last (UNCERTAIN, carried-over) ceiling row
    (dt.date(2027, 1, 1), 2027),
    (dt.date(2031, 6, 30), 2031),   # beyond the last row: the rates carry over, the current year stays
    (dt.date(2019, 5, 1), 2023),    # a clock before the rates' coverage: the first year they cover
])
def test_default_year_is_the_current_year(today: dt.date, year: int) -> None:
    assert build.default_year(today) == year


def _dated_receipts(year: int, dates: list) -> S.Inputs:
    recettes = pd.DataFrame([{"date": d, "categorie": "bnc", "montant": 100.0, "row": L.FIRST_DATA_ROW + i}
                             for i, d in enumerate(dates)])
    for col in L.RECETTES_COLUMNS:
        if col.key not in recettes.columns:
            recettes[col.key] = None
    achats = pd.DataFrame({**{c.key: [] for c in L.ACHATS_COLUMNS}, "row": []})
    return S.Inputs({"activite": "bnc", "annee": year, "date_creation": dt.date(2025, 1, 1)}, recettes, achats)


@pytest.mark.parametrize("year, dates, out, message", [
    # 3 receipts of 2026 in a template left on 2029: 2026 is neither 2029 nor 2028
    (2029, [dt.date(2026, 1, 5), dt.date(2026, 6, 1), dt.date(2026, 12, 31)], 3, "3 recette(s) datée(s) hors de 2028 et 2029"),
    # 2026 receipts in a template on 2027: previous-year CA only, nothing in the displayed year
    (2027, [dt.date(2026, 1, 5), dt.date(2026, 12, 31)], 0, "aucune recette datée de 2027 (les 2 recettes"),
    # the normal case: last year's and this year's receipts
    (2026, [dt.date(2025, 6, 1), dt.date(2026, 1, 1), dt.date(2026, 12, 31)], 0, ""),
    # one euro... one day over: 1 January of the next year is outside
    (2026, [dt.date(2026, 12, 31), dt.date(2027, 1, 1)], 1, "1 recette(s) datée(s) hors de 2025 et 2026"),
    (2026, [], 0, ""),
])
def test_receipts_outside_the_displayed_year_are_flagged(year, dates, out, message) -> None:
    values = S.evaluate(_dated_receipts(year, dates))
    assert values[f"B{S.ROW_OUT_OF_YEAR}"] == out
    check = values[S.KEY_CELLS["controle_annee"]]
    assert (message in check) if message else check == ""
    if message:
        assert check.startswith("Attention : ") and "Paramètres, B10" in check


@pytest.mark.parametrize("path", [TEMPLATE, EXAMPLE], ids=["modele", "exemple"])
def test_shipped_workbooks_carry_a_value_in_every_formula_cell(path: Path) -> None:
    """A viewer that does not compute (phone, Google Drive preview) shows the cached values."""
    today = exemple.TODAY if path == EXAMPLE else build.SHIPPED_DAY  # the day their dashboard was computed for
    expected = S.evaluate(read_books(path).inputs(), today=today)
    sheet = load_workbook(path, data_only=True)[L.SHEET_SYNTHESE]
    formulas = load_workbook(path)[L.SHEET_SYNTHESE]
    cells = S.summary_cells()
    assert len(cells) > 400
    for cell in cells:
        assert str(formulas[cell.ref].value).startswith("="), cell.ref
        shown, value = sheet[cell.ref].value, S.excel_value(expected[cell.ref])
        if isinstance(shown, dt.datetime):
            shown = S.excel_value(shown)
        assert shown == value or (value == "" and shown in ("", None)), (cell.ref, shown, value)
    archive = zipfile.ZipFile(path)
    assert b"fullCalcOnLoad" not in archive.read("xl/workbook.xml")  # viewers keep the cached values


def test_cli_example_carries_values(tmp_path: Path) -> None:
    target = tmp_path / "exemple.xlsx"
    assert main(["modele", "--exemple", "--sortie", str(target)]) == 0
    assert target.read_bytes() == EXAMPLE.read_bytes()
    sheet = load_workbook(target, data_only=True)[L.SHEET_SYNTHESE]
    assert sheet[S.KEY_CELLS["ca_annee"]].value > 0
