"""Open a workbook made from the xlae template, read its ledgers, save it safely.

Why: every ledger tool must refuse a workbook that is not ours (clear French
error, nothing touched), read the rows the same way, and never lose a user's
file: a backup of the previous version first, then an atomic replace.
"""

from __future__ import annotations

import datetime as dt
import os
import stat
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from ..atomic import atomic_path, copy_file
from ..errors import XlaeError, os_reason
from ..files import writable_target
from ..lock import workbook_lock
from ..rules.vocabulary import normalize
from ..template import layout
from ..template.layout import Column

LEDGERS: dict[str, tuple[Column, ...]] = {
    layout.SHEET_RECETTES: layout.RECETTES_COLUMNS,
    layout.SHEET_ACHATS: layout.ACHATS_COLUMNS,
}
RECALC_NOTE = ("Les valeurs calculées des formules ne sont pas conservées par openpyxl : "
               "ouvrez le classeur dans Excel ou lancez « xlae recalculer ».")


@dataclass(frozen=True)
class LedgerRow:
    """One row of a ledger sheet: its number and its raw cell values by column key."""

    sheet: str
    row: int
    values: dict[str, Any]

    def get(self, key: str) -> Any:
        return self.values.get(key)

    @property
    def empty(self) -> bool:
        return all(_blank(v) for v in self.values.values())


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


@dataclass
class Book:
    """A template workbook opened with openpyxl (formulas kept, not evaluated)."""

    path: Path
    wb: Workbook
    _rows: dict[str, list[LedgerRow]] = field(default_factory=dict)

    def close(self) -> None:
        """Release the file (a read-only workbook keeps it open until closed)."""
        self.wb.close()

    def has(self, sheet: str) -> bool:
        return sheet in self.wb.sheetnames

    def rows(self, sheet: str) -> list[LedgerRow]:
        """Rows from the first data row to the last non-empty one (empty rows in between kept).

        Read once per sheet: call ``forget`` after writing rows.
        """
        if sheet not in self._rows:
            self._rows[sheet] = self._read_rows(sheet)
        return self._rows[sheet]

    def forget(self) -> None:
        self._rows.clear()

    def _read_rows(self, sheet: str) -> list[LedgerRow]:
        if not self.has(sheet):
            return []
        columns = LEDGERS[sheet]
        width = max(column_index(c.letter) for c in columns)
        found: list[LedgerRow] = []
        last = 0
        ws = self.wb[sheet]
        number = layout.FIRST_DATA_ROW
        try:
            for number, cells in enumerate(ws.iter_rows(min_row=layout.FIRST_DATA_ROW, max_col=width,
                                                        values_only=True), start=layout.FIRST_DATA_ROW):
                cells = tuple(cells) + (None,) * (width - len(cells))
                row = LedgerRow(sheet, number, {c.key: cells[column_index(c.letter) - 1] for c in columns})
                found.append(row)
                if not row.empty:
                    last = len(found)
        except Exception:  # openpyxl reads lazily: a damaged sheet fails here (ParseError, int('NaN')…)
            raise damaged(self.path, sheet, len(found) + layout.FIRST_DATA_ROW) from None
        return found[:last]

    def iter_values(self, sheet: str, **bounds: Any) -> list[tuple[Any, ...]]:
        """``ws.iter_rows(values_only=True)`` of any sheet, a damaged sheet giving a French error."""
        rows: list[tuple[Any, ...]] = []
        try:
            for cells in self.wb[sheet].iter_rows(values_only=True, **bounds):
                rows.append(tuple(cells))
        except Exception:
            raise damaged(self.path, sheet, bounds.get("min_row", 1) + len(rows)) from None
        return rows

    def parameter_cell(self, name: str) -> tuple[str, str] | None:
        """(sheet, coordinate) of a named parameter cell, or None when the name is missing."""
        defined = self.wb.defined_names.get(name)
        if defined is None:
            for ws in self.wb.worksheets:
                names = getattr(ws, "defined_names", {})
                if name in names:
                    defined = names[name]
                    break
        if defined is None:
            return None
        for sheet, coord in defined.destinations:
            return sheet, coord.replace("$", "").split(":")[0]
        return None

    def parameter(self, name: str) -> tuple[Any, str]:
        """Value of a named parameter cell and where it is (« Paramètres!B3 »)."""
        where = self.parameter_cell(name)
        if where is None or where[0] not in self.wb.sheetnames:
            raise not_template(self.path, f"le nom défini « {name} » (cellule de paramètre) est absent")
        sheet, coord = where
        try:
            value = self.wb[sheet][coord].value
        except Exception:  # read-only openpyxl parses the sheet here: a damaged one fails in English
            raise damaged(self.path, sheet, None) from None
        return value, f"{sheet}!{coord}"


