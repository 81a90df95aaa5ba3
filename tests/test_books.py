"""The books model: refused files with a French reason, named parameters, ledgers, the same rows everywhere."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.workbook.defined_name import DefinedName

from test_verifier_support import D, make_book, receipt

from libreoffice import convert
from xlae.books import archive as reader
from xlae.books.calamine import read_books
from xlae.books.model import position
from xlae.cli import main
from xlae.errors import XlaeError
from xlae.template import layout


def _layout_workbook(path: Path, receipts: list[list], drop: str | None = None) -> None:
    """A bare workbook following the layout contract (not the real template)."""
    book = openpyxl.Workbook()
    params = book.active
    params.title = layout.SHEET_PARAMETRES
    values = {"activite": "bnc", "nature": None, "date_creation": dt.date(2025, 7, 1), "acre": "non",
              "versement_liberatoire": "non", "periodicite": "mensuelle", "zone": "metropole",
              "departement": "75", "annee": 2026, "ca_annee_precedente": 12000}
    for row, name in enumerate(layout.PARAMETER_NAMES, start=2):
        params.cell(row, 1, name)
        params.cell(row, 2, values[name])
        book.defined_names[name] = DefinedName(name, attr_text=f"'{layout.SHEET_PARAMETRES}'!$B${row}")
    for title, columns, rows in ((layout.SHEET_RECETTES, layout.RECETTES_COLUMNS, receipts),
                                 (layout.SHEET_ACHATS, layout.ACHATS_COLUMNS, [])):
        sheet = book.create_sheet(title)
        sheet.append([c.title for c in columns])
        for line in rows:
            sheet.append(line)
    book.create_sheet(layout.SHEET_SYNTHESE)["A1"] = "Synthèse"
    if drop:
        del book[drop]
    book.save(path)


def test_parameters_and_ledger_are_read_raw(tmp_path: Path) -> None:
    path = tmp_path / "c.xlsx"
    _layout_workbook(path, [
        [dt.date(2026, 1, 5), "F1", "Client A", "Site web", "bnc", 1500, "Virement"],
        [None] * 9,  # empty row in the middle: kept, the summary decides
        ["12/02/2026", "F2", "Client B", "Conseil", "bnc", "abc", "Espèces", "montant en texte"],
        [None] * 9, [None] * 9,  # trailing empty rows: dropped
    ])
    ledgers = read_books(path).inputs()
    assert ledgers.parametres["activite"] == "bnc"
    assert ledgers.parametres["nature"] is None
    assert ledgers.parametres["date_creation"] == dt.date(2025, 7, 1)
    assert ledgers.parametres["annee"] == 2026
    frame = ledgers.recettes
    assert list(frame.columns) == [c.key for c in layout.RECETTES_COLUMNS] + ["row"]
    assert list(frame["row"]) == [2, 3, 4]
    assert frame.loc[0, "montant"] == 1500
    assert frame.loc[0, "date"] == dt.date(2026, 1, 5)
    assert frame.loc[1, "montant"] is None
    assert frame.loc[2, "montant"] == "abc"
    assert frame.loc[2, "observations"] == "montant en texte"
    assert frame.loc[0, "cle_import"] is None
    assert len(ledgers.achats) == 0
    assert list(ledgers.achats.columns) == [c.key for c in layout.ACHATS_COLUMNS] + ["row"]


def test_a_large_workbook_read_during_its_check_gives_the_same_books(tmp_path: Path, monkeypatch) -> None:
    """``books.calamine.opened`` lets calamine read a large workbook while expat checks its parts: the
    books are those of the reading after the check (here every workbook counts as large)."""
    from xlae.books import calamine

    path = tmp_path / "c.xlsx"
    _layout_workbook(path, [[dt.date(2026, 1, 5), "F1", "Client A", "Site web", "bnc", 1500, "Virement"],
                            ["12/02/2026", "F2", "Client B", "Conseil", "bnc", "abc", "Espèces"]])
    after = read_books(path)
    monkeypatch.setattr(calamine, "OVERLAP_BYTES", 0)
    early = []
    real = calamine._EarlyRead.grids
    monkeypatch.setattr(calamine._EarlyRead, "grids", lambda self: early.append(self.sheets) or real(self))
    during = read_books(path)
    assert early == [[layout.SHEET_PARAMETRES, layout.SHEET_RECETTES, layout.SHEET_ACHATS]]
    assert during.grids == after.grids and during.formulas == after.formulas
    assert during.parametres == after.parametres


@pytest.mark.parametrize("name, content, reason", [
    ("vide.xlsx", b"", "fichier vide"),
    ("texte.xlsx", b"date;montant\n2026-01-01;100\n", "pas un classeur Excel .xlsx"),
    ("chiffre.xlsx", reader.CFB_MAGIC + b"\0" * 504, "chiffré"),
    ("ancien.xls", reader.CFB_MAGIC + b"\0" * 504, "ancien format Excel 97-2003"),
    ("chiffre-renomme.xls", reader.CFB_MAGIC + b"\0" * 100 + "EncryptionInfo".encode("utf-16-le"), "chiffré"),
    ("tronque.xlsx", b"PK\x03\x04" + b"\0" * 200, "archive .xlsx corrompue"),
])
def test_unreadable_files_have_a_french_reason(tmp_path: Path, name: str, content: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(reader.UnreadableWorkbook, match=reason):
        reader.open_archive(path)


def test_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "archive.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("notes.txt", "bonjour")
    with pytest.raises(reader.UnreadableWorkbook, match="parties xlsx absentes"):
        reader.open_archive(path)


def test_missing_sheet_is_named(tmp_path: Path) -> None:
    path = tmp_path / "sans-achats.xlsx"
    _layout_workbook(path, [], drop=layout.SHEET_ACHATS)
    with reader.open_archive(path) as archive, pytest.raises(reader.UnreadableWorkbook) as error:
        reader.package_of(archive)
    assert "feuille « Achats » absente" in str(error.value)
    assert "« Paramètres », « Recettes », « Synthèse »" in str(error.value)


def test_missing_defined_name_is_named(tmp_path: Path) -> None:
    path = tmp_path / "sans-nom.xlsx"
    _layout_workbook(path, [])
    book = openpyxl.load_workbook(path)
    del book.defined_names["periodicite"]
    book.save(path)
    with pytest.raises(XlaeError, match="le nom défini « periodicite » \\(cellule de paramètre\\) est absent"):
        read_books(path).parametres


def test_position() -> None:
    assert position("A1") == (0, 0)
    assert position("B2") == (1, 1)
    assert position("AA10") == (9, 26)  # AA = 26 × 1 + 1 = 27th column


# --- The same answer everywhere (issue 11, issue 14 item 6) ----------------------------------------


SENTINEL = 12345.678  # a number no test row holds, replaced in the sheet XML by the hostile value


def _patched(path: Path, raw: bytes) -> Path:
    """``path`` with the cell holding ``SENTINEL`` set to ``raw`` in the sheet XML (NaN, 3000000, 1e30…)."""
    patched = path.with_name("hostile.xlsx")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(patched, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                data = data.replace(f"<v>{SENTINEL}</v>".encode(), b"<v>" + raw + b"</v>")
            out.writestr(info, data)
    return patched


def _three_answers(tmp_path: Path, path: Path, capsys, periode: str = "2026-03") -> tuple[str, str, str]:
    """(verifier's output, recalculer's report line, declaration's error) for the same workbook."""
    main(["verifier", str(path)])
    verifier = capsys.readouterr().out
    out = tmp_path / "sortie"
    main(["recalculer", str(path), "--sortie", str(out)])
    capsys.readouterr()
    report = (out / "rapport.csv").read_text(encoding="utf-8-sig").splitlines()[1]
    main(["declaration", str(path), "--periode", periode])
    declaration = capsys.readouterr().err
    return verifier, report, declaration


def test_invalid_activite_is_refused_with_the_same_words_by_every_command(tmp_path: Path, capsys) -> None:
    path = make_book(tmp_path / "livre.xlsx", params={"activite": "pizza"},
                     recettes=[receipt(D("2026-03-05"), "F1", 1000)])
    verifier, report, declaration = _three_answers(tmp_path, path, capsys)
    message = "activite : valeur « pizza » refusée"
    # Before: recalculer wrote the copy and reported nothing about B2 beyond the Synthèse's own cells.
    assert f"Paramètres, ligne 2, colonne B : {message}" in verifier
    assert f"Paramètres!B2 : {message}" in report
    assert f"Paramètres!B2 : {message}" in declaration


@pytest.mark.parametrize("column, raw, verifier_says", [
    ("date", b"NaN", "date « nan » invalide : hors du calendrier"),
    ("date", b"3000000", "date « 3000000 » invalide : hors du calendrier d'Excel"),
    ("montant", b"1e30", "trop grand"),
    ("montant", b"NaN", "montant non numérique"),
    ("montant", b"INF", "montant non numérique"),
])
def test_unusable_number_is_an_invalid_line_for_every_command(tmp_path: Path, capsys, column: str, raw: bytes,
                                                               verifier_says: str) -> None:
    rows = [receipt(D("2026-03-02"), "F1", 1000), receipt(D("2026-03-05"), "F2", 500)]
    rows[1][column] = SENTINEL
    path = _patched(make_book(tmp_path / "livre.xlsx", recettes=rows), raw)
    letter = "A" if column == "date" else "F"
    verifier, report, declaration = _three_answers(tmp_path, path, capsys)
    # Before: a NaN or out-of-range date was dropped (« Lignes invalides 0 »), 1e30 a traceback.
    assert f"Recettes, ligne 3, colonne {letter}" in verifier and verifier_says in verifier, verifier
    assert f"Recettes!{letter}3 : " in report and verifier_says in report, report
    assert "ligne 3 : " in declaration and verifier_says in declaration, declaration
    assert "Traceback" not in declaration


def test_formula_in_a_ledger_cell_is_read_as_a_formula(tmp_path: Path) -> None:
    path = make_book(tmp_path / "livre.xlsx", recettes=[receipt(D("2026-03-05"), "F1", "=100*2")])
    books = read_books(path)
    assert books.rows(layout.SHEET_RECETTES)[0].get("montant") == "=100*2"   # strict reading: refused
    assert books.frame(layout.SHEET_RECETTES).loc[0, "montant"] is None       # no cached value: not counted


# --- The commands that write touch only the sheets they change (issue 15) ------------------------

def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _closable(tmp_path: Path) -> Path:
    return make_book(tmp_path / "livre.xlsx", rows=50, recettes=[
        receipt(D("2026-03-02"), "F2026-001", 1200), receipt(D("2026-03-20"), "F2026-002", 800.5),
        receipt(D("2026-04-02"), "F2026-003", 300)])


def test_closing_changes_only_the_closing_sheet_and_its_entries(tmp_path: Path, capsys) -> None:
    path = _closable(tmp_path)
    before, size = _members(path), path.stat().st_size
    assert main(["cloturer", str(path), "--periode", "2026-03"]) == 0
    after = _members(path)
    changed = {name for name in after if before.get(name) != after[name]}
    # A new hidden sheet: its part, workbook.xml (the <sheet> entry), its relationship and content type.
    assert changed == {"xl/worksheets/sheet6.xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                       "[Content_Types].xml"}, changed
    # Before: openpyxl rewrote every part (388 KB → 1.09 MB at 10 000 rows); now the file grows by the new
    # sheet only: 3 rows of fingerprints, under 3 KB compressed.
    assert path.stat().st_size - size < 3_000, path.stat().st_size - size
    assert main(["cloturer", str(path), "--periode", "2026-04"]) == 0  # the sheet exists: only it changes
    again = _members(path)
    assert {name for name in again if after.get(name) != again[name]} == {"xl/worksheets/sheet6.xml"}
    capsys.readouterr()
    assert main(["verifier", str(path)]) == 0


def test_import_changes_only_the_receipts_sheet_and_libreoffice_reads_it(tmp_path: Path, capsys) -> None:
    import openpyxl

    path = _closable(tmp_path)
    releve = tmp_path / "releve.csv"
    releve.write_text("Date;Libellé;Débit;Crédit\n10/05/2026;VIR SEPA CLIENT X FACTURE F2026-004;;1 234,56\n"
                      "12/05/2026;VIR =WEBSERVICE(\"x\") & <b>;;99,9\n", encoding="utf-8")
    before = _members(path)
    assert main(["importer", str(releve), "--classeur", str(path), "--appliquer"]) == 0
    after = _members(path)
    # The receipts, and workbook.xml asking the spreadsheet to recompute the Synthèse at opening.
    assert {name for name in after if before.get(name) != after[name]} == {"xl/worksheets/sheet2.xml",
                                                                           "xl/workbook.xml"}
    assert b'fullCalcOnLoad="1"' in after["xl/workbook.xml"]
    # The rows as a spreadsheet reads them: openpyxl, and LibreOffice converting the file.
    ws = openpyxl.load_workbook(path)[layout.SHEET_RECETTES]
    assert [ws[f"{c}5"].value for c in "AF"] == [dt.datetime(2026, 5, 10), 1234.56]
    assert ws["A5"].number_format.upper() == "DD/MM/YYYY" and ws["F6"].value == 99.9  # the template's formats
    assert ws["H6"].value.startswith("Relevé : VIR =WEBSERVICE") and ws["F6"].data_type == "n"
    out = convert(path, tmp_path)
    converted = openpyxl.load_workbook(out / path.name)[layout.SHEET_RECETTES]
    assert [converted[f"{c}5"].value for c in "ABF"] == [dt.datetime(2026, 5, 10), "F2026-004", 1234.56]
    assert converted["F6"].value == 99.9


@pytest.mark.parametrize("value, problem", [
    (dt.datetime(1899, 12, 30), "date du 30/12/1899 avant le 01/01/1900"),  # a NaN in a date-styled cell (calamine)
    (dt.time(0, 0), "date"),                                                # 0 or -5 in a date-styled cell
    (3_000_000.0, "hors du calendrier d'Excel"),
    (float("nan"), "hors du calendrier d'Excel"),
])
def test_a_date_no_year_counts_is_invalid(value, problem) -> None:
    from xlae.books.cells import cell_date, lenient_date

    date, found = cell_date(value)
    assert date is None and problem in found
    assert lenient_date(value) is None  # nor sorted into any period


def test_mismatched_tag_in_a_ledger_is_refused_by_every_command(tmp_path: Path, capsys) -> None:
    path = make_book(tmp_path / "livre.xlsx", recettes=[receipt(D("2026-03-02"), "F2026-001", 1200),
                                                        receipt(D("2026-03-05"), "F2026-002", 800)])
    broken = tmp_path / "casse.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(broken, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet2.xml":
                data = data.replace(b"F2026-002</t>", b"F2026-002</x>", 1)
            out.writestr(info, data)
    releve = tmp_path / "releve.csv"
    releve.write_text("Date;Libellé;Débit;Crédit\n10/05/2026;VIR CLIENT;;100\n", encoding="utf-8")
    # Before: calamine read on, gluing the cells (reference « F2026-002Client SA », client empty).
    for args in (["verifier", str(broken)], ["declaration", str(broken), "--periode", "2026-03"],
                 ["importer", str(releve), "--classeur", str(broken)]):
        assert main(args) == 2
        assert "casse.xlsx : partie « xl/worksheets/sheet2.xml » (feuille « Recettes »)" in capsys.readouterr().err
    out = tmp_path / "sortie"
    assert main(["recalculer", str(broken), "--sortie", str(out)]) == 1
    assert "partie « xl/worksheets/sheet2.xml » (feuille « Recettes »)" in capsys.readouterr().err


def test_a_ledger_without_formula_is_not_read_again_for_its_formulas(tmp_path: Path, monkeypatch) -> None:
    """The check of the parts notes the sheets with no formula tag at all: their formula cells are not
    listed by a second pass (``books.parts.formula_free``); a ledger with a formula still is."""
    from xlae.batch import xlsx

    listed = []
    real = xlsx.member_formula_cells
    monkeypatch.setattr(xlsx, "member_formula_cells", lambda archive, member: listed.append(member)
                        or real(archive, member))
    plain, with_formula = tmp_path / "plain.xlsx", tmp_path / "formula.xlsx"
    _layout_workbook(plain, [[dt.date(2026, 1, 5), "F1", "Client A", "Site web", "bnc", 1500, "Virement"]])
    _layout_workbook(with_formula, [[dt.date(2026, 1, 5), "F1", "Client A", "Site web", "bnc", "=100*2",
                                     "Virement"]])
    assert layout.SHEET_RECETTES not in read_books(plain).formulas
    assert listed == []  # nor the sheets without any formula (this Synthèse is empty)
    books = read_books(with_formula)
    assert books.formulas[layout.SHEET_RECETTES] == {"F2": "100*2"}
    assert len(listed) == 1
