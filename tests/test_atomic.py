"""xlae.atomic: a file is replaced whole or not at all, and no temporary file is left behind."""

from __future__ import annotations

import os

import pytest

from xlae.atomic import atomic_path, new_file_mode, write_bytes


def test_write_bytes_replaces_the_file(tmp_path):
    target = tmp_path / "classeur.xlsx"
    target.write_bytes(b"ancien")
    write_bytes(target, b"nouveau")
    assert target.read_bytes() == b"nouveau"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["classeur.xlsx"]


def test_failure_keeps_the_original_and_removes_the_temporary(tmp_path):
    target = tmp_path / "classeur.xlsx"
    target.write_bytes(b"ancien")
    with pytest.raises(RuntimeError):
        with atomic_path(target) as temporary:
            temporary.write_bytes(b"moitie")
            raise RuntimeError("coupure")
    assert target.read_bytes() == b"ancien"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["classeur.xlsx"]


def test_interrupt_keeps_the_original(tmp_path):
    target = tmp_path / "rapport.csv"
    with pytest.raises(KeyboardInterrupt):
        with atomic_path(target) as temporary:
            temporary.write_bytes(b"x")
            raise KeyboardInterrupt
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []


def test_modes(tmp_path):
    target = tmp_path / "a.txt"
    write_bytes(target, b"1")
    assert os.stat(target).st_mode & 0o777 == new_file_mode()
    write_bytes(target, b"2", mode=0o640)
    assert os.stat(target).st_mode & 0o777 == 0o640


def test_missing_folder_raises_oserror(tmp_path):
    with pytest.raises(OSError):
        write_bytes(tmp_path / "absent" / "a.txt", b"1")


def test_suffix_ends_the_temporary_name(tmp_path):
    # Excel opens the temporary copy only when its name ends in .xlsx (xlae.batch.excel).
    with atomic_path(tmp_path / "copie.xlsx", suffix=".xlsx") as temporary:
        assert temporary.name.startswith(".copie.xlsx.") and temporary.suffix == ".xlsx"
        assert temporary.parent == tmp_path
        temporary.write_bytes(b"x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["copie.xlsx"]


# --- the writers that use it ------------------------------------------------------------------

def _only(folder):
    return sorted(p.name for p in folder.iterdir())


def test_batch_reports_have_the_mode_of_a_new_file(tmp_path):
    from xlae.batch import report

    csv_path = report.write_csv([report.ReportRow("a.xlsx", ca=1.0)], tmp_path)
    xlsx_path = report.write_xlsx([report.ReportRow("a.xlsx", ca=1.0)], tmp_path, 0.8, 1.0)
    for path in (csv_path, xlsx_path):
        assert os.stat(path).st_mode & 0o777 == new_file_mode()  # not mkstemp's 0600
    assert csv_path.read_bytes().startswith("\ufeffFichier;".encode("utf-8"))
    assert _only(tmp_path) == ["rapport.csv", "rapport.xlsx"]


def test_batch_copy_interrupted_leaves_nothing(tmp_path, monkeypatch):
    import zipfile

    from xlae.batch import writer, xlsx

    source = tmp_path / "src" / "a.xlsx"
    source.parent.mkdir()
    with zipfile.ZipFile(source, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    out = tmp_path / "out"
    out.mkdir()

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(writer, "changed_members", lambda *args: {})
    monkeypatch.setattr(xlsx, "copy_with_changes", interrupted)
    with zipfile.ZipFile(source) as archive, pytest.raises(KeyboardInterrupt):
        writer.write_copy(archive, None, {}, source, out / "a.xlsx")
    assert _only(out) == []


def test_batch_copy_has_the_mode_of_a_new_file(tmp_path, monkeypatch):
    import zipfile

    from xlae.batch import writer

    source = tmp_path / "src.xlsx"
    with zipfile.ZipFile(source, "w") as archive:
        archive.writestr("a.txt", "bonjour")
    monkeypatch.setattr(writer, "changed_members", lambda *args: {})
    with zipfile.ZipFile(source) as archive:
        writer.write_copy(archive, None, {}, source, tmp_path / "copie.xlsx")
    assert os.stat(tmp_path / "copie.xlsx").st_mode & 0o777 == new_file_mode()
    with zipfile.ZipFile(tmp_path / "copie.xlsx") as copy:
        assert copy.read("a.txt") == b"bonjour"
    assert _only(tmp_path) == ["copie.xlsx", "src.xlsx"]


def test_modele_writes_a_new_file_with_the_umask_mode(tmp_path):
    from xlae.template.build import write_new_file

    target = write_new_file(tmp_path / "modele.xlsx", b"PK")
    assert target.read_bytes() == b"PK"
    assert os.stat(target).st_mode & 0o777 == new_file_mode()  # was mkstemp's 0600 before xlae.atomic
    assert _only(tmp_path) == ["modele.xlsx"]


def test_modele_write_error_is_french_and_keeps_the_old_file(tmp_path, monkeypatch):
    import errno

    from xlae import atomic
    from xlae.errors import XlaeError
    from xlae.template.build import write_new_file

    target = tmp_path / "modele.xlsx"
    target.write_bytes(b"ancien")

    def full(self, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic.Path, "write_bytes", full)
    with pytest.raises(XlaeError, match=r"^--sortie : impossible d'écrire dans .* \(plus de place sur le disque\)\.$"):
        write_new_file(target, b"nouveau", force=True)
    monkeypatch.undo()
    assert target.read_bytes() == b"ancien"
    assert _only(tmp_path) == ["modele.xlsx"]
