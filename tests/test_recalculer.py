"""``xlae recalculer`` end to end: computed copies, report rows, exit codes, inputs untouched."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
from pathlib import Path

import openpyxl
import pytest
from openpyxl.workbook.defined_name import DefinedName

from xlae import cli
from xlae.batch import summary
from xlae.template import standard
from xlae.books import archive as reader
from xlae.books.calamine import read_books
from xlae.template import layout
from xlae.template import synthese as S

CA = S.KEY_CELLS["ca_annee"]
INVALID = S.KEY_CELLS["lignes_invalides"]
PARAMS = {"activite": "bnc", "nature": None, "date_creation": dt.date(2025, 7, 1), "acre": "non",
          "versement_liberatoire": "non", "periodicite": "mensuelle", "zone": "metropole",
          "departement": None, "annee": 2026, "ca_annee_precedente": None}


def make_workbook(path: Path, receipts: list[list], params: dict | None = None,
                  purchases: list[list] | None = None, summary_formulas: dict[str, str] | None = None) -> Path:
    """A workbook following the layout with the summary's formulas (a light stand-in for ``xlae modele``)."""
    values = dict(PARAMS, **(params or {}))
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = layout.SHEET_PARAMETRES
    for name in layout.PARAMETER_NAMES:
        cell = layout.PARAMETER_CELLS[name]
        sheet[cell] = values[name]
        book.defined_names[name] = DefinedName(name, attr_text=layout.parameter_ref(name))
    for title, columns, rows in ((layout.SHEET_RECETTES, layout.RECETTES_COLUMNS, receipts),
                                 (layout.SHEET_ACHATS, layout.ACHATS_COLUMNS, purchases or [])):
        ledger = book.create_sheet(title)
        ledger.append([c.title for c in columns])
        for row in rows:
            ledger.append(row)
    synthese = book.create_sheet(layout.SHEET_SYNTHESE)
    for ref, text in S.static_cells().items():
        synthese[ref] = text
    for cell in S.summary_cells():
        synthese[cell.ref] = cell.formula
        synthese[cell.ref].number_format = cell.number_format
    for ref, formula in (summary_formulas or {}).items():
        synthese[ref] = formula
    book.create_sheet(layout.SHEET_BAREMES)
    book.save(path)
    return path


def receipt(day: str, amount, category: str = "bnc") -> list:
    return [dt.date.fromisoformat(day), "F", "Client", "Prestation", category, amount, "Virement"]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def synthese_values(path: Path) -> dict[str, object]:
    sheet = openpyxl.load_workbook(path, data_only=True)[layout.SHEET_SYNTHESE]
    return {cell.ref: sheet[cell.ref].value for cell in S.summary_cells()}


