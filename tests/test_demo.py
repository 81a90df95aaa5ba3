"""``xlae demo``: works with no Excel, in a fresh folder, never over existing files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from xlae import cli
from xlae.commands import demo
from xlae.format import euros
from xlae.books.calamine import read_books
from xlae.template import synthese as S

ROOT = Path(__file__).resolve().parents[1]


def test_demo_in_a_fresh_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "xlae-demo").mkdir()  # already there: the demo must pick another folder
    (tmp_path / "xlae-demo" / "mien.txt").write_text("à moi")
    assert cli.main(["demo"]) == 0
    out = capsys.readouterr().out
    folder = tmp_path / "xlae-demo-2"
    copy = folder / "recalcule" / demo.EXAMPLE
    assert (folder / demo.EXAMPLE).is_file() and copy.is_file()
    assert (tmp_path / "xlae-demo" / "mien.txt").read_text() == "à moi"
    values = openpyxl.load_workbook(copy, data_only=True)["Synthèse"]
    ca = values[S.KEY_CELLS["ca_annee"]].value
    assert isinstance(ca, (int, float)) and ca > 0  # a number, not a formula nor #NAME?
    assert "CA encaissé de l'année" in out and "1 classeur recalculé" in out
    assert str(copy) in out


def test_demo_refuses_a_non_empty_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "plein").mkdir()
    (tmp_path / "plein" / "x.xlsx").write_bytes(b"mes donnees")
    assert cli.main(["demo", "--sortie", str(tmp_path / "plein")]) == 2
    assert "n'est pas un dossier vide" in capsys.readouterr().err
    assert (tmp_path / "plein" / "x.xlsx").read_bytes() == b"mes donnees"


def test_demo_recalculates_exactly_the_committed_example(tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    """The pip-installed demo generates the example; it must be the committed file, byte for byte,
    and the copy must hold the figures of that file's summary."""
    committed = ROOT / "workbooks" / demo.EXAMPLE
    assert demo.example_bytes() == committed.read_bytes()
    folder = tmp_path / "d"
    assert cli.main(["demo", "--sortie", str(folder)]) == 0
    out = capsys.readouterr().out
    assert (folder / demo.EXAMPLE).read_bytes() == committed.read_bytes()
    expected = S.evaluate(read_books(committed).inputs())
    sheet = openpyxl.load_workbook(folder / "recalcule" / demo.EXAMPLE, data_only=True)["Synthèse"]
    for key in ("ca_annee", "total_a_payer", "revenu", "lignes_invalides"):
        assert sheet[S.KEY_CELLS[key]].value == expected[S.KEY_CELLS[key]], key
    # IT freelancer in BNC, created 16/06/2025, year 2026 shown.
    params = read_books(committed).inputs().parametres
    assert (params["activite"], params["annee"]) == ("bnc", 2026)
    assert params["date_creation"] == dt.date(2025, 6, 16)  # calamine reads a date cell as a date
    ca = euros(round(expected[S.KEY_CELLS["ca_annee"]], 2))
    assert f"CA encaissé de l'année : {ca}" in out


def test_no_other_example_is_shipped() -> None:
    assert not hasattr(demo, "_built_example")
    assert not list((ROOT / "xlae").rglob("*.xlsx"))
