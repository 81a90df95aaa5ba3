"""Read a filled template fast: file checks, named parameters, the two ledgers.

Why: the batch must read 100 000 ledger rows in about a second (python-calamine,
read-only, Rust) and must say in French why a file cannot be read — not a
zip, encrypted, an old ``.xls``, a sheet missing — instead of a traceback.
"""

from __future__ import annotations

import os
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import XlaeError
from ..template import layout
from . import xlsx

if TYPE_CHECKING:
    import pandas

CFB_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
ZIP_MAGIC = b"PK\x03\x04"
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")
_CELL = re.compile(r"^([A-Z]{1,3})(\d+)$")
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
    """Ce fichier ne peut pas être recalculé (la raison est dans le message)."""


@dataclass
class Ledgers:
    """Raw values read from the workbook, as the summary's ``Inputs`` wants them."""

    parametres: dict[str, Any]
    recettes: "pandas.DataFrame"
    achats: "pandas.DataFrame"


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


def open_archive(path: Path) -> zipfile.ZipFile:
    """The xlsx zip, after the signature check; French reason if it is damaged."""
    check_signature(path)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise UnreadableWorkbook("archive .xlsx corrompue (tronquée ou endommagée : copie ou téléchargement interrompu ?) : "
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
    from .parts import check_parts

    try:
        check_parts(archive, DAMAGED_ADVICE)  # calamine would read a broken tag without a word
    except UnreadableWorkbook:
        archive.close()
        raise
    return archive


def package_of(archive: zipfile.ZipFile) -> xlsx.Package:
    try:
        package = xlsx.read_package(archive)
    except KeyError as error:
        missing = _MISSING_MEMBER.search(str(error))
        part = f"partie « {missing.group(1)} » absente de l'archive" if missing else "partie absente"
        raise UnreadableWorkbook(f"structure du classeur illisible ({part}) : {DAMAGED_ADVICE}.") from None
    except (zipfile.BadZipFile, UnicodeDecodeError, ValueError, EOFError, zlib.error):
        raise UnreadableWorkbook(f"structure du classeur illisible (contenu endommagé) : {DAMAGED_ADVICE}.") from None
    missing = [name for name in REQUIRED_SHEETS if name not in package.sheets]
    if missing:
        sheets = ", ".join(f"« {n} »" for n in package.sheets) or "aucune"
        raise UnreadableWorkbook(
            f"feuille{'s' if len(missing) > 1 else ''} {', '.join(f'« {n} »' for n in missing)} "
            f"absente{'s' if len(missing) > 1 else ''} (feuilles trouvées : {sheets}) : ce classeur n'a pas "
            f"été créé avec « xlae modele ».")
    return package


def summary_formulas(archive: zipfile.ZipFile, package: xlsx.Package) -> dict[str, str]:
    """Formula cells of the Synthèse sheet; French reason if its XML or the archive is damaged."""
    try:
        return xlsx.formula_cells(archive.read(package.sheets[layout.SHEET_SYNTHESE]))
    except KeyError:
        raise UnreadableWorkbook(f"feuille « {layout.SHEET_SYNTHESE} » absente de l'archive : "
                                 f"{DAMAGED_ADVICE}.") from None
    except (zipfile.BadZipFile, ValueError, EOFError, zlib.error):
        raise UnreadableWorkbook(f"feuille « {layout.SHEET_SYNTHESE} » illisible (contenu endommagé) : "
                                 f"{DAMAGED_ADVICE}.") from None


def read_ledgers(path: Path, package: xlsx.Package) -> Ledgers:
    """Named parameters and both ledgers, raw cell values ('' read as None)."""
    try:
        from python_calamine import CalamineWorkbook
    except ImportError:
        raise XlaeError("le module python-calamine n'est pas installé ; installez les dépendances du "
                        "recalcul : pip install \"xlae[lot]\".") from None
    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception:  # calamine raises its own error types, with an English text
        raise UnreadableWorkbook(f"lecture du classeur impossible (contenu XML endommagé ou format non "
                                 f"reconnu) : {DAMAGED_ADVICE}.") from None
    try:
        grids: dict[str, list[list[Any]]] = {}

        def grid(sheet: str) -> list[list[Any]]:
            if sheet not in grids:
                try:
                    grids[sheet] = workbook.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
                except Exception:  # calamine's text ("", the sheet name…) says nothing to a user
                    raise UnreadableWorkbook(f"feuille « {sheet} » illisible (contenu absent ou endommagé) : "
                                             f"{DAMAGED_ADVICE}.") from None
            return grids[sheet]

        parametres = _parameters(package, grid)
        recettes = _ledger(grid(layout.SHEET_RECETTES), layout.RECETTES_COLUMNS)
        achats = _ledger(grid(layout.SHEET_ACHATS), layout.ACHATS_COLUMNS)
    finally:
        workbook.close()
    return Ledgers(parametres, recettes, achats)


def _parameters(package: xlsx.Package, grid: Any) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in layout.PARAMETER_NAMES:
        text = package.defined_names.get(name.lower())
        where = xlsx.split_reference(text) if text else None
        if where is None:
            raise UnreadableWorkbook(f"nom défini « {name} » absent ou invalide (attendu : une cellule de la "
                                     f"feuille « {layout.SHEET_PARAMETRES} ») : ce classeur n'a pas été créé "
                                     f"avec « xlae modele ».")
        sheet, cell = where
        row, column = position(cell)
        rows = grid(sheet) if sheet in package.sheets else None
        if rows is None:
            raise UnreadableWorkbook(f"nom défini « {name} » : la feuille « {sheet} » n'existe pas.")
        value = rows[row][column] if row < len(rows) and column < len(rows[row]) else None
        values[name] = None if value == "" else value
    return values


def position(cell: str) -> tuple[int, int]:
    """``"B2"`` → (1, 1): zero-based row and column."""
    match = _CELL.match(cell)
    assert match, cell
    column = 0
    for letter in match.group(1):
        column = column * 26 + ord(letter) - 64
    return int(match.group(2)) - 1, column - 1


def _ledger(rows: list[list[Any]], columns: tuple[layout.Column, ...]) -> "pandas.DataFrame":
    """Data rows (from row 2) as a DataFrame keyed by the layout, plus the sheet row number."""
    import pandas

    first = layout.FIRST_DATA_ROW - 1
    positions = [position(col.letter + "1")[1] for col in columns]
    last = len(rows)
    while last > first and all(cell == "" or cell is None for cell in rows[last - 1]):
        last -= 1
    data = rows[first:last]
    width = max(positions) + 1
    frame = pandas.DataFrame([row[:width] + [""] * (width - len(row)) if len(row) < width else row[:width]
                              for row in data], columns=range(width)) if data else pandas.DataFrame(
        columns=range(width))
    frame = frame[positions]
    frame.columns = [col.key for col in columns]
    frame = frame.astype(object).where(frame.ne(""), None)
    frame["row"] = range(layout.FIRST_DATA_ROW + 0, layout.FIRST_DATA_ROW + len(frame))
    return frame
