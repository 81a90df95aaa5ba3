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
