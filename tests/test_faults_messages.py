"""Messages about files (issue 14, item 10 « Unclear »): what the file is, in French.

Before: a broken symbolic link was « le fichier … n'existe pas »; « Not a directory »,
« [Errno 21] Is a directory » (English errno text) inside French messages; a FIFO given
as ``--bareme`` blocked xlae forever; ``bilan --sortie`` showed the English errno text.
"""

from __future__ import annotations

import errno
import os

import pytest

from faults_kit import example, run, statement
from xlae.cli import main

ENGLISH = ("Errno", "Not a directory", "Is a directory", "No such file", "No space", "Permission denied")


def _english(text: str) -> bool:
    return any(word in text for word in ENGLISH)


@pytest.fixture
def paths(tmp_path):
    (tmp_path / "casse.csv").symlink_to(tmp_path / "absent-cible.csv")
    (tmp_path / "dossier.csv").mkdir()
    (tmp_path / "fichier").write_text("x")
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "tube.csv")
    return tmp_path


@pytest.mark.parametrize("option", ["releve", "--regles", "--bareme"])
@pytest.mark.parametrize("name, expected", [
    ("casse.csv", "casse.csv est un lien symbolique vers « {tmp}/absent-cible.csv », qui n'existe pas."),
    ("dossier.csv", "dossier.csv est un dossier, pas un fichier ordinaire."),
    ("fichier/sous.csv", "impossible (un élément du chemin n'est pas un dossier)"),
    ("tube.csv", "tube.csv est un fichier spécial (tube, périphérique), pas un fichier ordinaire."),
])
def test_a_file_that_is_not_a_regular_file_says_what_it_is(paths, option, name, expected):
    if name == "tube.csv" and not hasattr(os, "mkfifo"):
        pytest.skip("pas de tubes nommés sur ce système")
    book = example(paths / "livre.xlsx")
    releve = statement(paths / "releve.csv", 1, "MSG")
    given = str(paths / name)
    args = {"releve": ["importer", given, "--classeur", str(book)],
            "--regles": ["importer", str(releve), "--classeur", str(book), "--regles", given],
            "--bareme": ["--bareme", given, "simuler", "--activite", "bnc", "--ca", "100"]}[option]
    # A separate process: a FIFO read by mistake would block it (the timeout fails the test).
    code, out, err = run(*args, cwd=paths, timeout=60)
    assert code == 2
    assert expected.format(tmp=paths) in err
    assert "n'existe pas" not in err.replace("qui n'existe pas", "")
    assert not _english(err), err


def test_bilan_output_on_a_full_disk_is_french(tmp_path, capsys, monkeypatch):
    from xlae import atomic

    book = example(tmp_path / "livre.xlsx")
    real_fsync = os.fsync

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic.os, "fsync", full)
    target = tmp_path / "bilan.xlsx"
    assert main(["bilan", "2026", str(book), "--sortie", str(target)]) == 2
    monkeypatch.setattr(atomic.os, "fsync", real_fsync)
    err = capsys.readouterr().err
    assert "--sortie : impossible d'écrire" in err and "(plus de place sur le disque)" in err
    assert not _english(err)
    assert not target.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["livre.xlsx"]


def test_a_folder_given_to_recalculer_lists_what_is_not_a_workbook(tmp_path, capsys):
    """Before: a FIFO or a broken link named .xlsx inside the folder was skipped without a word."""
    folder = tmp_path / "clients"
    folder.mkdir()
    example(folder / "a.xlsx")
    (folder / "casse.xlsx").symlink_to(tmp_path / "parti.xlsx")
    if hasattr(os, "mkfifo"):
        os.mkfifo(folder / "tube.xlsx")
    assert main(["recalculer", str(folder), "--sortie", str(tmp_path / "sortie"), "--sans-progression"]) == 1
    captured = capsys.readouterr()
    assert f"Échec : {folder / 'casse.xlsx'} — lien symbolique vers « {tmp_path / 'parti.xlsx'} », qui n'existe " \
           "pas." in captured.err
    if hasattr(os, "mkfifo"):
        assert f"Échec : {folder / 'tube.xlsx'} — ce n'est pas un fichier ordinaire" in captured.err
    assert "1 classeur recalculé" in captured.out


