"""QA: ``xlae modele --sortie`` refuses a folder or a non-.xlsx name with a clear French message."""

from __future__ import annotations

import pytest

from xlae.cli import main


@pytest.mark.parametrize("name", ["compta.xls", "compta.xlsm", "compta", "compta.csv"])
def test_modele_refuses_a_name_that_is_not_xlsx(tmp_path, capsys, name):
    # Excel refuses to open an .xlsx saved as .xls/.xlsm ("format and extension don't match").
    assert main(["modele", "--sortie", str(tmp_path / name)]) == 2
    err = capsys.readouterr().err
    assert "n'a pas l'extension .xlsx" in err and name in err
    assert list(tmp_path.iterdir()) == []


def test_modele_accepts_upper_case_extension(tmp_path):
    assert main(["modele", "--lignes", "5", "--sortie", str(tmp_path / "COMPTA.XLSX")]) == 0
    assert (tmp_path / "COMPTA.XLSX").read_bytes()[:2] == b"PK"


def test_modele_on_a_folder_says_it_is_a_folder_even_without_force(tmp_path, capsys):
    # Before: « le fichier '…' existe déjà ; … ajoutez --force » — and --force then said « dossier ».
    assert main(["modele", "--sortie", str(tmp_path)]) == 2
    assert "est un dossier ; indiquez un nom de fichier .xlsx" in capsys.readouterr().err