def column_index(letter: str) -> int:
    """« A » → 1, « AA » → 27."""
    number = 0
    for char in letter:
        number = number * 26 + ord(char.upper()) - 64
    return number


def not_template(path: Path, why: str) -> XlaeError:
    return XlaeError(f"{path.name} n'a pas été créé avec le modèle xlae ({why}). Créez un classeur avec "
                     "« xlae modele » et recopiez-y vos lignes.", "classeur")


def open_book(path: str | os.PathLike[str], write: bool = False) -> Book:
    """Open and check a template workbook; ``write`` loads it fully (for saving), else read-only.

    Only a regular file is read (a FIFO would block), after its zip directory
    passed the size limits (``check_sizes``); a damaged sheet gives a French
    error naming the sheet, now or when its rows are read.
    """
    path = Path(path)
    from ..batch.parts import check_parts
    from ..batch.reader import DAMAGED_ADVICE, UnreadableWorkbook, check_signature, check_sizes
    from ..files import not_regular_reason

    reason = not_regular_reason(path)
    if reason == "fichier introuvable":
        raise XlaeError(f"classeur : le fichier {path} n'existe pas.", "classeur")
    if reason:
        raise XlaeError(f"classeur : {path} : {reason}.", "classeur")
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise XlaeError(f"classeur : {path.name} n'est pas un classeur .xlsx (ni .xlsm).", "classeur")
    try:  # empty file, password-protected (CFB), old .xls renamed, not a zip, zip bomb: the batch's reasons
        check_signature(path)
        with zipfile.ZipFile(path) as archive:
            check_sizes(archive)
            check_parts(archive, DAMAGED_ADVICE)  # also the sheets this command does not read
    except UnreadableWorkbook as error:
        raise XlaeError(f"classeur : {path.name} : {error}", "classeur") from None
    except (zipfile.BadZipFile, OSError, ValueError):
        raise damaged(path, None, None) from None
    try:
        wb = load_workbook(path, read_only=not write, data_only=False,
                           keep_vba=path.suffix.lower() == ".xlsm")
    except Exception:  # any unreadable file (zip, XML…) is a user error here; the library's text is English
        raise damaged(path, _failing_sheet(path) if write else None, None) from None
    book = Book(path, wb)
    try:
        check_template(book)
    except BaseException:
        book.close()
        raise
    return book


def _failing_sheet(path: Path) -> str | None:
    """The sheet a full load failed on (a bad shared-string index…), found by reading each sheet lazily."""
    try:
        wb = load_workbook(path, read_only=True, data_only=False)
    except Exception:
        return None
    try:
        for ws in wb.worksheets:
            try:
                for _ in ws.iter_rows(values_only=True):
                    pass
            except Exception:
                return ws.title
        return None
    finally:
        wb.close()


def damaged(path: Path, sheet: str | None, row: int | None) -> XlaeError:
    """French error for a part openpyxl cannot read (mismatched XML tag, impossible cell value…)."""
    from ..batch.reader import DAMAGED_ADVICE

    where = ""
    if sheet:
        where = f", feuille {sheet}" + (f" (vers la ligne {row})" if row else "")
    return XlaeError(f"classeur : {path.name} n'est pas un classeur Excel lisible{where} (archive ou contenu "
                     f"XML endommagé) : {DAMAGED_ADVICE}.", "classeur")


