"""The read-only back end: a workbook file read by python-calamine (Rust) into ``Books``.

Why: 100 000 ledger rows read in about a second, for every command; openpyxl
takes ten times as long. Only the sheets the books use are read (Paramètres,
Recettes, Achats, Clôtures); the formula cells come from the sheet XML
(calamine gives cached values only), the Synthèse's always, the ledgers' when
``ledger_formulas`` (the strict reading of the ledger tools refuses them).
"""

from __future__ import annotations

import os
import threading
import zipfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from ..batch import xlsx
from ..errors import XlaeError
from ..template import layout
from .archive import (DAMAGED_ADVICE, REQUIRED_SHEETS, DamagedWorkbook, check_archive_parts, open_archive,
                      package_of, sheet_formulas)
from .model import LEDGERS, Books

# Sheets a ledger tool needs (Achats, Synthèse and Clôtures may be missing: the checks say so).
LEDGER_SHEETS = (layout.SHEET_PARAMETRES, layout.SHEET_RECETTES)


# Parts of a workbook from which calamine reads in a thread while expat checks them (``opened``):
# calamine releases the GIL, so on two cores the check (≈ 0.45 s at 100 000 rows) costs no time.
OVERLAP_BYTES = 8 << 20  # ≈ 20 000 ledger rows; below, a thread costs more than it saves


def read_books(path: str | Path, required: tuple[str, ...] = REQUIRED_SHEETS,
               ledger_formulas: bool = True) -> Books:
    """Open, check and read ``path``; ``UnreadableWorkbook`` with the French reason otherwise."""
    with opened(path, required, ledger_formulas) as (_, _, books):
        return books


@contextmanager
def opened(path: str | Path, required: tuple[str, ...] = REQUIRED_SHEETS, ledger_formulas: bool = True,
           baremes: bool = False) -> Iterator[tuple[zipfile.ZipFile, xlsx.Package, Books]]:
    """(archive, package, books) of ``path``: ``open_archive``, ``package_of`` and ``books_of``, in their
    order and with their errors, except that for a large workbook calamine starts reading while the
    XML parts are checked (its result, or its error, is only taken after the check passed)."""
    path = Path(path)
    archive = open_archive(path, check=False)
    try:
        early = _early_read(path, archive, baremes)
        try:
            check_archive_parts(archive)
        finally:
            if early is not None:
                early.join()
        package = package_of(archive, required)
        yield archive, package, books_of(path, archive, package, ledger_formulas, baremes, early)
    finally:
        archive.close()


class _EarlyRead(threading.Thread):
    """``_grids(path, sheets)`` in a thread; ``grids()`` gives its result or raises its error."""

    def __init__(self, path: Path, sheets: list[str]) -> None:
        super().__init__(name="xlae-calamine", daemon=True)
        self.path, self.sheets = path, sheets
        self.result: dict[str, list[list[Any]]] | None = None
        self.error: BaseException | None = None
        self.start()

    def run(self) -> None:
        try:
            self.result = _grids(self.path, self.sheets)
        except BaseException as error:  # given to the reader, in its thread, after the check
            self.error = error

    def grids(self) -> dict[str, list[list[Any]]]:
        self.join()
        if self.error is not None:
            raise self.error
        return self.result


def _early_read(path: Path, archive: zipfile.ZipFile, baremes: bool) -> _EarlyRead | None:
    if (os.cpu_count() or 1) < 2:
        return None
    try:
        if sum(i.file_size for i in archive.infolist() if "/worksheets/" in i.filename) < OVERLAP_BYTES:
            return None
        package = xlsx.read_package(archive)  # books_of reads it again, checked, with its French errors
        sheets = _wanted(path, archive, package, baremes)[0]
    except Exception:  # damaged: the check and package_of will say why, in their order
        return None
    return _EarlyRead(path, sheets)


def _cells(package: xlsx.Package) -> dict[str, tuple[str, str]]:
    cells: dict[str, tuple[str, str]] = {}
    for name in layout.ALL_PARAMETER_NAMES:
        text = package.defined_names.get(name.lower())
        where = xlsx.split_reference(text) if text else None
        if where is not None:
            cells[name] = where
    return cells


def _wanted(path: Path, archive: zipfile.ZipFile, package: xlsx.Package,
            baremes: bool) -> tuple[list[str], tuple | None, Any]:
    """(sheets calamine reads, key of the Barèmes sheet, its rates if known) for ``books_of``."""
    cells = _cells(package)
    wanted = [s for s in (layout.SHEET_PARAMETRES, *LEDGERS, layout.SHEET_CLOTURES) if s in package.sheets]
    wanted += sorted({sheet for sheet, _ in cells.values() if sheet in package.sheets} - set(wanted))
    own_rates = baremes and layout.SHEET_BAREMES in package.sheets
    known_key = _baremes_key(archive, package) if own_rates else None
    known = _BAREMES.get(known_key, _UNKNOWN) if known_key is not None else _UNKNOWN
    if own_rates and known is _UNKNOWN:
        wanted.append(layout.SHEET_BAREMES)
    return wanted, known_key, known