def test_recalculer_a_broken_link_says_where_it_points(tmp_path, capsys):
    """Before: « « casse.xlsx » n'existe pas (ni fichier, ni dossier) » for a link that is there."""
    (tmp_path / "casse.xlsx").symlink_to(tmp_path / "parti.xlsx")
    assert main(["recalculer", str(tmp_path / "casse.xlsx"), "--sortie", str(tmp_path / "sortie"),
                 "--sans-progression"]) == 1
    err = capsys.readouterr().err
    assert f"lien symbolique vers « {tmp_path / 'parti.xlsx'} », qui n'existe pas." in err
    assert "(ni fichier, ni dossier)" not in err


def test_bilan_force_through_a_link_updates_the_target_and_refuses_a_read_only_file(tmp_path, capsys):
    """Before: ``bilan --force`` replaced a symbolic link by a plain file and rewrote a read-only one."""
    book = example(tmp_path / "livre.xlsx")
    real = tmp_path / "archives" / "bilan-2026.xlsx"
    real.parent.mkdir()
    real.write_bytes(b"ancien bilan")
    link = tmp_path / "bilan.xlsx"
    link.symlink_to(real)
    assert main(["bilan", "2026", str(book), "--sortie", str(link), "--force"]) == 0
    assert link.is_symlink() and real.read_bytes().startswith(b"PK")
    real.chmod(0o444)
    before = real.read_bytes()
    capsys.readouterr()
    assert main(["bilan", "2026", str(book), "--sortie", str(real), "--force"]) == 2
    assert "--sortie : bilan-2026.xlsx est en lecture seule" in capsys.readouterr().err
    assert real.read_bytes() == before


def test_modele_into_a_folder_that_is_a_file(tmp_path, capsys):
    (tmp_path / "dossier").write_text("un fichier")
    assert main(["modele", "--sortie", str(tmp_path / "dossier" / "m.xlsx")]) == 2
    assert "n'est pas un dossier" in capsys.readouterr().err


@pytest.mark.parametrize("content, expected", [
    ('motif;categorie\n"' + "x" * 140_000 + '";bnc\n',
     "ligne 2 : CSV illisible (un champ dépasse 128 Kio (guillemet non refermé ?))."),
    ("motif;categorie\n/[abc/;bnc\n", "ligne 2, colonne motif : expression régulière « /[abc/ » invalide (erreur "
                                      "vers le caractère 2 du motif)"),
])
def test_rules_file_errors_are_french(tmp_path, capsys, content, expected):
    """Before: « CSV illisible (field larger than field limit (131072)) », « (unterminated character set at
    position 0) »: Python's English text inside the French message."""
    book = example(tmp_path / "livre.xlsx")
    releve = statement(tmp_path / "releve.csv", 1, "REGLES")
    (tmp_path / "regles.csv").write_text(content, encoding="utf-8")
    assert main(["importer", str(releve), "--classeur", str(book), "--regles", str(tmp_path / "regles.csv")]) == 2
    err = capsys.readouterr().err
    assert f"--regles regles.csv, {expected}" in err
    assert not any(word in err for word in ("field", "position", "unterminated"))


def _dies_on_meurt(job):
    """A batch task whose process dies (kill -9, out of memory) on the workbook named « meurt »."""
    from xlae.batch import runner

    if "meurt" in job.source:
        os._exit(9)
    return runner.Outcome(job.source, job.target)


def test_a_worker_that_dies_gives_a_french_reason(tmp_path):
    """Before: « le processus de calcul s'est arrêté (A process in the process pool was terminated abruptly
    while the future was running or pending.) »."""
    from xlae.batch import runner

    jobs = [runner.Job(str(tmp_path / name), str(tmp_path / "sortie" / name)) for name in ("meurt.xlsx", "b.xlsx")]
    outcomes = runner.run(jobs, workers=2, task=_dies_on_meurt)
    died = outcomes[0].error
    assert died.startswith("le processus de calcul s'est arrêté brutalement (tué, ou mémoire insuffisante ?)")
    assert "abruptly" not in died and "pool" not in died
