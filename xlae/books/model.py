"""One workbook's books as read once: parameters, receipts, purchases, closings, the Synthèse's formulas.

Why: every command (``recalculer``, ``verifier``, ``declaration``, ``importer``,
``cloturer``, ``bilan``) must agree on which rows there are, what each cell holds
and where it is; the back ends (``books.calamine`` for the files, ``books.xl``
for an openpyxl workbook in memory) only fill this model, never interpret it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import XlaeError
from ..rules.vocabulary import normalize
from ..template import layout
from ..template.layout import Column

if TYPE_CHECKING:
    import pandas

    from ..template.synthese import Inputs

# The ledgers and their columns, declared once by the template's layout.
LEDGERS: dict[str, tuple[Column, ...]] = {
    layout.SHEET_RECETTES: layout.RECETTES_COLUMNS,
    layout.SHEET_ACHATS: layout.ACHATS_COLUMNS,
}
SHEETS: dict[str, tuple[Column, ...]] = {**LEDGERS, layout.SHEET_CLOTURES: layout.CLOTURES_COLUMNS}
_CELL = re.compile(r"^([A-Z]{1,3})(\d+)$")


@dataclass(frozen=True)
class Place:
    """Where a value is: sheet, row, column letter (row/column None for a whole sheet)."""

    sheet: str
    row: int | None = None
    column: str | None = None

    @property
    def ref(self) -> str:
        """« Paramètres!B3 »."""
        return f"{self.sheet}!{self.column or ''}{self.row or ''}"

    def text(self) -> str:
        """« Recettes, ligne 7, colonne F (Montant encaissé (€)) », as every command names a cell."""
        where = [self.sheet]
        if self.row is not None:
            where.append(f"ligne {self.row}")
        if self.column:
            title = column_title(self.sheet, self.column)
            where.append(f"colonne {self.column}" + (f" ({title})" if title else ""))
        return ", ".join(where)


def column_title(sheet: str, letter: str) -> str:
    for col in LEDGERS.get(sheet, ()):
        if col.letter == letter:
            return col.title
    return ""


column_index = layout.column_index


def position(cell: str) -> tuple[int, int]:
    """``"B2"`` → (1, 1): zero-based row and column."""
    match = _CELL.match(cell)
    if not match:
        raise ValueError(f"référence de cellule « {cell} » invalide")
    return int(match.group(2)) - 1, column_index(match.group(1)) - 1


def blank(value: Any) -> bool:
    """An empty cell: nothing, or only spaces (the readers give None or "")."""
    return value is None or (isinstance(value, str) and not value.strip())


@dataclass(frozen=True)
class LedgerRow:
    """One row of a ledger sheet: its number and its cell values by column key (None when empty)."""

    sheet: str
    row: int
    values: dict[str, Any]
    empty: bool = field(default=None, compare=False)  # type: ignore[assignment]  # computed when not given

    def __post_init__(self) -> None:
        if self.empty is None:
            object.__setattr__(self, "empty", all(blank(v) for v in self.values.values()))

    def get(self, key: str) -> Any:
        return self.values.get(key)

    def place(self, key: str) -> Place:
        return Place(self.sheet, self.row, layout.column(SHEETS[self.sheet], key).letter)


@dataclass
class Books:
    """The books of one workbook, as raw cell values with their places.

    ``grids``: sheet -> rows of values from row 1 (a row is a list, "" or None for
    an empty cell); ``formulas``: sheet -> {ref: formula text} of the formula cells
    of the ledgers and of the Synthèse (None when the workbook has no Synthèse).
    """

    path: Path
    sheets: tuple[str, ...]
    parameter_cells: dict[str, tuple[str, str]]
    grids: dict[str, list[list[Any]]]
    formulas: dict[str, dict[str, str]] = field(default_factory=dict)
    package: Any = None          # xlsx.Package of the file (the writers replace its parts)
    baremes: Any = None          # the workbook's own Barèmes sheet as ``rates.Rates`` (None: not read, or none)
    _rows: dict[str, list[LedgerRow]] = field(default_factory=dict)
    _frames: dict[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.path.name

    def has(self, sheet: str) -> bool:
        return sheet in self.sheets

    # --- parameters ----------------------------------------------------------------------------
    def parameter(self, name: str) -> tuple[Any, str]:
        """Value of a named parameter cell (None when empty) and where it is (« Paramètres!B3 »).

        The optional « Droits et impôt » parameters are None when an older workbook lacks them.
        """
        if name not in self.parameter_cells and name in layout.DROITS_PARAMETER_NAMES:
            return None, f"{layout.SHEET_PARAMETRES}!{layout.PARAMETER_CELLS[name]}"
        place = self.parameter_place(name)
        return self.value(place), place.ref

    def parameter_place(self, name: str) -> Place:
        where = self.parameter_cells.get(name)
        if where is None:
            raise not_template(self.path, f"le nom défini « {name} » (cellule de paramètre) est absent")
        match = _CELL.match(where[1])
        return Place(where[0], int(match.group(2)), match.group(1))

    @property
    def parametres(self) -> dict[str, Any]:
        """name -> raw value of every parameter the layout declares (None when empty or, for the
        optional « Droits et impôt » ones, absent from an older workbook)."""
        return {name: self.parameter(name)[0] for name in layout.ALL_PARAMETER_NAMES}

    def value(self, place: Place) -> Any:
        rows = self.grids.get(place.sheet, [])
        row, column = place.row - 1, column_index(place.column) - 1
        value = rows[row][column] if row < len(rows) and column < len(rows[row]) else None
        return None if value == "" else value

    # --- ledgers ---------------------------------------------------------------------------------
    def rows(self, sheet: str) -> list[LedgerRow]:
        """Rows from the first data row to the last non-empty one (empty rows in between kept).

        A formula typed in a ledger cell is given as its text (« =100*2 »): the strict
        reading refuses it, while the Synthèse counts its value (``inputs``).
        """
        if sheet not in self._rows:
            self._rows[sheet] = self._ledger_rows(sheet)
        return self._rows[sheet]

    def _ledger_rows(self, sheet: str) -> list[LedgerRow]:
        if not self.has(sheet):
            return []
        columns = SHEETS[sheet]
        keys = [c.key for c in columns]
        indexes = [column_index(c.letter) - 1 for c in columns]
        width = max(indexes) + 1
        formulas = self.formulas.get(sheet, {})
        found: list[LedgerRow] = []
        last = 0
        grid = self.grids.get(sheet, [])
        contiguous = indexes == list(range(width))
        for number in range(layout.FIRST_DATA_ROW, len(grid) + 1):
            cells = grid[number - 1]
            if len(cells) < width:
                cells = list(cells) + [None] * (width - len(cells))
            picked = cells[:width] if contiguous else [cells[i] for i in indexes]
            kept = [None if v == "" else v for v in picked]
            empty = all(v is None or (type(v) is str and v.isspace()) for v in kept)
            values = dict(zip(keys, kept))
            if formulas:
                for col in columns:
                    text = formulas.get(f"{col.letter}{number}")
                    if text is not None:
                        values[col.key] = "=" + text
                        empty = False
            found.append(LedgerRow(sheet, number, values, empty))
            if not empty:
                last = len(found)
        return found[:last]

    def last_row(self, sheet: str) -> int | None:
        """Sheet row of the last non-empty ledger row (where ``rows`` ends), None when there is none;
        found from the end of the sheet without making its rows."""
        if sheet in self._rows:
            rows = self._rows[sheet]
            return rows[-1].row if rows else None
        if not self.has(sheet):
            return None
        columns = SHEETS[sheet]
        indexes = [column_index(c.letter) - 1 for c in columns]
        letters = {c.letter for c in columns}
        with_formula = {int(match.group(2)) for ref in self.formulas.get(sheet, {})
                        if (match := _CELL.match(ref)) and match.group(1) in letters}
        grid = self.grids.get(sheet, [])
        for number in range(len(grid), layout.FIRST_DATA_ROW - 1, -1):
            cells = grid[number - 1]
            if number in with_formula or any(
                    i < len(cells) and not (cells[i] is None or cells[i] == "" or (type(cells[i]) is str
                                                                                 and cells[i].isspace()))
                    for i in indexes):
                return number
        return None

    def columns(self, sheet: str, keys: tuple[str, ...]) -> tuple[list[int], dict[str, list[Any]]]:
        """(sheet rows, key -> value of each row) of some columns of a ledger, from the first data row to
        the last non-empty one, each value as ``rows`` gives it (None when empty, a formula as its text)."""
        last = self.last_row(sheet)
        if last is None:
            return [], {key: [] for key in keys}
        first = layout.FIRST_DATA_ROW
        grid = self.grids.get(sheet, [])[first - 1:last]
        numbers = list(range(first, last + 1))
        formulas = self.formulas.get(sheet, {})
        found: dict[str, list[Any]] = {}
        for key in keys:
            column = layout.column(SHEETS[sheet], key)
            index = column_index(column.letter) - 1
            values = [(row[index] if index < len(row) else None) for row in grid]
            values = [None if value == "" else value for value in values]
            for ref, text in formulas.items():
                match = _CELL.match(ref)
                if match and match.group(1) == column.letter and first <= int(match.group(2)) <= last:
                    values[int(match.group(2)) - first] = "=" + text
            found[key] = values
        return numbers, found

    def sheet_values(self, sheet: str, min_row: int, width: int) -> list[tuple[Any, ...]]:
        """Rows of any sheet from ``min_row``, ``width`` cells each, None for empty cells."""
        grid = self.grids.get(sheet, [])
        out = []
        for cells in grid[min_row - 1:]:
            row = tuple(None if v == "" else v for v in cells[:width])
            out.append(row + (None,) * (width - len(row)))
        return out

    def forget(self) -> None:
        self._rows.clear()
        self._frames.clear()

    # --- the Synthèse ------------------------------------------------------------------------------
    @property
    def summary_formulas(self) -> dict[str, str] | None:
        """ref -> formula (without « = ») of the Synthèse; None when the workbook has none."""
        return self.formulas.get(layout.SHEET_SYNTHESE) if self.has(layout.SHEET_SYNTHESE) else None

    @property
    def covered_rows(self) -> int | None:
        """N of ``xlae modele --lignes N`` (None without a Synthèse: no formula ignores any row)."""
        from ..template.coverage import covered_rows

        formulas = self.summary_formulas
        return None if formulas is None else covered_rows(formulas)

    def frame(self, sheet: str) -> "pandas.DataFrame":
        """A ledger as the Synthèse's twin reads it: cached values by column key, plus the sheet row."""
        if sheet not in self._frames:
            self._frames[sheet] = self._frame(sheet)
        return self._frames[sheet]

    def _frame(self, sheet: str) -> "pandas.DataFrame":
        import numpy
        import pandas

        columns = LEDGERS[sheet]
        rows = self.grids.get(sheet, []) if self.has(sheet) else []
        first = layout.FIRST_DATA_ROW - 1
        positions = [column_index(col.letter) - 1 for col in columns]
        last = len(rows)
        while last > first and all(cell == "" or cell is None for cell in rows[last - 1]):
            last -= 1
        data = rows[first:last]
        width = max(positions) + 1
        if any(len(row) < width for row in data):  # calamine's grids are rectangular; others may not be
            data = [row if len(row) >= width else list(row) + [""] * (width - len(row)) for row in data]
        # One column at a time, the cells as they were read (object arrays, "" → None): a list
        # comprehension per column is ~2 ms per 100 000 rows, where building the frame row-wise
        # and replacing "" through pandas took ~0.25 s. dtype=object: pandas infers nothing.
        arrays = {}
        for col, position in zip(columns, positions):
            array = numpy.fromiter((row[position] for row in data), dtype=object, count=len(data))
            array[array == ""] = None
            arrays[col.key] = array
        frame = pandas.DataFrame(arrays, dtype=object, copy=False)
        frame["row"] = numpy.arange(layout.FIRST_DATA_ROW, layout.FIRST_DATA_ROW + len(data), dtype=numpy.int64)
        return frame

    def inputs(self) -> "Inputs":
        """What the Synthèse's cells are computed from (``synthese.evaluate``)."""
        from ..template.synthese import Inputs

        return Inputs(self.parametres, self.frame(layout.SHEET_RECETTES), self.frame(layout.SHEET_ACHATS))