def test_one_workbook_fast_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = make_workbook(tmp_path / "in" / "client.xlsx" if (tmp_path / "in").mkdir() is None else None, [
        receipt("2026-01-15", 1000), receipt("2026-01-20", 500.5), receipt("2026-03-02", 2000),
        ["pas une date", "F9", "X", "Y", "bnc", 10, "Virement"],
    ])
    before = digest(source)
    out = tmp_path / "out"
    code = cli.main(["recalculer", str(source), "--sortie", str(out), "--date-reference", "10/03/2026"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert digest(source) == before
    values = synthese_values(out / "client.xlsx")
    january = S.MONTH_FIRST
    assert values[CA] == 3500.5                         # 1 000 + 500,50 + 2 000
    assert values[f"G{january}"] == 1500.5              # January: 1 000 + 500,50
    assert values[INVALID] == 1                         # the row with a text date
    assert values[f"H{january}"] == pytest.approx(1500.5 * 0.256, abs=0.005)  # BNC 2026: 25,6 % (rates sheet)
    formulas = openpyxl.load_workbook(out / "client.xlsx")[layout.SHEET_SYNTHESE]
    assert formulas[CA].value == f"=G{S.MONTH_TOTAL}"
    lines = list(csv.reader((out / "rapport.csv").read_text(encoding="utf-8-sig").splitlines(), delimiter=";"))
    assert lines[1][:4] == ["client.xlsx", "bnc", "2026", "3500,50"]
    # Last month with receipts: March 2026, 2 000 × 25,6 % = 512,00 + CFP (libérale) 2 000 × 0,2 % = 4,00,
    # due 30/04/2026. Next due date on 10/03/2026: February's declaration, due 31/03/2026.
    assert lines[0][6:9] == ["Cotisations et contributions de la dernière période (€)",
                             "Échéance de la dernière période", "Prochaine échéance"]
    assert lines[1][6:9] == ["516,00", "30/04/2026", "31/03/2026"]
    assert lines[1][11] == "1"
    assert lines[1][12] == ""
    assert "Prochaine échéance" in captured.out and "31/03/2026" in captured.out
    assert "client.xlsx" in captured.out and "1 classeur recalculé" in captured.out
    assert sorted(p.name for p in out.iterdir()) == ["client.xlsx", "rapport.csv", "rapport.xlsx"]


def test_fast_path_equals_evaluate_on_every_cell(tmp_path: Path) -> None:
    rows = [receipt(f"2026-{m:02d}-10", 100 * m, cat) for m in range(1, 13) for cat in ("vente", "service_bic")]
    source = make_workbook(tmp_path / "mixte.xlsx", rows, {"activite": "vente", "nature": "commerciale"},
                           purchases=[[dt.date(2026, 2, 1), "A1", "Fournisseur", "Stock", 300, "Chèque"]])
    out = tmp_path / "out"
    assert cli.main(["recalculer", str(source), "--sortie", str(out)]) == 0
    expected = summary.evaluate_standard(read_books(source))
    written = synthese_values(out / "mixte.xlsx")
    for ref, value in expected.items():
        got = written[ref]
        if isinstance(value, dt.date):
            assert got.date() == value, ref
        elif value == "":
            assert got in ("", None), ref
        else:
            assert got == value, ref
    assert written[CA] == 15600                       # (1 + … + 12) × 100 × 2 = 15 600
    assert written[f"H{S.QUARTER_TOTAL}"] == 300


def test_batch_with_unreadable_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "clients"
    folder.mkdir()
    make_workbook(folder / "a.xlsx", [receipt("2026-02-01", 1200)])
    make_workbook(folder / "b.xlsx", [receipt("2026-05-01", 800, "service_bic")], {"activite": "service_bic"})
    (folder / "chiffre.xlsx").write_bytes(reader.CFB_MAGIC + b"\0" * 1024)
    (folder / "vieux.xls").write_bytes(reader.CFB_MAGIC + b"\0" * 1024)
    (folder / "casse.xlsx").write_bytes(b"PK\x03\x04 pas vraiment un zip")
    book = openpyxl.Workbook()
    book.active.title = layout.SHEET_RECETTES
    book.save(folder / "autre.xlsx")
    hashes = {p.name: digest(p) for p in folder.iterdir()}
    out = tmp_path / "sortie"
    code = cli.main(["recalculer", str(folder), "--sortie", str(out), "--jobs", "2"])
    captured = capsys.readouterr()
    assert code == 1
    assert {p.name: digest(p) for p in folder.iterdir()} == hashes
    assert sorted(p.name for p in out.iterdir()) == ["a.xlsx", "b.xlsx", "rapport.csv", "rapport.xlsx"]
    report = openpyxl.load_workbook(out / "rapport.xlsx")["Rapport"]
    rows = {r[0]: r for r in report.iter_rows(min_row=2, values_only=True)}
    assert rows["a.xlsx"][3] == 1200 and rows["a.xlsx"][12] is None
    assert rows["b.xlsx"][1] == "service_bic" and rows["b.xlsx"][3] == 800
    assert "chiffré" in rows["chiffre.xlsx"][12]
    assert "ancien format Excel 97-2003" in rows["vieux.xls"][12]
    assert "corrompue" in rows["casse.xlsx"][12]
    assert "feuilles « Paramètres », « Achats », « Synthèse » absentes" in rows["autre.xlsx"][12]
    assert "Échec : " in captured.err and "4 classeurs" not in captured.out
    assert "2 classeurs recalculés, 4 en échec" in captured.out


def test_customised_summary_refused_by_the_python_engine(tmp_path: Path) -> None:
    source = make_workbook(tmp_path / "perso.xlsx", [receipt("2026-01-05", 100)],
                           summary_formulas={CA: "=G71*2"})
    with reader.open_archive(source) as archive:
        package = reader.package_of(archive)
        from xlae.batch import xlsx
        found = xlsx.formula_cells(archive.read(package.sheets[layout.SHEET_SYNTHESE]))
    assert standard.differences(found) == [CA]
    code = cli.main(["recalculer", str(source), "--sortie", str(tmp_path / "out"), "--moteur", "python"])
    assert code == 1
    line = (tmp_path / "out" / "rapport.csv").read_text(encoding="utf-8-sig").splitlines()[1]
    assert f"synthèse personnalisée (formules modifiées : {CA})" in line
    assert not (tmp_path / "out" / "perso.xlsx").exists()


def test_formula_spelling_does_not_count_as_customised() -> None:
    """Excel may re-save functions in another case and quote sheet names: still standard."""
    import re

    respelled = {c.ref: re.sub(r"([A-Z_]+)\(", lambda m: "_xlfn." + m.group(1).lower() + "(", c.formula)
                 .replace("Recettes!", "'Recettes'!") for c in S.summary_cells()}
    assert standard.differences(respelled) == []
    assert standard.normalise("=_xlfn.IFERROR('Recettes'!A1,\"x\")") == 'IFERROR(RECETTES!A1,"x")'
    assert standard.normalise('=IF(A1="bnc","oui","non")') == 'IF(A1="bnc","oui","non")'
    with_extra = dict(respelled, Z99="=1+1")
    assert standard.differences(with_extra) == ["Z99"]
    assert standard.differences({k: v for k, v in respelled.items() if k != S.KEY_CELLS["statut_plafond"]}) == [
        S.KEY_CELLS["statut_plafond"]]


@pytest.mark.parametrize("args, message", [
    (["recalculer", "absent.xlsx"], "« absent.xlsx » n'existe pas"),
    (["recalculer", "--jobs", "0", "x.xlsx"], None),
])
def test_bad_usage_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                          args: list[str], message: str | None) -> None:
    monkeypatch.chdir(tmp_path)
    if message is None:
        with pytest.raises(SystemExit) as exit_info:
            cli.main(args)
        assert exit_info.value.code == 2
        assert "au moins 1 processus" in capsys.readouterr().err
        return
    assert cli.main(args) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "recalcule").exists()