def books_of(path: Path, archive: zipfile.ZipFile, package: xlsx.Package, ledger_formulas: bool = True,
             baremes: bool = False, early: _EarlyRead | None = None) -> Books:
    """``Books`` of an archive already opened and checked (``open_archive``, ``package_of``).

    ``baremes``: also read the workbook's own Barèmes sheet into ``Books.baremes``
    (``xlae recalculer`` computes with it, as the workbook's formulas do). ``early``: calamine's
    reading started by ``opened`` (used when it read the very sheets wanted here).
    """
    cells = _cells(package)
    wanted, known_key, known = _wanted(path, archive, package, baremes)
    own_rates = baremes and layout.SHEET_BAREMES in package.sheets
    origin = f"{path.name}, feuille {layout.SHEET_BAREMES}"
    formulas: dict[str, dict[str, str]] = {}
    if layout.SHEET_SYNTHESE in package.sheets:
        formulas[layout.SHEET_SYNTHESE] = sheet_formulas(archive, package, layout.SHEET_SYNTHESE)
    if ledger_formulas:
        for sheet in LEDGERS:
            if sheet in package.sheets:
                found = sheet_formulas(archive, package, sheet)
                if found:
                    formulas[sheet] = found
    grids = early.grids() if early is not None and early.sheets == wanted else _grids(path, wanted)
    rates = None
    if own_rates and known is not _UNKNOWN:
        grids.pop(layout.SHEET_BAREMES, None)  # read only if a parameter cell lies there: dropped as below
        rates = known.renamed(origin) if known is not None else None
    elif own_rates:
        from ..template.bareme_classeur import grid_rates

        rates = grid_rates(grids.pop(layout.SHEET_BAREMES), origin)
        if known_key is not None:
            if len(_BAREMES) >= _BAREMES_KEPT:
                del _BAREMES[next(iter(_BAREMES))]  # oldest first
            _BAREMES[known_key] = rates
    return Books(path, tuple(package.sheets), cells, grids, formulas, package, baremes=rates)


# The rates read from a Barèmes sheet (None: an empty one), by the raw bytes of every member that
# calamine's reading of it may depend on — all but the other sheets' parts (``xlsx.raw_key``):
# the Barèmes of every standard workbook of a batch took ~3 ms of calamine. Errors are not kept.
_BAREMES: dict[tuple, Any] = {}
_BAREMES_KEPT = 8
_UNKNOWN = object()


def _baremes_key(archive: zipfile.ZipFile, package: xlsx.Package) -> tuple | None:
    others = {member for sheet, member in package.sheets.items() if sheet != layout.SHEET_BAREMES}
    keys = []
    for info in archive.infolist():
        if info.filename in others:
            continue
        key = xlsx.raw_key(archive, info)
        if key is None:
            return None
        keys.append(key)
    return tuple(keys)


def _grids(path: Path, sheets: list[str]) -> dict[str, list[list[Any]]]:
    try:
        from python_calamine import CalamineWorkbook
    except ImportError:
        raise XlaeError("le module python-calamine n'est pas installé ; installez les dépendances de "
                        "xlae : pip install \"xlae[lot]\".") from None
    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception:  # calamine raises its own error types, with an English text
        raise DamagedWorkbook(f"lecture du classeur impossible (contenu XML endommagé ou format non "
                              f"reconnu) : {DAMAGED_ADVICE}.") from None
    grids: dict[str, list[list[Any]]] = {}
    try:
        for sheet in sheets:
            try:
                grids[sheet] = workbook.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
            except Exception:  # calamine's text ("", the sheet name…) says nothing to a user
                raise DamagedWorkbook(f"feuille « {sheet} » illisible (contenu absent ou endommagé) : "
                                      f"{DAMAGED_ADVICE}.", sheet) from None
    finally:
        workbook.close()
    return grids


def open_books(path: str | Path) -> Books:
    """The books of a template workbook for a ledger tool, or a French error naming the file.

    Only a regular ``.xlsx``/``.xlsm`` file is read (a FIFO would block), after its
    zip directory passed the size limits; a damaged part is named with its sheet.
    """
    from ..files import not_regular_reason
    from .archive import UnreadableWorkbook
    from .model import check_template

    path = Path(path)
    reason = not_regular_reason(path)
    if reason == "fichier introuvable":
        raise XlaeError(f"classeur : le fichier {path} n'existe pas.", "classeur")
    if reason:
        raise XlaeError(f"classeur : {path} : {reason}.", "classeur")
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise XlaeError(f"classeur : {path.name} n'est pas un classeur .xlsx (ni .xlsm).", "classeur")
    try:
        books = read_books(path, required=())
    except DamagedWorkbook as error:
        raise damaged(path, error.sheet) from None
    except UnreadableWorkbook as error:  # empty, encrypted, old .xls renamed, not a zip, zip bomb
        raise XlaeError(f"classeur : {path.name} : {error}", "classeur") from None
    check_template(books)
    return books


def damaged(path: Path, sheet: str | None) -> XlaeError:
    """French error for a part that cannot be read (mismatched XML tag, impossible cell value…)."""
    where = f", feuille {sheet}" if sheet else ""
    return XlaeError(f"classeur : {path.name} n'est pas un classeur Excel lisible{where} (archive ou contenu "
                     f"XML endommagé) : {DAMAGED_ADVICE}.", "classeur")


def sheet_grid(books: Books, sheet: str) -> list[list[Any]] | None:
    """One more sheet of a workbook already read (``xlae baremes``: its Barèmes), None when it has none."""
    if sheet not in books.sheets:
        return None
    try:
        return _grids(books.path, [sheet])[sheet]
    except DamagedWorkbook as error:
        raise damaged(books.path, error.sheet) from None
