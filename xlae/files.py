"""What a file given by the user must be before xlae reads or replaces it.

Why: reading a FIFO named « .xlsx » blocks forever; replacing a workbook
reached through a symbolic link would put a plain file in place of the link
(the real file never updated); replacing one with several hard-link names
would leave the other names on the old version; a read-only file (a closing
archive) must stay as it is. Each case gets a French reason instead.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .errors import XlaeError, os_reason


def not_regular_reason(path: Path) -> str | None:
    """Why ``path`` cannot be read as a file (missing, folder, FIFO, device…), or None."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            return f"lien symbolique vers « {os.readlink(path)} », qui n'existe pas"
        return "fichier introuvable"
    except OSError as error:
        return f"lecture impossible ({os_reason(error)})"
    return kind_reason(info)


def kind_reason(info: os.stat_result) -> str | None:
    if stat.S_ISREG(info.st_mode):
        return None
    if stat.S_ISDIR(info.st_mode):
        return "c'est un dossier, pas un fichier"
    return ("ce n'est pas un fichier ordinaire (tube, périphérique ou socket) ; indiquez le fichier "
            "lui-même")


def read_regular(path: str | os.PathLike[str], what: str, argument: str, limit: int) -> bytes:
    """Bytes of a regular file of at most ``limit`` bytes, else a French error naming ``what`` and the file.

    Opened without blocking, then checked on the open handle: a FIFO or a device
    (« /dev/zero ») is refused before any byte is read, a file over ``limit`` before
    it is loaded.
    """
    given = Path(path)
    try:
        handle = os.open(given, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        if os.path.islink(given):
            raise XlaeError(f"{what} : {given.name} est un lien symbolique vers « {os.readlink(given)} », qui "
                            "n'existe pas.", argument) from None
        raise XlaeError(f"{what} : le fichier {given} n'existe pas.", argument) from None
    except OSError as error:
        raise XlaeError(f"{what} : ouverture de {given} impossible ({os_reason(error)}).", argument) from None
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode):
            kind = "un dossier" if stat.S_ISDIR(info.st_mode) else "un fichier spécial (tube, périphérique)"
            raise XlaeError(f"{what} : {given.name} est {kind}, pas un fichier ordinaire.", argument)
        if info.st_size > limit:
            raise XlaeError(f"{what} : {given.name} fait {info.st_size / 2**20:.0f} Mio ; la limite est "
                            f"{limit // 2**20} Mio. Indiquez un fichier plus petit (une période plus courte).",
                            argument)
        with os.fdopen(handle, "rb", closefd=True) as stream:
            handle = -1
            data = stream.read(limit + 1)
    except OSError as error:
        raise XlaeError(f"{what} : lecture de {given.name} impossible ({os_reason(error)}).", argument) from None
    finally:
        if handle >= 0:
            os.close(handle)
    if len(data) > limit:  # grew while being read
        raise XlaeError(f"{what} : {given.name} dépasse {limit // 2**20} Mio (il grandit pendant la lecture ?).",
                        argument)
    return data


def writable_target(path: str | os.PathLike[str], argument: str = "classeur") -> Path:
    """The real file to replace for ``path``: symbolic links followed, refused when read-only or hard-linked."""
    given = Path(path)
    reason = not_regular_reason(given)
    if reason:
        raise XlaeError(f"{argument} : {given} : {reason}.", argument)
    real = Path(os.path.realpath(given))
    info = os.stat(real)
    if not info.st_mode & stat.S_IWUSR:
        raise XlaeError(f"{argument} : {real.name} est en lecture seule (une copie d'archive de clôture ?) ; "
                        "xlae ne modifie pas un fichier protégé en écriture. Travaillez sur le classeur "
                        "lui-même, ou retirez la protection si vous êtes sûr de vous.", argument)
    if info.st_nlink > 1:
        raise XlaeError(f"{argument} : {real.name} porte {info.st_nlink} noms (liens physiques) : xlae écrit "
                        "une nouvelle version à sa place, et les autres noms garderaient l'ancienne. Faites-en "
                        "une copie ordinaire et travaillez sur cette copie.", argument)
    return real
