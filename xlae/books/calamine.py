"""The read-only back end: a workbook file read by python-calamine (Rust) into ``Books``.

Why: 100 000 ledger rows read in about a second, for every command; openpyxl
takes ten times as long. Only the sheets the books use are read (Paramètres,
Recettes, Achats, Clôtures); the formula cells come from the sheet XML
(calamine gives cached values only), the Synthèse's always, the ledgers' when
``ledger_formulas`` (the strict reading of the ledger tools refuses them).
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from ..batch import xlsx
from ..errors import XlaeError
from ..template import layout
from .archive import (DAMAGED_ADVICE, REQUIRED_SHEETS, DamagedWorkbook, open_archive,
                      package_of, sheet_formulas)
from .model import LEDGERS, Books

# Sheets a ledger tool needs (Achats, Synthèse and Clôtures may be missing: the checks say so).
LEDGER_SHEETS = (layout.SHEET_PARAMETRES, layout.SHEET_RECETTES)


def read_books(path: str | Path, required: tuple[str, ...] = REQUIRED_SHEETS,
               ledger_formulas: bool = True) -> Books:
    """Open, check and read ``path``; ``UnreadableWorkbook`` with the French reason otherwise."""
    path = Path(path)
    with open_archive(path) as archive:
        package = package_of(archive, required)
        return books_of(path, archive, package, ledger_formulas)


def books_of(path: Path, archive: zipfile.ZipFile, package: xlsx.Package, ledger_formulas: bool = True,
             baremes: bool = False) -> Books:
    """``Books`` of an archive already opened and checked (``open_archive``, ``package_of``).

    ``baremes``: also read the workbook's own Barèmes sheet into ``Books.baremes``
    (``xlae recalculer`` computes with it, as the workbook's formulas do).
    """
    cells: dict[str, tuple[str, str]] = {}
    for name in layout.ALL_PARAMETER_NAMES:
        text = package.defined_names.get(name.lower())
        where = xlsx.split_reference(text) if text else None
        if where is not None:
            cells[name] = where
    wanted = [s for s in (layout.SHEET_PARAMETRES, *LEDGERS, layout.SHEET_CLOTURES) if s in package.sheets]
    wanted += sorted({sheet for sheet, _ in cells.values() if sheet in package.sheets} - set(wanted))
    own_rates = baremes and layout.SHEET_BAREMES in package.sheets
    if own_rates:
        wanted.append(layout.SHEET_BAREMES)
    formulas: dict[str, dict[str, str]] = {}
    if layout.SHEET_SYNTHESE in package.sheets:
        formulas[layout.SHEET_SYNTHESE] = sheet_formulas(archive, package, layout.SHEET_SYNTHESE)
    if ledger_formulas:
        for sheet in LEDGERS:
            if sheet in package.sheets:
                found = sheet_formulas(archive, package, sheet)
                if found:
                    formulas[sheet] = found
    grids = _grids(path, wanted)
    rates = None
    if own_rates:
        from ..template.bareme_classeur import grid_rates

        rates = grid_rates(grids.pop(layout.SHEET_BAREMES), f"{path.name}, feuille {layout.SHEET_BAREMES}")
    return Books(path, tuple(package.sheets), cells, grids, formulas, package, baremes=rates)


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
