"""Open a workbook made from the xlae template, read its ledgers, save it safely.

Why: every ledger tool must refuse a workbook that is not ours (clear French
error, nothing touched), read the rows the same way, and never lose a user's
file: a backup of the previous version first, then an atomic replace.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from ..atomic import atomic_path
from ..errors import XlaeError
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
        for number, cells in enumerate(ws.iter_rows(min_row=layout.FIRST_DATA_ROW, max_col=width,
                                                    values_only=True), start=layout.FIRST_DATA_ROW):
            cells = tuple(cells) + (None,) * (width - len(cells))
            row = LedgerRow(sheet, number, {c.key: cells[column_index(c.letter) - 1] for c in columns})
            found.append(row)
            if not row.empty:
                last = len(found)
        return found[:last]

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
        return self.wb[sheet][coord].value, f"{sheet}!{coord}"


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
    """Open and check a template workbook; ``write`` loads it fully (for saving), else read-only."""
    path = Path(path)
    if not path.exists():
        raise XlaeError(f"classeur : le fichier {path} n'existe pas.", "classeur")
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise XlaeError(f"classeur : {path.name} n'est pas un classeur .xlsx (ni .xlsm).", "classeur")
    from ..batch.reader import DAMAGED_ADVICE, UnreadableWorkbook, check_signature

    try:  # empty file, password-protected (CFB), old .xls renamed, not a zip: the batch's French reasons
        check_signature(path)
    except UnreadableWorkbook as error:
        raise XlaeError(f"classeur : {path.name} : {error}", "classeur") from None
    try:
        wb = load_workbook(path, read_only=not write, data_only=False,
                           keep_vba=path.suffix.lower() == ".xlsm")
    except Exception:  # any unreadable file (zip, XML…) is a user error here; the library's text is English
        raise XlaeError(f"classeur : {path.name} n'est pas un classeur Excel lisible (archive ou contenu XML "
                        f"endommagé) : {DAMAGED_ADVICE}.", "classeur") from None
    book = Book(path, wb)
    check_template(book)
    return book


def check_template(book: Book) -> None:
    """Refuse a workbook whose sheets, headers or named cells differ from the layout."""
    for sheet in (layout.SHEET_PARAMETRES, layout.SHEET_RECETTES):
        if not book.has(sheet):
            raise not_template(book.path, f"feuille « {sheet} » absente")
    for sheet, columns in LEDGERS.items():
        if not book.has(sheet):
            continue
        ws = book.wb[sheet]
        width = max(column_index(c.letter) for c in columns)
        header = next(ws.iter_rows(min_row=layout.HEADER_ROW, max_row=layout.HEADER_ROW, max_col=width,
                                   values_only=True), ())
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
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}.sauvegarde-{stamp}-{counter}{path.suffix}")
        counter += 1
    return candidate


def save_safely(book: Book) -> Path:
    """Copy the previous version aside, then write to a temporary file and replace atomically."""
    path = book.path
    refuse_if_open_in_excel(path)
    backup = backup_name(path)
    try:
        shutil.copy2(path, backup)
        with atomic_path(path, mode=stat.S_IMODE(path.stat().st_mode)) as temporary:
            book.wb.save(temporary)
    except OSError as error:
        if not backup.exists():
            raise XlaeError(f"classeur : impossible d'écrire dans le dossier de {path.name} ({error}) ; "
                            "le classeur n'a pas été modifié.", "classeur") from None
        raise XlaeError(f"classeur : écriture de {path.name} impossible ({error}) ; le fichier d'origine "
                        f"est intact, sauvegarde : {backup.name}.", "classeur") from None
    return backup