def test_unwritable_output_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = make_workbook(tmp_path / "c.xlsx", [receipt("2026-01-05", 100)])
    blocker = tmp_path / "fichier"
    blocker.write_text("je suis un fichier")
    assert cli.main(["recalculer", str(source), "--sortie", str(blocker)]) == 2
    assert "« " + str(blocker) + " » est un fichier, pas un dossier" in capsys.readouterr().err
    assert cli.main(["recalculer", str(source), "--sortie", str(blocker / "sous-dossier")]) == 2
    assert "impossible d'écrire dans le dossier" in capsys.readouterr().err
    assert cli.main(["recalculer", str(source), "--sortie", str(tmp_path)]) == 2
    assert "l'écraserait" in capsys.readouterr().err
    assert blocker.read_text() == "je suis un fichier"


def test_default_output_folder_and_name_collisions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for folder in ("x", "y"):
        (tmp_path / folder).mkdir()
        make_workbook(tmp_path / folder / "client.xlsx", [receipt("2026-01-05", 100 if folder == "x" else 200)])
    monkeypatch.chdir(tmp_path)
    assert cli.main(["recalculer", "x/client.xlsx", "y", "--jobs", "1"]) == 0
    assert synthese_values(tmp_path / "recalcule" / "client.xlsx")[CA] == 100
    assert synthese_values(tmp_path / "recalcule" / "client-2.xlsx")[CA] == 200


