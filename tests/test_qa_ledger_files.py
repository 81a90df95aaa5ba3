"""QA: the ledger tools name the file and give a French reason for unreadable workbooks and statements."""

from __future__ import annotations

import zipfile

import pytest

from xlae.cli import main
from xlae.template import build

CFB = bytes.fromhex("D0CF11E0A1B11AE1")


@pytest.fixture
def modele(tmp_path):
    path = tmp_path / "compta.xlsx"
    wb = build.build_workbook(rows=20)
    wb["Paramètres"]["B2"] = "bnc"
    wb.save(path)
    return path


@pytest.mark.parametrize("content, expected", [
    (CFB + b"\0" * 600, "chiffre.xlsx : classeur chiffré (protégé par un mot de passe"),
    (b"", "chiffre.xlsx : fichier vide (0 octet)."),
    (b"PK\x03\x04" + b"\0" * 200, "chiffre.xlsx n'est pas un classeur Excel lisible (archive ou contenu XML endommagé)"),
])
def test_verifier_unreadable_workbook_reason_is_french(tmp_path, capsys, content, expected):
    path = tmp_path / "chiffre.xlsx"
    path.write_bytes(content)
    assert main(["verifier", str(path)]) == 2
    err = capsys.readouterr().err
    # Before: « … n'est pas un classeur Excel lisible (BadZipFile: File is not a zip file). »
    assert expected in err
    assert "BadZipFile" not in err and "File is not" not in err


def test_declaration_workbook_without_workbook_part(tmp_path, capsys, modele):
    broken = tmp_path / "casse.xlsx"
    with zipfile.ZipFile(modele) as src, zipfile.ZipFile(broken, "w") as out:
        for name in src.namelist():
            if name != "xl/workbook.xml":
                out.writestr(name, src.read(name))
    assert main(["declaration", str(broken), "--periode", "2026-01"]) == 2
    err = capsys.readouterr().err
    assert "casse.xlsx n'est pas un classeur Excel lisible" in err and "reprenez une sauvegarde" in err
    assert "KeyError" not in err and "There is no item" not in err


@pytest.mark.parametrize("name, content, kind", [
    ("releve.xlsx", None, "un classeur Excel (.xlsx ou .xls)"),
    ("releve.xls", CFB + b"\0" * 600, "un classeur Excel (.xlsx ou .xls)"),
    ("releve.pdf", b"%PDF-1.7\n...", "un PDF"),
])
def test_importer_statement_that_is_not_csv(tmp_path, capsys, modele, name, content, kind):
    statement = tmp_path / name
    statement.write_bytes(modele.read_bytes() if content is None else content)
    before = modele.read_bytes()
    assert main(["importer", str(statement), "--classeur", str(modele)]) == 2
    err = capsys.readouterr().err
    # Before: « aucune ligne d'en-tête reconnue … (première ligne : « PK…binary… ») »
    assert f"relevé : {name} est {kind}, pas un relevé CSV" in err
    assert modele.read_bytes() == before


def test_empty_activite_is_named_not_none(tmp_path, capsys):
    path = tmp_path / "vierge.xlsx"
    path.write_bytes(build.workbook_bytes(build.build_workbook(rows=20)))  # the template as delivered
    assert main(["declaration", str(path), "--periode", "2026-01"]) == 2
    err = capsys.readouterr().err
    # Before: « Paramètres!B2 (activite) : valeur « None » refusée. »
    assert "activite : vide ; choisissez votre activité principale dans la liste" in err
    assert "None" not in err