def not_template(path: Path, why: str) -> XlaeError:
    return XlaeError(f"{path.name} n'a pas été créé avec le modèle xlae ({why}). Créez un classeur avec "
                     "« xlae modele » et recopiez-y vos lignes.", "classeur")


def check_template(books: Books) -> None:
    """Refuse a workbook whose sheets, headers or named cells differ from the layout."""
    for sheet in (layout.SHEET_PARAMETRES, layout.SHEET_RECETTES):
        if not books.has(sheet):
            raise not_template(books.path, f"feuille « {sheet} » absente")
    for sheet, columns in LEDGERS.items():
        if not books.has(sheet):
            continue
        grid = books.grids.get(sheet, [])
        header = grid[layout.HEADER_ROW - 1] if len(grid) >= layout.HEADER_ROW else []
        for col in columns:
            index = column_index(col.letter) - 1
            found = header[index] if index < len(header) else None
            if normalize(str(found or "")) != normalize(col.title):
                raise not_template(books.path, f"feuille {sheet}, colonne {col.letter} : en-tête "
                                               f"« {found or ''} » au lieu de « {col.title} »")
    for name in layout.PARAMETER_NAMES:
        place = books.parameter_place(name)
        if not books.has(place.sheet):
            raise not_template(books.path, f"le nom défini « {name} » (cellule de paramètre) est absent")
