"""A crash inside each copy (backup, closing archive, workbook, report): the official name never
holds a truncated file, the user's workbook is intact, the message is French.

The crash is simulated where the bytes are copied (shutil's copy loops write half of
the data, then the disk is « full »), for every copy xlae makes.
"""

from __future__ import annotations

import errno
import shutil

import pytest

from faults_kit import example, files, statement
from xlae.cli import main


@pytest.fixture
def crash_in_copy(monkeypatch):
    """Make every shutil copy whose destination name contains ``marker`` stop half way (disk full)."""

    def arm(marker: str) -> None:
        def half(source, destination, *args, **kwargs):
            name = getattr(destination, "name", "")
            if marker not in str(name):
                return original_obj(source, destination, *args, **kwargs)
            data = source.read()
            destination.write(data[: len(data) // 2])
            destination.flush()
            raise OSError(errno.ENOSPC, "No space left on device")

        original_obj = shutil.copyfileobj
        monkeypatch.setattr(shutil, "copyfileobj", half)
        if hasattr(shutil, "_fastcopy_sendfile"):  # Linux: shutil.copyfile's fast path
            monkeypatch.setattr(shutil, "_fastcopy_sendfile", lambda src, dst: half(src, dst))

    return arm


def _complete_or_absent(folder, original: bytes, contains: str) -> None:
    for path in folder.iterdir():
        if contains in path.name:
            assert path.read_bytes() == original, f"{path.name} tronqué"


def test_crash_in_the_backup_copy_keeps_the_workbook_and_leaves_no_truncated_backup(tmp_path, capsys,
                                                                                    crash_in_copy):
    book = example(tmp_path / "livre.xlsx")
    original = book.read_bytes()
    releve = statement(tmp_path / "releve.csv", 3, "GAMMA")
    crash_in_copy("sauvegarde")
    assert main(["importer", str(releve), "--classeur", str(book), "--appliquer"]) == 2
    err = capsys.readouterr().err
    assert "plus de place sur le disque" in err and "le classeur n'a pas été modifié" in err
    assert "No space" not in err
    assert book.read_bytes() == original
    assert sorted(files(tmp_path)) == ["livre.xlsx", "releve.csv"]  # no truncated backup, no temporary


def test_crash_in_the_archive_copy_never_leaves_a_truncated_archive(tmp_path, capsys, crash_in_copy):
    book = example(tmp_path / "livre.xlsx")
    crash_in_copy("cloture-")
    assert main(["cloturer", str(book), "--periode", "2025"]) == 2
    err = capsys.readouterr().err
    assert "la copie d'archive livre.cloture-2025.xlsx n'a pas pu être créée (plus de place sur le disque)" in err
    assert not (tmp_path / "livre.cloture-2025.xlsx").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # temporary removed
    # The closing itself is recorded; the next run says so and that the archive is missing.
    assert main(["cloturer", str(book), "--periode", "2025"]) == 2
    err = capsys.readouterr().err
    assert "déjà clôturée" in err and "copie d'archive livre.cloture-2025.xlsx n'est pas dans le dossier" in err


def test_archive_is_complete_and_read_only(tmp_path, capsys):
    book = example(tmp_path / "livre.xlsx")
    assert main(["cloturer", str(book), "--periode", "2025"]) == 0
    archive = tmp_path / "livre.cloture-2025.xlsx"
    assert archive.read_bytes() == book.read_bytes()
    assert archive.stat().st_mode & 0o222 == 0


def test_archive_name_taken_meanwhile_is_not_replaced(tmp_path, monkeypatch):
    from xlae import atomic

    target = tmp_path / "archive.xlsx"
    source = tmp_path / "source.xlsx"
    source.write_bytes(b"nouveau")
    real_link = atomic.os.link

    def racing(src, dst, *args, **kwargs):  # another program creates the name just before us
        if str(dst) == str(target) and not target.exists():
            target.write_bytes(b"autre programme")
        return real_link(src, dst, *args, **kwargs)

    monkeypatch.setattr(atomic.os, "link", racing)
    with pytest.raises(FileExistsError):
        atomic.copy_file(source, target)
    assert target.read_bytes() == b"autre programme"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["archive.xlsx", "source.xlsx"]


def test_crash_while_saving_the_workbook_keeps_it_and_a_complete_backup(tmp_path, capsys, monkeypatch):
    from xlae.books import write

    book = example(tmp_path / "livre.xlsx")
    original = book.read_bytes()
    releve = statement(tmp_path / "releve.csv", 3, "DELTA")

    def half_save(source, stream, changes):  # the new version's zip, cut by a full disk
        stream.write(original[: len(original) // 2])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(write.xlsx, "copy_with_changes", half_save)
    assert main(["importer", str(releve), "--classeur", str(book), "--appliquer"]) == 2
    err = capsys.readouterr().err
    assert "le fichier d'origine est intact" in err and "plus de place sur le disque" in err
    assert book.read_bytes() == original
    _complete_or_absent(tmp_path, original, ".sauvegarde-")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_crash_in_the_report_copy_leaves_no_partial_report(tmp_path, capsys, monkeypatch):
    from xlae.batch import report

    book = example(tmp_path / "in" / "a.xlsx") if (tmp_path / "in").mkdir() is None else None
    real = report.write_bytes

    def full(target, data, *args, **kwargs):
        if str(target).endswith(".csv"):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(target, data, *args, **kwargs)

    monkeypatch.setattr(report, "write_bytes", full)
    out = tmp_path / "out"
    assert main(["recalculer", str(book), "--sortie", str(out), "--sans-progression", "--jobs", "1"]) == 2
    err = capsys.readouterr().err
    assert "écriture du rapport impossible" in err and "plus de place sur le disque" in err
    assert "rapport.csv" not in files(out)
