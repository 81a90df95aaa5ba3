"""One writer at a time per workbook: a lock file beside it, held from reading to saving.

Why: two ``xlae importer --appliquer`` on the same workbook both read it, both
add their rows and both save: the second save silently drops the first one's
rows. Every command that writes a workbook holds this lock from before it
reads the file until its new version is in place; a second writer waits a
little, then is refused with the name of the command that holds it.

The lock is an operating-system lock (``flock``, ``msvcrt.locking`` on
Windows) on a hidden file « .NOM.xlsx.xlae-verrou »: it is released by the
system when the process ends, even killed, so a crash never leaves a
workbook locked. The file records who holds it, for the refusal message.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .errors import XlaeError

SUFFIX = ".xlae-verrou"
ENV_WAIT = "XLAE_ATTENTE_VERROU"   # seconds a second writer waits (tests shorten it)
DEFAULT_WAIT = 5.0
_POLL = 0.05


def lock_path(workbook: Path) -> Path:
    return workbook.with_name(f".{workbook.name}{SUFFIX}")


def _wait_seconds() -> float:
    try:
        return max(0.0, float(os.environ.get(ENV_WAIT, DEFAULT_WAIT)))
    except ValueError:
        return DEFAULT_WAIT


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(handle: int) -> bool:
        try:
            os.lseek(handle, 0, os.SEEK_SET)
            msvcrt.locking(handle, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False

    def _unlock(handle: int) -> None:
        os.lseek(handle, 0, os.SEEK_SET)
        msvcrt.locking(handle, msvcrt.LK_UNLCK, 1)

    _UNLINK_WHILE_OPEN = False
else:
    import fcntl

    def _try_lock(handle: int) -> bool:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            return False

    def _unlock(handle: int) -> None:
        fcntl.flock(handle, fcntl.LOCK_UN)

    _UNLINK_WHILE_OPEN = True


def _holder(path: Path) -> str:
    """« xlae importer (processus 1234, depuis 10:02:03) » from the lock file, or a neutral text."""
    try:
        text = path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        text = ""
    parts = dict(item.split("=", 1) for item in text.split(";") if "=" in item)
    command = parts.get("commande") or "une autre commande xlae"
    details = [f"processus {parts['pid']}" if parts.get("pid") else "",
               f"depuis {parts['depuis']}" if parts.get("depuis") else ""]
    details = [d for d in details if d]
    return f"« {command} »" + (f" ({', '.join(details)})" if details else "")


def _open_locked(path: Path, deadline: float) -> int | None:
    """A handle on the lock file, locked; None when the deadline passed first."""
    while True:
        handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
        if _try_lock(handle):
            try:  # the holder may have removed the file just before we locked it: start again
                same = os.path.samestat(os.fstat(handle), os.stat(path))
            except FileNotFoundError:
                same = False
            if same:
                return handle
            _unlock(handle)
        os.close(handle)
        if time.monotonic() >= deadline:
            return None
        time.sleep(_POLL)


@contextmanager
def workbook_lock(workbook: str | os.PathLike[str], command: str, argument: str = "classeur") -> Iterator[None]:
    """Hold the lock of ``workbook`` (its real path) while the block runs; ``command`` names the holder.

    ``argument`` starts the French messages (the option that named the file).
    """
    real = Path(os.path.realpath(workbook))
    path = lock_path(real)
    try:
        handle = _open_locked(path, time.monotonic() + _wait_seconds())
    except OSError as error:
        from .errors import os_reason

        raise XlaeError(f"{argument} : impossible de poser le verrou {path.name} dans le dossier de "
                        f"{real.name} ({os_reason(error)}) ; rien n'a été modifié.", argument) from None
    if handle is None:
        raise XlaeError(f"{argument} : {real.name} est en cours de modification par {_holder(path)} ; "
                        "attendez la fin de cette commande puis relancez (rien n'a été modifié).", argument)
    try:
        info = f"commande={command};pid={os.getpid()};depuis={dt.datetime.now():%H:%M:%S}"
        try:
            os.ftruncate(handle, 0)
            os.write(handle, info.encode("utf-8"))
        except OSError:  # a full disk: the lock holds without its holder's name; the writes that follow say why
            pass
        yield
    finally:
        if _UNLINK_WHILE_OPEN:
            try:
                path.unlink()
            except OSError:
                pass
        _unlock(handle)
        os.close(handle)
