"""``xlae demo``: works with no Excel, in a fresh folder, never over existing files."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from xlae import cli
from xlae.commands import demo
from xlae.template import synthese as S


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


def test_built_example_when_the_bundled_one_is_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demo, "EXAMPLE", "absent-de-l-installation.xlsx")
    data = demo.example_bytes()
    assert data[:4] == b"PK\x03\x04"
    (tmp_path / "e.xlsx").write_bytes(data)
    book = openpyxl.load_workbook(tmp_path / "e.xlsx")
    assert book["Recettes"]["F2"].value == 2550.0  # month 1: 2 400 + 150 × (1 mod 4)
