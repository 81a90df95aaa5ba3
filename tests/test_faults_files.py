"""Output folders, links and read-only files: xlae never replaces a file it did not write.

Before: ``recalculer --sortie DIR`` overwrote a.xlsx and rapport.csv already there;
a workbook reached through a symbolic or hard link was replaced by a plain file
(the real file never updated); a read-only closing archive was rewritten; an
output that was a link to the input gave « erreur inattendue ».
"""

from __future__ import annotations

import os

import pytest

from faults_kit import example, files, run, statement
from xlae.cli import main


def _receipts(book) -> int:
    import openpyxl

    ws = openpyxl.load_workbook(book, read_only=True)["Recettes"]
    return sum(1 for row in ws.iter_rows(min_row=2, max_col=1, values_only=True) if row[0] is not None)


# --- recalculer --sortie ------------------------------------------------------------------------

def test_recalculer_keeps_files_already_in_the_output_folder(tmp_path, capsys):
    source = example(tmp_path / "a.xlsx")
    out = tmp_path / "out"
    out.mkdir()
    for name in ("a.xlsx", "rapport.csv", "rapport.xlsx"):
        (out / name).write_bytes(b"fichier de l'utilisateur")
    assert main(["recalculer", str(source), "--sortie", str(out), "--sans-progression"]) == 0
    text = capsys.readouterr().out
    kept = files(out)
    assert all(kept[name] == b"fichier de l'utilisateur" for name in ("a.xlsx", "rapport.csv", "rapport.xlsx"))
    assert {"a-2.xlsx", "rapport-2.csv", "rapport-2.xlsx"} <= set(kept)
    assert "Rapport : rapport-2.xlsx, rapport-2.csv" in text and "ils sont gardés tels quels" in text


def test_recalculer_twice_into_the_same_folder_keeps_the_first_run(tmp_path, capsys):
    source = example(tmp_path / "a.xlsx")
    out = tmp_path / "out"
    assert main(["recalculer", str(source), "--sortie", str(out), "--sans-progression"]) == 0
    first = files(out)
    assert main(["recalculer", str(source), "--sortie", str(out), "--sans-progression"]) == 0
    second = files(out)
    assert all(second[name] == data for name, data in first.items())
    assert set(second) - set(first) == {"a-2.xlsx", "rapport-2.csv", "rapport-2.xlsx"}


def test_recalculer_output_that_is_a_link_to_the_input(tmp_path, capsys):
    source = example(tmp_path / "a.xlsx")
    original = source.read_bytes()
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.xlsx").symlink_to(source)
    assert main(["recalculer", str(source), "--sortie", str(out), "--sans-progression"]) == 0
    captured = capsys.readouterr()
    assert "erreur inattendue" not in captured.out + captured.err
    assert source.read_bytes() == original and (out / "a.xlsx").is_symlink()
    assert (out / "a-2.xlsx").is_file()


def test_copy_never_replaces_a_file_that_appears_meanwhile(tmp_path, monkeypatch):
    import zipfile

    from xlae.batch import writer

    source = tmp_path / "src.xlsx"
    with zipfile.ZipFile(source, "w") as archive:
        archive.writestr("a.txt", "bonjour")
    target = tmp_path / "copie.xlsx"
    target.write_bytes(b"autre")
    monkeypatch.setattr(writer, "changed_members", lambda *args: {})
    with zipfile.ZipFile(source) as archive, pytest.raises(FileExistsError):
        writer.write_copy(archive, None, {}, source, target)
    assert target.read_bytes() == b"autre"


# --- links and read-only files --------------------------------------------------------------------

def test_importer_through_a_symbolic_link_updates_the_target(tmp_path, capsys):
    data = tmp_path / "donnees"
    data.mkdir()
    real = example(data / "livre.xlsx")
    link = tmp_path / "raccourci.xlsx"
    link.symlink_to(real)
    before = _receipts(real)
    releve = statement(tmp_path / "releve.csv", 3, "LIEN")
    assert main(["importer", str(releve), "--classeur", str(link), "--appliquer"]) == 0
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert _receipts(real) == before + 3
    assert [p.name for p in data.iterdir() if ".sauvegarde-" in p.name]  # backup beside the real file


