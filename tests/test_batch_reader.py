"""Reading workbooks for the batch: refused files with a French reason, named parameters, ledgers."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.workbook.defined_name import DefinedName

from xlae.batch import reader
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
    with reader.open_archive(path) as archive:
        package = reader.package_of(archive)
    ledgers = reader.read_ledgers(path, package)
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
    with reader.open_archive(path) as archive:
        package = reader.package_of(archive)
    with pytest.raises(reader.UnreadableWorkbook, match="nom défini « periodicite » absent"):
        reader.read_ledgers(path, package)


def test_position() -> None:
    assert reader.position("A1") == (0, 0)
    assert reader.position("B2") == (1, 1)
    assert reader.position("AA10") == (9, 26)  # AA = 26 × 1 + 1 = 27th column
