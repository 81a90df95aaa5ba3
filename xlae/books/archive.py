"""A workbook file before any cell is read: signature, zip directory, size limits, parts.

Why: every command must say in French why a file cannot be read — not a zip,
encrypted, an old ``.xls``, a zip bomb, a sheet missing — instead of a traceback,
and must refuse it before inflating anything.
"""

from __future__ import annotations

import os
import re
import zipfile
import zlib
from pathlib import Path

from ..errors import XlaeError
from ..template import layout
from ..batch import xlsx

CFB_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
ZIP_MAGIC = b"PK\x03\x04"
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")
_MISSING_MEMBER = re.compile(r"no item named '([^']+)'")
# Remedy shared by every "damaged file" reason (the library's own English text is not shown).
DAMAGED_ADVICE = ("ouvrez-le dans Excel ou LibreOffice et enregistrez-le de nouveau, ou reprenez une "
                  "sauvegarde")
# What a workbook may inflate to (zip directory sizes): one part holds a full Excel sheet of
# the ledger (1 048 576 rows take about 400 MiB), the whole workbook twice that.
MAX_PART_BYTES = 512 << 20
MAX_TOTAL_BYTES = 1 << 30
MAX_MEMBERS = 10_000
REQUIRED_SHEETS = (layout.SHEET_PARAMETRES, layout.SHEET_RECETTES, layout.SHEET_ACHATS, layout.SHEET_SYNTHESE)


class UnreadableWorkbook(XlaeError):
    """Ce fichier ne peut pas être lu (la raison est dans le message)."""


class DamagedWorkbook(UnreadableWorkbook):
    """A zip or XML part cannot be read; ``sheet`` names the sheet when one is at fault."""

    def __init__(self, message: str, sheet: str | None = None) -> None:
        super().__init__(message)
        self.sheet = sheet


def check_signature(path: Path) -> None:
    """Refuse, with the reason, anything that is not an xlsx zip (a FIFO is refused, never waited on)."""
    from ..errors import os_reason
    from ..files import kind_reason, not_regular_reason

    try:
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise UnreadableWorkbook(f"{not_regular_reason(path) or 'fichier introuvable'}.") from None
    except IsADirectoryError:
        raise UnreadableWorkbook("c'est un dossier, pas un classeur.") from None
    except OSError as error:
        raise UnreadableWorkbook(f"lecture impossible ({os_reason(error)}).") from None
    try:
        reason = kind_reason(os.fstat(handle))
        if reason:
            raise UnreadableWorkbook(f"{reason}.")
        with os.fdopen(handle, "rb", closefd=False) as stream:
            head = stream.read(65536)
    except OSError as error:
        raise UnreadableWorkbook(f"lecture impossible ({os_reason(error)}).") from None
    finally:
        os.close(handle)
    if not head:
        raise UnreadableWorkbook("fichier vide (0 octet).")
    if head.startswith(CFB_MAGIC):
        if _ENCRYPTION_INFO in head or path.suffix.lower() != ".xls":
            raise UnreadableWorkbook("classeur chiffré (protégé par un mot de passe à l'ouverture) : "
                                     "enregistrez-en une copie sans mot de passe puis relancez.")
        raise UnreadableWorkbook("ancien format Excel 97-2003 (.xls), non pris en charge : ouvrez-le dans "
                                 "Excel ou LibreOffice et enregistrez-le au format .xlsx.")
    if not head.startswith(ZIP_MAGIC):
        raise UnreadableWorkbook("ce n'est pas un classeur Excel .xlsx (fichier corrompu ou d'un autre "
                                 "format).")


def check_sizes(archive: zipfile.ZipFile) -> None:
    """Refuse a workbook whose parts would inflate beyond the limits, from the zip directory alone.

    Why: a 3 MB « zip bomb » whose sheet inflates to 3 GiB would be read to the
    end (gigabytes of memory). The sizes declared in the zip directory bound what
    the readers inflate: zipfile stops at the declared size and calamine refuses
    a part larger than declared, so checking them before reading is enough.
    """
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise UnreadableWorkbook(f"archive de {len(members)} parties (au plus {MAX_MEMBERS} dans un classeur "
                                 "lisible par xlae) : ce n'est pas un classeur ordinaire.")
    total = 0
    for info in members:
        total += info.file_size
        if info.file_size > MAX_PART_BYTES:
            raise UnreadableWorkbook(f"la partie « {info.filename} » se décompresse en {_mib(info.file_size)} "
                                     f"(au plus {_mib(MAX_PART_BYTES)} par partie, de quoi tenir une feuille "
                                     "d'Excel entièrement remplie) : classeur refusé avant lecture.")
    if total > MAX_TOTAL_BYTES:
        raise UnreadableWorkbook(f"le classeur se décompresse en {_mib(total)} (au plus "
                                 f"{_mib(MAX_TOTAL_BYTES)}) : classeur refusé avant lecture.")


