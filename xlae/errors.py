"""One error type for everything a user can get wrong, with a French message.

Why: a user must never see a traceback. Adapters (Excel cell, CLI) catch
``XlaeError`` and show ``str(error)``; anything else is a bug in xlae.
"""

from __future__ import annotations

from typing import Any, Iterable


class XlaeError(ValueError):
    """Erreur de saisie ou de barème, avec un message en français."""

    def __init__(self, message: str, argument: str | None = None) -> None:
        super().__init__(message)
        self.argument = argument


def show(value: Any) -> str:
    """Render a user value inside a message (« … »), short; a date as the user typed it (JJ/MM/AAAA)."""
    import datetime as dt

    if isinstance(value, dt.datetime) and value.time() == dt.time():
        value = value.date()
    if isinstance(value, (dt.date, dt.datetime)):
        text = f"{value.day:02d}/{value.month:02d}/{value.year:04d}"
        if isinstance(value, dt.datetime):
            text += f" {value:%H:%M:%S}"
    else:
        text = repr(value) if not isinstance(value, str) else value
    if len(text) > 60:
        text = text[:57] + "…"
    return f"« {text} »"


def invalid(argument: str, value: Any, accepted: str | Iterable[str]) -> XlaeError:
    """Build the standard message: argument, value received, what is accepted."""
    if not isinstance(accepted, str):
        accepted = ", ".join(accepted)
    return XlaeError(
        f"{argument} : valeur {show(value)} refusée. Valeurs acceptées : {accepted}.",
        argument,
    )


# French text of the system errors a user can meet (the system's own text is English).
_OS_REASONS = {
    "ENOSPC": "plus de place sur le disque",
    "EDQUOT": "quota de disque dépassé",
    "EACCES": "permission refusée",
    "EPERM": "opération non permise",
    "EROFS": "support en lecture seule",
    "ENOENT": "fichier ou dossier introuvable",
    "ENOTDIR": "un élément du chemin n'est pas un dossier",
    "EISDIR": "c'est un dossier",
    "EEXIST": "le fichier existe déjà",
    "ENAMETOOLONG": "nom de fichier trop long",
    "ELOOP": "trop de liens symboliques en chaîne",
    "EMFILE": "trop de fichiers ouverts",
    "ENFILE": "trop de fichiers ouverts",
    "EIO": "erreur matérielle d'entrée-sortie",
    "EBUSY": "fichier ou périphérique occupé",
    "ETXTBSY": "fichier occupé",
    "EXDEV": "déplacement entre deux disques impossible",
    "EFBIG": "fichier trop grand",
    "ENXIO": "périphérique absent",
    "EAGAIN": "ressource momentanément indisponible",
    "ESTALE": "fichier réseau devenu inaccessible",
}


def os_reason(error: OSError) -> str:
    """The French reason of a system error (« plus de place sur le disque »), never the English text."""
    import errno

    name = errno.errorcode.get(error.errno or 0, "")
    if name in _OS_REASONS:
        return _OS_REASONS[name]
    return f"erreur système {name or error.errno or type(error).__name__}"


def csv_reason(error: Exception) -> str:
    """French reason of a ``csv.Error`` (its own text is English: « field larger than field limit »)."""
    text = str(error)
    if "field limit" in text:
        return "un champ dépasse 128 Kio (guillemet non refermé ?)"
    if "NUL" in text:
        return "caractère nul (fichier binaire ?)"
    if "EOF" in text or "newline" in text:
        return "guillemet ouvert et non refermé"
    return "ligne CSV mal formée"