def check_template(book: Book) -> None:
    """Refuse a workbook whose sheets, headers or named cells differ from the layout."""
    for sheet in (layout.SHEET_PARAMETRES, layout.SHEET_RECETTES):
        if not book.has(sheet):
            raise not_template(book.path, f"feuille « {sheet} » absente")
    for sheet, columns in LEDGERS.items():
        if not book.has(sheet):
            continue
        width = max(column_index(c.letter) for c in columns)
        header = next(iter(book.iter_values(sheet, min_row=layout.HEADER_ROW, max_row=layout.HEADER_ROW,
                                            max_col=width)), ())
        header = tuple(header) + (None,) * (width - len(header))
        for col in columns:
            found = header[column_index(col.letter) - 1]
            if normalize(str(found or "")) != normalize(col.title):
                raise not_template(book.path, f"feuille {sheet}, colonne {col.letter} : en-tête "
                                              f"« {found or ''} » au lieu de « {col.title} »")
    for name in layout.PARAMETER_NAMES:
        book.parameter(name)


def refuse_if_open_in_excel(path: Path) -> None:
    """Excel (« ~$nom ») and LibreOffice (« .~lock.nom# ») leave a lock file beside an open workbook."""
    for lock in (path.with_name("~$" + path.name), path.with_name(f".~lock.{path.name}#")):
        if lock.exists():
            raise XlaeError(f"classeur : {path.name} semble ouvert dans un tableur (fichier {lock.name}) ; "
                            "fermez-le puis relancez la commande.", "classeur")


def backup_name(path: Path, now: dt.datetime | None = None) -> Path:
    """« FICHIER.sauvegarde-AAAAMMJJ-HHMMSS.xlsx », never an existing file."""
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    candidate = path.with_name(f"{path.stem}.sauvegarde-{stamp}{path.suffix}")
    counter = 2
    while os.path.lexists(candidate):
        candidate = path.with_name(f"{path.stem}.sauvegarde-{stamp}-{counter}{path.suffix}")
        counter += 1
    return candidate


@contextmanager
def writing(path: str | os.PathLike[str], command: str) -> Iterator[Path]:
    """The real file behind ``path``, locked for ``command`` from before reading until after saving.

    Why: a second writer reading the workbook before the first one saved would
    write its version over the first one's rows. A symbolic link is followed (its
    target is the file updated); a read-only or hard-linked file is refused.
    """
    if not os.path.lexists(path):
        yield Path(path)  # open_book says it does not exist
        return
    real = writable_target(path)
    with workbook_lock(real, command):
        yield real


def save_safely(book: Book) -> Path:
    """Copy the previous version aside, then write to a temporary file and replace atomically.

    Both the backup and the new version go through a temporary file, fsync and a
    rename: a crash or a full disk never leaves a truncated file under either name.
    """
    path = book.path
    refuse_if_open_in_excel(path)
    mode = stat.S_IMODE(path.stat().st_mode)
    backup = None
    try:
        while backup is None:
            candidate = backup_name(path)
            try:
                copy_file(path, candidate)
                backup = candidate
            except FileExistsError:  # taken meanwhile: the next name
                continue
    except OSError as error:
        raise XlaeError(f"classeur : impossible d'écrire la sauvegarde dans le dossier de {path.name} "
                        f"({os_reason(error)}) ; le classeur n'a pas été modifié.", "classeur") from None
    try:
        with atomic_path(path, mode=mode) as temporary:
            book.wb.save(temporary)
    except OSError as error:
        raise XlaeError(f"classeur : écriture de {path.name} impossible ({os_reason(error)}) ; le fichier "
                        f"d'origine est intact, sauvegarde : {backup.name}.", "classeur") from None
    return backup
