"""Ledger rows covered by the summary: ``xlae modele --lignes N`` and the batch reading N back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from xlae import cli, formules
from xlae.books.calamine import read_books
from xlae.template import build, layout as L, standard, synthese as S
from xlae.template.coverage import covered_rows

PARAMS = {"activite": "bnc", "nature": "liberale", "date_creation": dt.date(2025, 7, 1), "annee": 2026,
          "periodicite": "mensuelle"}
CA = S.KEY_CELLS["ca_annee"]


def workbook(path: Path, rows: int, receipts: int, amount: float = 10.0) -> Path:
    """Template generated for ``rows`` ledger rows, ``receipts`` receipts of ``amount`` in January 2026."""
    book = build.build_workbook(PARAMS, rows)
    build.fill_ledger(book, L.SHEET_RECETTES, [
        {"date": dt.date(2026, 1, 1 + i % 28), "reference": f"F{i:04d}", "client": "Client", "categorie": "bnc",
         "montant": amount, "mode": "Virement"} for i in range(receipts)])
    build.fill_ledger(book, L.SHEET_ACHATS, [
        {"date": dt.date(2026, 2, 3), "reference": "A1", "fournisseur": "F", "montant": 99.0, "mode": "Chèque"}])
    path.write_bytes(build.workbook_bytes(book))
    return path


def summary_values(path: Path) -> dict:
    sheet = openpyxl.load_workbook(path, data_only=True)[L.SHEET_SYNTHESE]
    return {cell.ref: sheet[cell.ref].value for cell in S.summary_cells()}


def test_formulas_cover_exactly_the_rows_asked() -> None:
    cells = {c.ref: c.formula for c in S.summary_cells(50)}
    default = {c.ref: c.formula for c in S.summary_cells()}
    assert cells.keys() == default.keys()
    # Only the ledger ranges change: row 10 001 (= 2 + 10 000 − 1) becomes row 51 (= 2 + 50 − 1).
    assert {ref: f.replace("$10001", "$51") for ref, f in default.items()} == cells
    assert "Recettes!$A$2:$A$51" in cells["C61"] and "$10001" not in "".join(cells.values())
    assert covered_rows(cells) == 50
    assert covered_rows(default) == L.MAX_ROWS
    assert covered_rows({}) == L.MAX_ROWS
    # 73 formulas read the ledgers: 67 + the 4 previous-year CA cells of a first declaration (W74:Z74)
    # + the year check (B58 count, C2 sentence).
    assert standard.differences(cells, 50) == [] and len(standard.differences(cells)) == 73


def test_generator_formats_and_validations_follow_the_rows() -> None:
    sheet = build.build_workbook(rows=200)[L.SHEET_RECETTES]
    areas = {str(dv.sqref) for dv in sheet.data_validations.dataValidation}
    assert {"A2:A201", "F2:F201", "G2:G201", "E2:E201"} <= areas  # 2 + 200 − 1 = 201
    assert [str(r.sqref) for r in sheet.conditional_formatting] == ["A2:I201"]


@pytest.mark.parametrize("value", [0, -3, 2_000_000, True, "50", 1.5])
def test_bad_row_counts_are_refused(value: object) -> None:
    with pytest.raises(Exception, match="lignes : .* refusé ; un nombre entier de lignes de 1 à 1048575"):
        S.summary_cells(value)  # type: ignore[arg-type]


def test_evaluate_leaves_out_rows_below_the_covered_range(tmp_path: Path) -> None:
    path = workbook(tmp_path / "c.xlsx", 50, 60)
    inputs = read_books(path).inputs()
    assert len(inputs.recettes) == 60  # read all, rows 2..61
    assert S.evaluate(inputs, 50)[CA] == 500.0         # rows 2..51 only: 50 × 10 = 500
    assert S.evaluate(inputs, 60)[CA] == 600.0         # 60 × 10 = 600
    assert S.evaluate(inputs)[CA] == 600.0


def test_rows_beyond_a_small_template_are_flagged(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = workbook(tmp_path / "petit.xlsx", 50, 60)
    out = tmp_path / "out"
    assert cli.main(["recalculer", str(source), "--sortie", str(out), "--sans-progression"]) == 1
    captured = capsys.readouterr()
    # rows 52..61 hold receipts; 61 − 2 + 1 = 60 rows needed
    assert ("copie écrite, mais 10 ligne(s) de la feuille « Recettes » au-delà de la ligne 51 : la Synthèse ne "
            "les compte pas (ses formules couvrent les lignes 2 à 51, classeur créé pour 50 lignes) ; créez un "
            "classeur plus grand avec « xlae modele --lignes N » (N au moins 60) et recopiez-y vos lignes."
            ) in captured.err
    values = summary_values(out / "petit.xlsx")
    assert values[CA] == 500.0                          # what the workbook's own formulas count: 50 × 10
    assert values[f"H{S.QUARTER_TOTAL}"] == 99.0
    formulas = openpyxl.load_workbook(out / "petit.xlsx")[L.SHEET_SYNTHESE]
    assert "$A$2:$A$51" in formulas["C61"].value       # still the workbook's own formulas


def test_template_for_200_rows_is_standard_and_matches_the_engine(tmp_path: Path) -> None:
    source = workbook(tmp_path / "moyen.xlsx", 200, 150, amount=12.34)
    before = source.read_bytes()
    out = tmp_path / "out"
    assert cli.main(["recalculer", str(source), "--sortie", str(out), "--moteur", "python",
                     "--sans-progression"]) == 0  # python refuses customised summaries: this one is standard
    fast = summary_values(out / "moyen.xlsx")
    assert fast[CA] == pytest.approx(1851.0)            # 150 × 12,34 = 1 851,00
    engine = formules.evaluate_with_formulas(source)
    python = S.evaluate(read_books(source).inputs(), 200)
    differ = {}
    for cell in S.summary_cells(200):
        mine, theirs = S.excel_value(python[cell.ref]), engine.get(f"{L.SHEET_SYNTHESE}!{cell.ref}")
        same = (abs(mine - theirs) < 1e-9 if isinstance(mine, float) and isinstance(theirs, (int, float))
                else mine == theirs or (mine == "" and theirs is None))
        if not same:
            differ[cell.ref] = (mine, theirs)
    assert differ == {}
    assert python[CA] == fast[CA]
    # The engine's trimmed copy (ranges cut at row 151, the last receipt) gives the full ranges' values.
    full = formules.evaluate_with_formulas(source, trim=False)
    summary_refs = [f"{L.SHEET_SYNTHESE}!{c.ref}" for c in S.summary_cells(200)]
    assert {ref: engine.get(ref) for ref in summary_refs} == {ref: full.get(ref) for ref in summary_refs}
    assert source.read_bytes() == before  # the user's file is only read


def test_trimmed_copy_keeps_customised_formulas(tmp_path: Path) -> None:
    from xlae.batch import xlsx
    import zipfile

    source = workbook(tmp_path / "perso.xlsx", 200, 3)
    book = openpyxl.load_workbook(source)
    book[L.SHEET_SYNTHESE]["C61"] = "=SUMPRODUCT((Recettes!$A$2:$A$201=\"\")*1)"  # counts blank rows
    book.save(source)
    (tmp_path / "tmp").mkdir()
    copy = formules._trimmed_copy(source, tmp_path / "tmp")
    with zipfile.ZipFile(copy) as archive:
        found = xlsx.formula_cells(archive.read(xlsx.read_package(archive).sheets[L.SHEET_SYNTHESE]))
    assert found["C61"] == 'SUMPRODUCT((Recettes!$A$2:$A$201="")*1)'  # customised: untouched
    assert "Recettes!$A$2:$A$4" in found["D61"]                           # standard: rows 2..4 (3 receipts)
    assert "Achats!$A$2:$A$2" in found["H77"]                             # 1 purchase: row 2
    values = formules.evaluate_with_formulas(source)
    assert values[f"{L.SHEET_SYNTHESE}!C61"] == 197                      # 200 rows − 3 receipts


def test_modele_cli_lignes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "m.xlsx"
    assert cli.main(["modele", "--sortie", str(target), "--lignes", "300"]) == 0
    assert "sur 300 lignes" in capsys.readouterr().out
    sheet = openpyxl.load_workbook(target)[L.SHEET_SYNTHESE]
    assert "Recettes!$F$2:$F$301" in sheet["C61"].value  # 2 + 300 − 1 = 301
    for bad, message in (("0", "0 refusé : de 1 à 1048575 lignes"), ("beaucoup", "n'est pas un nombre entier")):
        with pytest.raises(SystemExit) as exit_info:
            cli.main(["modele", "--sortie", str(tmp_path / "x.xlsx"), "--lignes", bad])
        assert exit_info.value.code == 2
        assert message in capsys.readouterr().err
    assert not (tmp_path / "x.xlsx").exists()
