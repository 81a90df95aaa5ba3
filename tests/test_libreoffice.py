"""LibreOffice Calc (headless) recalculates the filled template: every native formula agrees.

A user without xlwings sees what LibreOffice shows: the native cells (ledger
sums, counts of invalid rows, quarterly totals…) must compute the same values as
``synthese.evaluate`` and never an error; the AE_* cells and those that read them
(found from the formulas, not listed by hand) show #NAME? and are left out.
LibreOffice counts TRUE as the number 1 (Excel does not), so this ledger has no
boolean cell. CI installs LibreOffice (.ci/run).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook

from libreoffice import convert
from xlae.books.calamine import read_books
from xlae.template import generer, layout as L, synthese as S

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("libreoffice")
    ledgers = generer.sample(seed=11, rows=400, creation=dt.date(2025, 9, 20), quiet_months=(2, 8),
                             categories=("bnc", "vente", "service_bic", "bnc_cipav"))
    source = folder / "rempli.xlsx"
    source.write_bytes(generer.workbook_bytes(ledgers))
    out = convert(source, folder, out=folder / "out")
    sheet = load_workbook(out / "rempli.xlsx", data_only=True)[L.SHEET_SYNTHESE]
    return ledgers, sheet, S.evaluate(read_books(source).inputs())


def _value(cell_value: object) -> object:
    if isinstance(cell_value, dt.datetime):
        return S.excel_value(cell_value)
    return cell_value


def test_every_native_formula_agrees_and_shows_no_error(recalculated) -> None:
    _, sheet, python = recalculated
    dependent = S.ae_dependent_refs()
    native = [c for c in S.summary_cells() if c.ref not in dependent]
    assert len(native) > 150
    diffs = {}
    for cell in native:
        shown = _value(sheet[cell.ref].value)
        assert not (isinstance(shown, str) and shown.startswith("#")), f"{cell.ref} : {shown}"
        expected = S.excel_value(python[cell.ref])
        same = (expected == shown or (expected == "" and shown is None)
                or (isinstance(expected, float) and isinstance(shown, (int, float)) and abs(expected - shown) < 1e-9))
        if not same:
            diffs[cell.ref] = (expected, shown)
    assert diffs == {}


def test_every_cell_is_native(recalculated) -> None:
    # Without any add-in every figure shows: no AE_* cell is left out of the comparison above.
    _, sheet, _ = recalculated
    assert S.ae_dependent_refs() == set()
    assert all(sheet[c.ref].value != "#NAME?" for c in S.summary_cells())


def test_invalid_rows_counted_by_libreoffice(recalculated) -> None:
    ledgers, sheet, _ = recalculated
    # 5 planted problem rows (text date, text amount, unknown category, negative, client only) + 1 empty row;
    # purchases: 2 rows to fix + 1 empty row.
    assert sheet[f"B{S.ROW_CHECKS + 1}"].value == ledgers.invalid["recettes_a_corriger"] == 5
    assert sheet[f"B{S.ROW_CHECKS + 5}"].value == 1
    assert sheet[f"B{S.ROW_INVALID_TOTAL}"].value == 5 + 1 + 2 + 1