def _mib(size: int) -> str:
    return f"{size / (1 << 20):,.0f} Mio".replace(",", "\u202f")


def open_archive(path: Path, check: bool = True) -> zipfile.ZipFile:
    """The xlsx zip, after the signature check; French reason if it is damaged.

    ``check=False``: without the XML check of its parts (``check_archive_parts``, to be run before any
    reader's result is used: ``books.calamine.opened`` overlaps it with calamine's reading).
    """
    check_signature(path)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise DamagedWorkbook("archive .xlsx corrompue (tronquée ou endommagée : copie ou téléchargement interrompu ?) : "
                                 f"{DAMAGED_ADVICE}.") from None
    try:
        check_sizes(archive)
    except UnreadableWorkbook:
        archive.close()
        raise
    names = set(archive.namelist())
    if "[Content_Types].xml" not in names or "_rels/.rels" not in names:
        archive.close()
        raise UnreadableWorkbook("archive zip qui n'est pas un classeur Excel (parties xlsx absentes).")
    if check:
        try:
            check_archive_parts(archive)
        except UnreadableWorkbook:
            archive.close()
            raise
    return archive


def check_archive_parts(archive: zipfile.ZipFile) -> None:
    """Every XML part well formed (``books.parts``), else ``UnreadableWorkbook`` naming it."""
    from .parts import check_parts

    check_parts(archive, DAMAGED_ADVICE)  # calamine would read a broken tag without a word


def package_of(archive: zipfile.ZipFile, required: tuple[str, ...] = REQUIRED_SHEETS) -> xlsx.Package:
    """Sheets and defined names; French reason when a part is missing or a ``required`` sheet absent."""
    try:
        package = xlsx.read_package(archive)
    except KeyError as error:
        missing = _MISSING_MEMBER.search(str(error))
        part = f"partie « {missing.group(1)} » absente de l'archive" if missing else "partie absente"
        raise DamagedWorkbook(f"structure du classeur illisible ({part}) : {DAMAGED_ADVICE}.") from None
    except (zipfile.BadZipFile, UnicodeDecodeError, ValueError, EOFError, zlib.error):
        raise DamagedWorkbook(f"structure du classeur illisible (contenu endommagé) : {DAMAGED_ADVICE}.") from None
    missing = [name for name in required if name not in package.sheets]
    if missing:
        sheets = ", ".join(f"« {n} »" for n in package.sheets) or "aucune"
        raise UnreadableWorkbook(
            f"feuille{'s' if len(missing) > 1 else ''} {', '.join(f'« {n} »' for n in missing)} "
            f"absente{'s' if len(missing) > 1 else ''} (feuilles trouvées : {sheets}) : ce classeur n'a pas "
            f"été créé avec « xlae modele ».")
    return package


def sheet_formulas(archive: zipfile.ZipFile, package: xlsx.Package, sheet: str) -> dict[str, str]:
    """Formula cells of one sheet (ref -> text without « = »); French reason if its XML is damaged."""
    from .parts import formula_free

    try:
        member = package.sheets[sheet]
        if formula_free(archive, member):  # seen by the check of the parts: no formula tag at all
            return {}
        return xlsx.member_formula_cells(archive, member)
    except KeyError:
        raise DamagedWorkbook(f"feuille « {sheet} » absente de l'archive : {DAMAGED_ADVICE}.", sheet) from None
    except (zipfile.BadZipFile, ValueError, EOFError, zlib.error):
        raise DamagedWorkbook(f"feuille « {sheet} » illisible (contenu endommagé) : {DAMAGED_ADVICE}.",
                              sheet) from None


def summary_formulas(archive: zipfile.ZipFile, package: xlsx.Package) -> dict[str, str]:
    """Formula cells of the Synthèse sheet; French reason if its XML or the archive is damaged."""
    return sheet_formulas(archive, package, layout.SHEET_SYNTHESE)
