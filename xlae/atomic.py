"""Atomic file writing: a temporary file in the target's folder, then one rename.

Why: a user's file must never be half written (crash, Ctrl-C, full disk).
Readers see the old file or the new one, nothing in between; the temporary
file is removed whatever happens.
"""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


def new_file_mode() -> int:
    """Permissions of a new file under the current umask (mkstemp alone gives 0600)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


@contextmanager
def atomic_path(target: str | os.PathLike[str], mode: int | None = None,
                suffix: str = ".tmp") -> Iterator[Path]:
    """Yield a temporary path beside ``target``; rename it over ``target`` on success.

    ``mode`` defaults to the permissions of a new file (the caller passes the
    original file's mode when it replaces one). ``suffix`` ends the temporary
    name (Excel only opens a file whose name ends in .xlsx/.xlsm). ``OSError``
    from creating the temporary file propagates: callers turn it into a French
    message.
    """
    target = Path(target)
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=suffix, dir=target.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        os.chmod(temporary, new_file_mode() if mode is None else mode)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_bytes(target: str | os.PathLike[str], data: bytes, mode: int | None = None) -> None:
    """Write ``data`` to ``target`` atomically."""
    with atomic_path(target, mode) as temporary:
        temporary.write_bytes(data)
