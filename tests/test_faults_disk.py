"""A full disk while xlae writes (issue 14, items 2 and 9): the report, the computed copy, a
backup, a closing archive, the imported workbook.

Each time: exit code non-zero, a French message saying what could not be written (never the
English errno text), the user's workbook byte for byte as before, no temporary file left.

Two ways, both in real ``xlae`` processes:
- a real small filesystem (a 1 MiB tmpfs filled up; Linux and root only — skipped with the
  reason elsewhere);
- everywhere: the disk is « full » for the files whose name holds a marker — ``os.fsync``
  raises ENOSPC for them (xlae flushes every file it writes before giving it its name).

Before: with no room at all, ``importer --appliquer`` said « Erreur : opération impossible
(plus de place sur le disque). » without saying what (the lock's holder line could not be written).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from faults_kit import example, fill, small_disk, statement, xlae_env

ENGLISH = ("No space", "Errno", "Traceback", "opération impossible")

# xlae in a process whose disk is full for the files whose name contains $XLAE_ESSAI_DISQUE_PLEIN.
INJECT = r"""
import errno, os, runpy, sys
marker = os.environ["XLAE_ESSAI_DISQUE_PLEIN"]
names = {}
real_open, real_close, real_fsync = os.open, os.close, os.fsync

def tracking_open(path, flags, *args, **kwargs):
    fd = real_open(path, flags, *args, **kwargs)
    names[fd] = os.path.basename(os.fspath(path))
    return fd

def tracking_close(fd):
    names.pop(fd, None)
    return real_close(fd)

def full_fsync(fd):
    if marker in names.get(fd, ""):
        raise OSError(errno.ENOSPC, "No space left on device")
    return real_fsync(fd)

