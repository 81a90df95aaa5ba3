"""Atomic file writing: a temporary file in the target's folder, fsync, then one rename.

Why: a user's file must never be half written (crash, Ctrl-C, full disk).
Readers see the old file or the new one, nothing in between; the temporary
file is removed whatever happens. Data is flushed to the disk (fsync) before
the rename, so a power cut cannot leave a renamed but empty file. Backups and
closing archives are copies made the same way (``copy_file``): the official
name never holds a truncated copy.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


def new_file_mode() -> int:
    """Permissions of a new file under the current umask (mkstemp alone gives 0600)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def fsync_file(path: str | os.PathLike[str]) -> None:
    """Flush a written file's data to the disk."""
    handle = os.open(path, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def fsync_folder(folder: str | os.PathLike[str]) -> None:
    """Flush a folder's entries (the rename) to the disk; not possible everywhere (Windows)."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


@contextmanager
def atomic_path(target: str | os.PathLike[str], mode: int | None = None,
                suffix: str = ".tmp", replace: bool = True, sync_folder: bool = True) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; put it at ``target`` on success.

    ``mode`` defaults to the permissions of a new file (the caller passes the
    original file's mode when it replaces one). ``suffix`` ends the temporary
    name (Excel only opens a file whose name ends in .xlsx/.xlsm). With
    ``replace=False`` an existing ``target`` is never replaced, even one created
    meanwhile by another program: ``FileExistsError`` is raised instead.
    ``sync_folder=False`` leaves the flush of the folder (the new name) to the
    caller: a batch writing thousands of new files flushes its folder once, at the
    end (the data of each file is still flushed before its name is given).
    ``OSError`` propagates: callers turn it into a French message.
    """
    target = Path(target)
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=suffix, dir=target.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        os.chmod(temporary, new_file_mode() if mode is None else mode)
        fsync_file(temporary)
        if replace:
            os.replace(temporary, target)
        else:
            _place_new(temporary, target)
        if sync_folder:
            fsync_folder(target.parent)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _place_new(temporary: Path, target: Path) -> None:
    """Give ``temporary`` the name ``target`` only if that name is free (a hard link is exclusive)."""
    try:
        os.link(temporary, target)
    except FileExistsError:
        raise
    except OSError:  # no hard links here (FAT, some network shares): check, then rename
        if os.path.lexists(target):
            raise FileExistsError(17, "File exists", str(target)) from None
        os.replace(temporary, target)
        return
    temporary.unlink()


def write_bytes(target: str | os.PathLike[str], data: bytes, mode: int | None = None,
                replace: bool = True) -> None:
    """Write ``data`` to ``target`` atomically."""
    with atomic_path(target, mode, replace=replace) as temporary:
        temporary.write_bytes(data)


def copy_file(source: str | os.PathLike[str], target: str | os.PathLike[str], mode: int | None = None,
              replace: bool = False) -> None:
    """Copy ``source`` to ``target`` through a temporary file (never a partial ``target``).

    By default an existing ``target`` is kept (``FileExistsError``): a backup or
    an archive never replaces another file.
    """
    with atomic_path(target, mode, suffix=Path(target).suffix or ".tmp", replace=replace) as temporary:
        with open(source, "rb") as reader, open(temporary, "wb") as writer:
            shutil.copyfileobj(reader, writer, 1 << 20)
        shutil.copystat(source, temporary)
