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