def test_formulas_engine_agrees_with_the_fast_path_on_the_template(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """The real template (``xlae.template.build``), customised in one cell: ``auto`` sends it to the
    ``formulas`` engine, whose values must equal the fast path's on every other summary cell.
    The customisation is said (issue 14: it used to be reported as fine): a « Remarque » in the
    report and on the terminal, exit code 0."""
    from xlae.template import build

    book = build.build_workbook({"activite": "service_bic", "nature": "artisanale", "annee": 2026,
                                 "date_creation": dt.date(2025, 9, 15), "acre": "oui"})
    build.fill_ledger(book, layout.SHEET_RECETTES, [
        {"date": dt.date(2026, m, 3), "reference": f"F{m}", "categorie": "service_bic", "montant": 900.0 + m}
        for m in (1, 2, 4, 7, 11)] + [{"date": "03/05/2026", "categorie": "service_bic", "montant": 50.0}])
    standard = tmp_path / "standard.xlsx"
    standard.write_bytes(build.workbook_bytes(book))
    book[layout.SHEET_SYNTHESE][S.KEY_CELLS["annee"]] = "=annee+0"  # same value, another formula
    custom = tmp_path / "perso.xlsx"
    custom.write_bytes(build.workbook_bytes(book))
    out = tmp_path / "out"
    assert cli.main(["recalculer", str(standard), str(custom), "--sortie", str(out), "--jobs", "2"]) == 0
    fast, engine = synthese_values(out / "standard.xlsx"), synthese_values(out / "perso.xlsx")
    assert engine[S.KEY_CELLS["annee"]] == 2026
    assert fast[CA] == 4525                             # 901 + 902 + 904 + 907 + 911
    assert fast[INVALID] == 1                           # the date typed as text
    differ = {ref: (fast[ref], engine[ref]) for ref in fast if fast[ref] != engine[ref]
              and not (fast[ref] in ("", None) and engine[ref] in ("", None))}
    assert differ == {}
    report = openpyxl.load_workbook(out / "rapport.xlsx")["Rapport"]
    rows = [r for r in report.iter_rows(min_row=2, values_only=True)]
    assert rows[0][:4] == ("standard.xlsx", "service_bic", 2026, 4525)
    assert rows[1][0] == "perso.xlsx"
    assert rows[1][1:-1] == rows[0][1:-1]  # the report reads the same figures from both engines
    remark = (f"Synthèse personnalisée : 1 formule(s) différente(s) du modèle ({S.KEY_CELLS['annee']}), évaluée(s) "
              "telle(s) quelle(s) par le moteur « formules » ; vérifiez ses chiffres.")
    assert rows[0][-1] is None and rows[1][-1] == remark
    assert f"Remarque : {custom} — {remark}" in capsys.readouterr().out


def test_a_ledger_of_another_year_than_the_displayed_one_is_reported(tmp_path: Path, capsys) -> None:
    # 2026 receipts in a template left on 2029: the Synthèse shows 0 €, the workbook must not pass.
    source = make_workbook(tmp_path / "ancienne-annee.xlsx", [receipt("2026-03-02", 1200.0),
                                                              receipt("2026-11-30", 800.0)], {"annee": 2029})
    out = tmp_path / "out"
    assert cli.main(["recalculer", str(source), "--sortie", str(out), "--sans-progression"]) == 1
    printed = capsys.readouterr()
    assert "2 recette(s) datée(s) hors de 2028 et 2029" in printed.out + printed.err
    copy = openpyxl.load_workbook(out / source.name, data_only=True)[layout.SHEET_SYNTHESE]
    assert copy[S.KEY_CELLS["controle_annee"]].value.startswith("Attention : 2 recette(s)")
    # The same ledger on its own year passes.
    good = make_workbook(tmp_path / "bonne-annee.xlsx", [receipt("2026-03-02", 1200.0)], {"annee": 2026})
    assert cli.main(["recalculer", str(good), "--sortie", str(tmp_path / "out2"), "--sans-progression"]) == 0


def test_a_customised_summary_between_standard_ones_in_one_process(tmp_path: Path) -> None:
    """The Synthèse work remembered from standard workbooks (same sheet XML) never leaks into a
    customised one, nor the reverse: one worker, standard / customised / standard."""
    folder = tmp_path / "lot"
    folder.mkdir()
    make_workbook(folder / "a.xlsx", [receipt("2026-01-05", 100)])
    make_workbook(folder / "b.xlsx", [receipt("2026-01-05", 200)], summary_formulas={CA: "=G71*2"})
    make_workbook(folder / "c.xlsx", [receipt("2026-01-05", 300)])
    out = tmp_path / "out"
    assert cli.main(["recalculer", str(folder), "--sortie", str(out), "--jobs", "1", "--moteur", "python"]) == 1
    assert synthese_values(out / "a.xlsx")[CA] == 100
    assert synthese_values(out / "c.xlsx")[CA] == 300
    assert not (out / "b.xlsx").exists()
    lines = (out / "rapport.csv").read_text(encoding="utf-8-sig").splitlines()[1:]
    assert [line.split(";")[0] for line in lines] == ["a.xlsx", "b.xlsx", "c.xlsx"]
    assert f"synthèse personnalisée (formules modifiées : {CA})" in lines[1]
    assert "personnalisée" not in lines[0] + lines[2]
