"""xlae cloturer: fingerprints of a closed period, archive copy, and tampering found by xlae verifier."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import stat
from pathlib import Path

import openpyxl
import pytest

from test_verifier_support import D, make_book, purchase, receipt
from xlae.cli import main
from xlae.ledger.closing import canonical, row_digest
from xlae.books.model import LedgerRow
from xlae.template import layout


def book_with_march(tmp_path: Path) -> Path:
    return make_book(tmp_path / "livre.xlsx", recettes=[
        receipt(D("2026-02-25"), "F2026-001", 100), receipt(D("2026-03-05"), "F2026-002", 1200),
        receipt(D("2026-03-12"), "F2026-003", 800.5), receipt(D("2026-04-02"), "F2026-004", 300)],
        achats=[purchase(D("2026-03-03"), "A-1", 40)])


@pytest.fixture(autouse=True)
def writable_archives(tmp_path: Path):
    """Archives are made read-only; let pytest clean the folder afterwards."""
    yield
    for path in tmp_path.glob("*"):
        os.chmod(path, 0o644)


def test_canonical_text_and_row_digest() -> None:
    assert [canonical(v) for v in (None, D("2026-03-05"), dt.date(2026, 3, 5), 1200, 1200.0, 800.50, " x ",
                                   True)] == ["", "2026-03-05", "2026-03-05", "1200", "1200", "800.5", "x", "VRAI"]
    row = LedgerRow(layout.SHEET_RECETTES, 3, {"date": D("2026-03-05"), "reference": "F2026-002",
                                               "montant": 1200.0})
    text = "\x1f".join(["Recettes", "2026-03-05", "F2026-002", "", "", "", "1200", "", "", ""])
    assert row_digest(row) == hashlib.sha256(text.encode()).hexdigest()


def test_close_records_fingerprints_in_hidden_protected_sheet_and_archive(tmp_path: Path, capsys) -> None:
    path = book_with_march(tmp_path)
    assert main(["cloturer", str(path), "--periode", "2026-03"]) == 0
    out = capsys.readouterr().out
    # March: receipts 1 200 + 800,50 = 2 000,50 € ; one purchase
    assert "Période 2026-03 (mars 2026, du 01/03/2026 au 31/03/2026) clôturée : 2 recette(s), 1 achat(s), " \
           "total encaissé 2\u202f000,50 €." in out
    ws = openpyxl.load_workbook(path)[layout.SHEET_CLOTURES]
    assert ws.sheet_state == "hidden" and ws.protection.sheet
    rows = [r for r in ws.iter_rows(min_row=2, values_only=True)]
    assert [r[4:6] for r in rows] == [("Période", None), ("Recettes", 3), ("Recettes", 4), ("Achats", 2)]
    head = rows[0]
    assert head[:3] == ("2026-03", "2026-03-01", "2026-03-31")
    assert (head[7], head[8], head[9]) == (3, "2000.5", "livre.cloture-2026-03.xlsx")
    pairs = "\n".join(f"{r[4]}:{r[6]}" for r in rows[1:])
    assert head[6] == hashlib.sha256(pairs.encode()).hexdigest()
    assert f"Empreinte SHA-256 de la période : {head[6]}" in out
    archive = tmp_path / "livre.cloture-2026-03.xlsx"
    assert archive.read_bytes() == path.read_bytes()
    assert not os.stat(archive).st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    assert len(list(tmp_path.glob("livre.sauvegarde-*.xlsx"))) == 1
    # an untouched closed book is clean
    assert main(["verifier", str(path)]) == 0


def test_changed_added_and_removed_rows_of_a_closed_period(tmp_path: Path, capsys) -> None:
    path = book_with_march(tmp_path)
    assert main(["cloturer", str(path), "--periode", "2026-03"]) == 0
    wb = openpyxl.load_workbook(path)
    recettes = wb[layout.SHEET_RECETTES]
    recettes["F3"] = 1300                                     # changed amount
    for letter, value in zip("ABCDEFG", (D("2026-04-20"), "F2026-005", "Y", "Z", "bnc", 10, "Virement")):
        recettes[f"{letter}6"] = value                        # April row added: not in the closed period
    wb[layout.SHEET_ACHATS].delete_rows(2)                    # purchase of March removed
    wb.save(path)
    capsys.readouterr()
    assert main(["verifier", str(path)]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "Recettes, ligne 3 : ligne modifiée après la clôture de 2026-03 (clôturée le "
        f"{dt.date.today():%d/%m/%Y})",
        "Achats, ligne 2 : une ligne de 2026-03 (clôturée le "
        f"{dt.date.today():%d/%m/%Y}), ligne 2 lors de la clôture, a été supprimée ou sa date a changé",
        "2 anomalie(s) dans livre.xlsx."]


def test_row_added_or_moved_into_a_closed_period(tmp_path: Path, capsys) -> None:
    path = book_with_march(tmp_path)
    assert main(["cloturer", str(path), "--periode", "2026-03"]) == 0
    wb = openpyxl.load_workbook(path)
    wb[layout.SHEET_RECETTES]["A5"] = D("2026-03-31")        # April receipt moved into March
    wb.save(path)
    capsys.readouterr()
    assert main(["verifier", str(path)]) == 1
    assert capsys.readouterr().out.splitlines()[0].startswith(
        "Recettes, ligne 5 : ligne ajoutée dans 2026-03 après sa clôture")


def test_hand_edited_closing_register(tmp_path: Path, capsys) -> None:
    path = book_with_march(tmp_path)
    assert main(["cloturer", str(path), "--periode", "2026-03"]) == 0
    wb = openpyxl.load_workbook(path)
    wb[layout.SHEET_CLOTURES]["G3"] = "0" * 64                # someone "fixes" a row fingerprint
    wb.save(path)
    capsys.readouterr()
    assert main(["verifier", str(path)]) == 1
    out = capsys.readouterr().out
    assert "Clôtures : ligne 2 : les empreintes enregistrées pour 2026-03 ne correspondent plus" in out


def test_overlapping_closures_report_once(tmp_path: Path, capsys) -> None:
    path = book_with_march(tmp_path)
    assert main(["cloturer", str(path), "--periode", "2026-03"]) == 0
    assert main(["cloturer", str(path), "--periode", "2026-T1"]) == 0
    wb = openpyxl.load_workbook(path)
    wb[layout.SHEET_RECETTES]["C3"] = "Autre client"
    wb.save(path)
    capsys.readouterr()
    assert main(["verifier", str(path)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].endswith("; concerne aussi la clôture de 2026-T1") and len(lines) == 2


@pytest.mark.parametrize("periode, message", [
    (f"{dt.date.today():%Y-%m}", "n'est pas terminée"),
    ("2026-14", "--periode : valeur « 2026-14 » refusée"),
])
def test_refused_periods(tmp_path: Path, capsys, periode: str, message: str) -> None:
    path = book_with_march(tmp_path)
    before = path.read_bytes()
    assert main(["cloturer", str(path), "--periode", periode]) == 2
    assert message in capsys.readouterr().err
    assert path.read_bytes() == before and len(list(tmp_path.iterdir())) == 1


def test_already_closed_and_defects_refused(tmp_path: Path, capsys) -> None:
    path = book_with_march(tmp_path)
    assert main(["cloturer", str(path), "--periode", "2026-03"]) == 0
    before = path.read_bytes()
    assert main(["cloturer", str(path), "--periode", "2026-03"]) == 2
    assert "2026-03 est déjà clôturée" in capsys.readouterr().err
    assert path.read_bytes() == before
    bad = make_book(tmp_path / "bad.xlsx", recettes=[receipt(D("2026-02-05"), None, 10)])
    assert main(["cloturer", str(bad), "--periode", "2026-02"]) == 2
    err = capsys.readouterr().err
    assert "1 anomalie(s) sur des lignes de février 2026 : corrigez-les avant de clôturer" in err
    assert "référence de la pièce justificative manquante" in err


def test_import_skips_a_closed_period(tmp_path: Path, capsys) -> None:
    path = book_with_march(tmp_path)
    assert main(["cloturer", str(path), "--periode", "2026-02"]) == 0
    statement = tmp_path / "releve.csv"
    statement.write_text("Date;Libellé;Crédit\n27/02/2026;VIR OUBLI;50,00\n02/03/2026;VIR ACME;70,00\n",
                         encoding="utf-8")
    capsys.readouterr()
    assert main(["importer", str(statement), "--classeur", str(path), "--appliquer"]) == 0
    out = capsys.readouterr().out
    assert "période close — 2026-02 est clôturée" in out and "1 recette ajoutée" in out
    assert main(["verifier", str(path)]) == 1   # the imported row has no client and breaks chronology…
    assert "clôture" not in capsys.readouterr().out   # …but February is untouched


def test_declaration_of_a_tampered_closed_period_warns_first(tmp_path: Path, capsys) -> None:
    path = book_with_march(tmp_path)
    assert main(["cloturer", str(path), "--periode", "2026-03"]) == 0
    assert main(["declaration", str(path), "--periode", "2026-04"]) == 0
    assert "Attention" not in capsys.readouterr().out                   # April is not closed
    wb = openpyxl.load_workbook(path)
    wb[layout.SHEET_RECETTES]["F3"] = 1300                               # March amount changed after closing
    wb.save(path)
    assert main(["declaration", str(path), "--periode", "2026-03"]) == 0
    out = capsys.readouterr().out
    assert ("Attention : 1 ligne(s) de la période clôturée 2026-03 ont changé depuis la clôture (détail : "
            "xlae verifier) ; les montants ci-dessous portent sur le livre tel qu'il est aujourd'hui.") in out
    # the figures still follow the book as it is: 1 300 + 800.50 = 2 100.50
    assert "2\u202f100,50 €" in out or "2 100,50 €" in out