os.open, os.close, os.fsync = tracking_open, tracking_close, full_fsync
sys.argv = ["xlae", *sys.argv[1:]]
runpy.run_module("xlae", run_name="__main__")
"""


def _run(args: list[str], cwd: Path, marker: str | None = None) -> tuple[int, str]:
    import subprocess

    env = xlae_env(**({"XLAE_ESSAI_DISQUE_PLEIN": marker} if marker else {}))
    command = [sys.executable, "-c", INJECT, *args] if marker else [sys.executable, "-m", "xlae", *args]
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, encoding="utf-8",
                          timeout=120)
    return done.returncode, done.stderr + done.stdout


def _french(text: str) -> None:
    assert "plus de place sur le disque" in text, text
    assert not any(word in text for word in ENGLISH), text


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name != ".remplissage")


@pytest.fixture
def books(tmp_path):
    """(workbook, its bytes, a statement of 3 new credits) in ``tmp_path``."""
    book = example(tmp_path / "livre.xlsx")
    statement(tmp_path / "releve.csv", 3, "DISQUE")
    return book, book.read_bytes()


# --- injected ENOSPC (runs everywhere) ----------------------------------------------------------

@pytest.mark.parametrize("marker, expected", [
    (".sauvegarde-", "classeur : impossible d'écrire la sauvegarde dans le dossier de livre.xlsx (plus de place "
                     "sur le disque) ; le classeur n'a pas été modifié."),
    (".livre.xlsx.", "classeur : écriture de livre.xlsx impossible (plus de place sur le disque) ; le fichier "
                     "d'origine est intact, sauvegarde : livre.sauvegarde-"),
])
def test_import_on_a_full_disk(tmp_path, books, marker, expected):
    book, original = books
    code, text = _run(["importer", "releve.csv", "--classeur", "livre.xlsx", "--appliquer"], tmp_path, marker)
    assert code == 2 and expected in text, text
    _french(text)
    assert book.read_bytes() == original
    backups = [p for p in tmp_path.iterdir() if ".sauvegarde-" in p.name]
    assert all(p.read_bytes() == original for p in backups)  # complete, or none
    assert len(backups) == (0 if marker == ".sauvegarde-" else 1)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary left


@pytest.mark.parametrize("marker, expected", [
    (".sauvegarde-", "impossible d'écrire la sauvegarde dans le dossier de livre.xlsx (plus de place sur le "
                     "disque) ; le classeur n'a pas été modifié."),
    (".livre.xlsx.", "écriture de livre.xlsx impossible (plus de place sur le disque) ; le fichier d'origine est "
                     "intact"),
    (".livre.cloture-", "la copie d'archive livre.cloture-2025.xlsx n'a pas pu être créée (plus de place sur le "
                        "disque)"),
])
def test_closing_on_a_full_disk(tmp_path, books, marker, expected):
    book, original = books
    code, text = _run(["cloturer", "livre.xlsx", "--periode", "2025"], tmp_path, marker)
    assert code == 2 and expected in text, text
    _french(text)
    if marker != ".livre.cloture-":  # the archive comes after the closing is saved
        assert book.read_bytes() == original
    assert not (tmp_path / "livre.cloture-2025.xlsx").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


@pytest.mark.parametrize("marker, expected", [
    (".livre.xlsx.", "erreur d'entrée-sortie (plus de place sur le disque)"),
    (".rapport.", "--sortie : écriture du rapport impossible dans"),
])
def test_recalculer_on_a_full_disk(tmp_path, books, marker, expected):
    book, original = books
    code, text = _run(["recalculer", "livre.xlsx", "--sortie", "sortie", "--sans-progression", "--jobs", "1"],
                      tmp_path, marker)
    assert code in (1, 2) and expected in text, text
    _french(text)
    assert book.read_bytes() == original
    left = _names(tmp_path / "sortie")
    assert not [name for name in left if name.startswith(".")], left
    if marker == ".rapport.":
        assert left == ["livre.xlsx"] and "aucun rapport incomplet n'a été laissé" in text
    else:
        assert "livre.xlsx" not in left


def test_bilan_on_a_full_disk(tmp_path, books):
    code, text = _run(["bilan", "2026", "livre.xlsx"], tmp_path, ".livre-bilan-2026.xlsx.")
    assert code == 2 and "--sortie : impossible d'écrire livre-bilan-2026.xlsx (plus de place sur le disque)" in text
    _french(text)
    assert _names(tmp_path) == ["livre.xlsx", "releve.csv"]


# --- a real small disk (tmpfs, root only) ----------------------------------------------------------

@pytest.fixture
def disk(tmp_path):
    with small_disk(tmp_path / "disque", "1m") as folder:
        yield folder


@pytest.mark.parametrize("command", [["importer", "releve.csv", "--classeur", "livre.xlsx", "--appliquer"],
                                     ["cloturer", "livre.xlsx", "--periode", "2025"]])
def test_no_room_at_all_on_a_real_disk(disk, command):
    book = example(disk / "livre.xlsx")
    statement(disk / "releve.csv", 3, "PLEIN")
    original = book.read_bytes()
    fill(disk)
    code, text = _run(command, disk)
    assert code == 2
    assert "impossible d'écrire la sauvegarde dans le dossier de livre.xlsx (plus de place sur le disque) ; le " \
           "classeur n'a pas été modifié." in text, text
    _french(text)
    assert book.read_bytes() == original and _names(disk) == ["livre.xlsx", "releve.csv"]


def test_room_for_the_backup_only_on_a_real_disk(disk):
    book = example(disk / "livre.xlsx")
    statement(disk / "releve.csv", 3, "DEMI")
    original = book.read_bytes()
    fill(disk, leave=len(original) + (40 << 10))  # the backup fits, the new version does not
    code, text = _run(["importer", "releve.csv", "--classeur", "livre.xlsx", "--appliquer"], disk)
    assert code == 2 and "écriture de livre.xlsx impossible (plus de place sur le disque)" in text, text
    _french(text)
    assert book.read_bytes() == original
    names = _names(disk)
    assert len(names) == 3 and all(n in ("livre.xlsx", "releve.csv") or ".sauvegarde-" in n for n in names)
    assert (disk / next(n for n in names if ".sauvegarde-" in n)).read_bytes() == original


def test_recalculer_into_a_full_real_disk(tmp_path, disk):
    book = example(tmp_path / "livre.xlsx")
    original = book.read_bytes()
    fill(disk)
    code, text = _run(["recalculer", str(book), "--sortie", str(disk), "--sans-progression"], tmp_path)
    assert code == 2, text
    assert "--sortie : écriture du rapport impossible dans" in text and "(plus de place sur le disque) ; 0 copie(s)" \
        in text and "aucun rapport incomplet n'a été laissé" in text, text
    _french(text)
    assert book.read_bytes() == original and _names(disk) == []