def test_cloturer_through_a_symbolic_link_updates_the_target(tmp_path, capsys):
    real = example(tmp_path / "livre.xlsx")
    link = tmp_path / "raccourci.xlsx"
    link.symlink_to(real)
    assert main(["cloturer", str(link), "--periode", "2025"]) == 0
    assert link.is_symlink()
    assert main(["cloturer", str(real), "--periode", "2025"]) == 2
    assert "déjà clôturée" in capsys.readouterr().err


def test_hard_linked_workbook_is_refused_and_untouched(tmp_path, capsys):
    real = example(tmp_path / "livre.xlsx")
    other = tmp_path / "autre-nom.xlsx"
    os.link(real, other)
    original = real.read_bytes()
    releve = statement(tmp_path / "releve.csv", 3, "DUR")
    assert main(["importer", str(releve), "--classeur", str(other), "--appliquer"]) == 2
    err = capsys.readouterr().err
    assert "porte 2 noms (liens physiques)" in err and "copie ordinaire" in err
    assert real.read_bytes() == original and os.stat(real).st_ino == os.stat(other).st_ino


def test_read_only_archive_is_never_rewritten(tmp_path, capsys):
    book = example(tmp_path / "livre.xlsx")
    assert main(["cloturer", str(book), "--periode", "2025"]) == 0
    archive = tmp_path / "livre.cloture-2025.xlsx"
    original = archive.read_bytes()
    inode = archive.stat().st_ino
    releve = statement(tmp_path / "releve.csv", 3, "ARCHIVE")
    capsys.readouterr()
    assert main(["importer", str(releve), "--classeur", str(archive), "--appliquer"]) == 2
    assert "est en lecture seule" in capsys.readouterr().err
    assert main(["cloturer", str(archive), "--periode", "2025-T1"]) == 2
    assert "est en lecture seule" in capsys.readouterr().err
    assert archive.read_bytes() == original and archive.stat().st_ino == inode


def test_modele_force_through_a_link_updates_the_target(tmp_path, capsys):
    real = tmp_path / "vrai.xlsx"
    real.write_bytes(b"ancien")
    link = tmp_path / "lien.xlsx"
    link.symlink_to(real)
    assert main(["modele", "--sortie", str(link), "--force"]) == 0
    assert link.is_symlink() and real.read_bytes().startswith(b"PK")


def test_modele_refuses_a_read_only_file_even_with_force(tmp_path, capsys):
    target = tmp_path / "modele.xlsx"
    target.write_bytes(b"ancien")
    target.chmod(0o444)
    assert main(["modele", "--sortie", str(target), "--force"]) == 2
    assert "--sortie : modele.xlsx est en lecture seule" in capsys.readouterr().err
    assert target.read_bytes() == b"ancien"


# --- only regular files are read -------------------------------------------------------------------

@pytest.mark.parametrize("command", [["verifier", "{}"], ["declaration", "{}", "--periode", "2026-03"],
                                     ["recalculer", "{}", "--sortie", "out", "--sans-progression"],
                                     ["cloturer", "{}", "--periode", "2025"],
                                     ["importer", "releve.csv", "--classeur", "{}"]])
def test_a_fifo_named_xlsx_is_refused_not_waited_on(tmp_path, command):
    if not hasattr(os, "mkfifo"):
        pytest.skip("pas de tubes nommés sur ce système")
    fifo = tmp_path / "tube.xlsx"
    os.mkfifo(fifo)
    statement(tmp_path / "releve.csv", 1, "TUBE")
    code, out, err = run(*[part.format(fifo) for part in command], cwd=tmp_path, timeout=60)
    assert code in (1, 2)
    assert "n'est pas un fichier ordinaire (tube, périphérique ou socket)" in out + err


def test_a_folder_or_a_broken_link_named_xlsx_says_what_it_is(tmp_path, capsys):
    (tmp_path / "dossier.xlsx").mkdir()
    (tmp_path / "casse.xlsx").symlink_to(tmp_path / "absent.xlsx")
    assert main(["verifier", str(tmp_path / "dossier.xlsx")]) == 2
    assert "c'est un dossier" in capsys.readouterr().err
    assert main(["verifier", str(tmp_path / "casse.xlsx")]) == 2
    assert "lien symbolique vers" in capsys.readouterr().err
