"""Ledger rows below the range the Synthèse covers (``xlae modele --lignes N``): read N back,
flag them in ``xlae verifier``, refuse them in ``xlae importer --appliquer``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from test_verifier_support import D, findings, make_book, purchase, read_rows, receipt
from xlae.cli import main
from xlae.template import build, layout
from xlae.template.coverage import covered_rows, workbook_covered_rows

RELEVES = Path(__file__).parent / "fixtures" / "releves"
CA = RELEVES / "credit_agricole_cp1252.csv"  # 4 credits to add with regles.csv (test_importer)
RULES = RELEVES / "regles.csv"
ADVICE = ("la Synthèse ne les compte pas (ses formules couvrent les lignes 2 à 51, classeur créé pour 50 "
          "lignes) ; créez un classeur plus grand avec « xlae modele --lignes N » (N au moins {needed}) et "
          "recopiez-y vos lignes")


def receipts(count: int, start: dt.datetime = D("2026-01-01")) -> list[dict]:
    """``count`` valid receipts F2026-001…, one a day from ``start``."""
    return [receipt(start + dt.timedelta(days=i), f"F2026-{i + 1:03d}", 10) for i in range(count)]


# --- reading N back --------------------------------------------------------------------------

def test_covered_rows_from_any_spelling_of_the_ranges() -> None:
    # 51 − 2 + 1 = 50 rows; quotes, case and $ as Excel may rewrite them
    assert covered_rows({"C7": "=SUMPRODUCT(Recettes!$F$2:$F$51*1)"}) == 50
    assert covered_rows(["=SUM('Achats'!E2:E51)", "=sum(recettes!f2:f51)"]) == 50
    # the most frequent end wins: one range stretched by hand does not change N
    assert covered_rows(["=SUM(Recettes!F2:F51)", "=SUM(Achats!E2:E51)", "=SUM(Recettes!F2:F900)"]) == 50
    # ranges not starting at the first data row, or of another sheet, are not ledger ranges
    assert covered_rows(["=SUM(Recettes!F3:F51)", "=SUM(XRecettes!F2:F51)", "=SUM(Autre!F2:F51)"]) == \
        layout.MAX_ROWS
    assert covered_rows({}) == layout.MAX_ROWS


@pytest.mark.parametrize("read_only", [True, False])
def test_workbook_covered_rows_from_openpyxl(tmp_path: Path, read_only: bool) -> None:
    path = tmp_path / "c.xlsx"
    path.write_bytes(build.workbook_bytes(build.build_workbook(rows=50)))
    wb = openpyxl.load_workbook(path, read_only=read_only)
    assert workbook_covered_rows(wb) == 50  # ranges end at row 51 = 2 + 50 − 1
    wb.close()


def test_no_synthese_nothing_to_cover() -> None:
    wb = build.build_workbook(rows=50)
    del wb[layout.SHEET_SYNTHESE]
    assert workbook_covered_rows(wb) is None


def test_default_template_covers_max_rows() -> None:
    assert workbook_covered_rows(build.build_workbook()) == layout.MAX_ROWS  # 10 000


# --- xlae verifier ---------------------------------------------------------------------------

def test_verifier_flags_rows_below_the_covered_range(tmp_path: Path, capsys) -> None:
    path = make_book(tmp_path / "petit.xlsx", recettes=receipts(60), rows=50)
    # 60 receipts on rows 2..61; the formulas cover rows 2..51 → rows 52..61 (10) are ignored;
    # a workbook for them needs 61 − 2 + 1 = 60 rows
    expected = ("Recettes, ligne 52, colonne A (Date d'encaissement) : 10 ligne(s) au-delà de la ligne 51 (lignes 52 à 61) : "
                + ADVICE.format(needed=60))
    assert findings(path) == [expected]
    assert main(["verifier", str(path)]) == 1
    assert capsys.readouterr().out == f"{expected}\n1 anomalie(s) dans petit.xlsx.\n"


def test_verifier_exactly_full_is_clean_and_achats_count_too(tmp_path: Path) -> None:
    full = make_book(tmp_path / "plein.xlsx", recettes=receipts(50), rows=50)  # rows 2..51: all covered
    assert findings(full) == []
    # 53 purchases: rows 2..54, rows 52..54 ignored; N ≥ 54 − 2 + 1 = 53
    purchases = [purchase(D("2026-01-01") + dt.timedelta(days=i), f"A{i}", 5) for i in range(53)]
    path = make_book(tmp_path / "achats.xlsx", recettes=receipts(50), achats=purchases, rows=50)
    assert findings(path) == ["Achats, ligne 52, colonne A (Date) : 3 ligne(s) au-delà de la ligne 51 "
                           "(lignes 52 à 54) : " + ADVICE.format(needed=53)]


# --- xlae importer ---------------------------------------------------------------------------

def test_importer_refuses_rows_below_the_covered_range(tmp_path: Path, capsys) -> None:
    # references V-001…: F2026-007 and F2026-008 would make two credits « déjà saisie à la main ? »
    hand = [dict(r, reference=f"V-{i:03d}") for i, r in enumerate(receipts(48))]
    path = make_book(tmp_path / "petit.xlsx", recettes=hand, rows=50)
    before = path.read_bytes()
    # 48 receipts on rows 2..49; 4 new ones would take rows 50..53, the formulas stop at 51; N ≥ 53 − 2 + 1 = 52
    reason = ("4 recette(s) iraient à la feuille Recettes, lignes 50 à 53, au-delà de la ligne 51 : "
              + ADVICE.format(needed=52))
    assert main(["importer", str(CA), "--classeur", str(path), "--regles", str(RULES)]) == 0
    assert f"Attention : {reason} ; --appliquer refusera d'écrire dans ce classeur." in capsys.readouterr().out
    assert main(["importer", str(CA), "--classeur", str(path), "--regles", str(RULES), "--appliquer"]) == 2
    assert capsys.readouterr().err == (f"Erreur : classeur : {reason}, puis relancez l'import. Rien n'a été "
                                       "écrit dans petit.xlsx.\n")
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["petit.xlsx"]  # no backup, no temporary file


def test_importer_fills_up_to_the_last_covered_row(tmp_path: Path, capsys) -> None:
    hand = [dict(r, reference=f"V-{i:03d}") for i, r in enumerate(receipts(46))]  # no F2026-007/-008 twin
    path = make_book(tmp_path / "petit.xlsx", recettes=hand, rows=50)
    # 46 receipts on rows 2..47; the 4 new ones take rows 48..51, the last covered row
    assert main(["importer", str(CA), "--classeur", str(path), "--regles", str(RULES), "--appliquer"]) == 0
    assert "4 recettes ajoutées à la feuille Recettes (lignes 48 à 51)" in capsys.readouterr().out
    assert len(read_rows(path)) == 50
    assert not [t for t in findings(path) if "au-delà de la ligne" in t]
