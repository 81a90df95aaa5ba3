"""The evaluation context: the value of each summary cell, computed on demand from ``Inputs``.

Why: a twin reads other cells (``c["B5"]``, ``c.num``, ``c.block``), helper cells
(``c.h``), the parameters as the helper block normalises them (``creation``,
``zone``, ``periodicite``, natures and Barèmes keys) and the rates in force
(``rate``, ``taux``), exactly as the formulas do; each cell is computed once.
Section-specific readings live beside their section's formulas.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import TYPE_CHECKING, Any, Callable

from ... import udfs
from ...errors import XlaeError
from ...rates import get_rates
from .. import layout as L
from .. import natif as N
from .geometry import CODES, EXCEL_EPOCH
from .ledger import _Ledger
from .values import _blank, _number, _text_eq

if TYPE_CHECKING:
    from .declarations import SheetDeclarations
    from .cells import Inputs, SummaryCell

Description = Callable[[int], "tuple[tuple[SummaryCell, ...], dict[str, str], dict[str, str]]"]
_col_index = L.column_index
_col_letter = L.column_letter


class _Context:
    """Values of the summary cells, computed on demand (each cell once)."""

    def __init__(self, inputs: Inputs, rows: int = L.MAX_ROWS, today: dt.date | None = None, *,
                 description: Description) -> None:
        """``description(rows)``: (cells, static texts, helper key -> ref), as ``description._description``."""
        self.today = today or dt.date.today()
        self.params = {name: (None if _blank(v) else v) for name, v in (inputs.parametres or {}).items()}
        for name in L.ALL_PARAMETER_NAMES:
            self.params.setdefault(name, None)
        self.annee = _check_year(self.params["annee"])
        last = L.last_data_row(rows)
        self.recettes = _Ledger(inputs.recettes, L.RECETTES_COLUMNS, True, last)
        self.achats = _Ledger(inputs.achats, L.ACHATS_COLUMNS, False, last)
        cells, _, helpers = description(rows)
        self._cells = {cell.ref: cell for cell in cells}
        self.H = {k: v.replace("$", "") for k, v in helpers.items()}
        self._values: dict[str, Any] = {}
        self._declarations: SheetDeclarations | None = None

    def p(self, name: str) -> Any:
        return self.params[name]

    def num_param(self, name: str, default: float) -> float:
        """A parameter read as ``IF(ISNUMBER(name),name,default)``."""
        number = _number(self.p(name))
        return default if math.isnan(number) else number

    @staticmethod
    def number_of(value: Any) -> float:
        """What ISNUMBER accepts as a float (NaN otherwise)."""
        return _number(value)

    @property
    def jan1(self) -> dt.date:
        return dt.date(self.annee, 1, 1)

    # Parameters as the helper block reads them (see ``helper_block.helpers``) ---------------------
    @property
    def creation(self) -> dt.date | None:
        number = _number(self.p("date_creation"))
        return None if math.isnan(number) else (EXCEL_EPOCH + dt.timedelta(days=math.floor(number))).date()

    @property
    def zone(self) -> str:
        value = self.p("zone")
        return value.lower() if _text_eq(value, "drom") or _text_eq(value, "mayotte") else "metropole"

    @property
    def periodicite(self) -> str:
        return "trimestrielle" if _text_eq(self.p("periodicite"), "trimestrielle") else "mensuelle"

    @property
    def tfc_zone(self) -> str:
        value = self.p("departement")
        number = _number(value)
        shown = value if isinstance(value, str) else ("" if math.isnan(number) else f"{number:g}")
        if shown == "57":
            return "moselle"
        return "alsace" if shown in ("67", "68") else "toutes"

    def nature(self, code: str) -> str:
        value = self.p("nature")
        if _blank(value):
            return "liberale" if code.startswith("bnc") else "commerciale"
        return str(value).lower()

    def cfp_key(self, code: str) -> str:
        nature = self.nature(code)
        return nature if nature in ("artisanale", "liberale") else f"commerciale_{'vente' if code == 'vente' else 'service'}"

    def tfc_key(self, code: str) -> str:
        nature = self.nature(code)
        return "liberale" if nature == "liberale" else f"{nature}_{'vente' if code == 'vente' else 'service'}"

    def taux(self, code: Any, on: Any) -> Any:
        """Twin of ``_Builder.taux``: AE_TAUX on the parameters as the helper block reads them."""
        return udfs.ae_taux(code, on, self.h("acre"), self.creation, self.zone)

    def h(self, key: str) -> Any:
        """Value of a helper cell."""
        return self[self.H[key]]

    def rate(self, parametre: str, categorie: str, zone: str, on: dt.date) -> float:
        """The value a helper's Barèmes lookup finds (0 when none is in force)."""
        return N.lookup_value(get_rates().rows, parametre, categorie, zone, on)

    def rate_by_creation(self, parametre: str) -> float:
        return self.rate(parametre, "toutes", "toutes", self.creation)

    @property
    def main_code(self) -> str | None:
        """The main activity (Paramètres, activite) when it is one of the four codes, lowercased."""
        value = self.p("activite")
        return value.lower() if isinstance(value, str) and value.lower() in CODES else None

    @property
    def declarations(self) -> SheetDeclarations:
        """The year's declarations (computed once, when a month row first needs them)."""
        if self._declarations is None:
            from .declarations import SheetDeclarations
            self._declarations = SheetDeclarations(self)
        return self._declarations

    def __getitem__(self, ref: str) -> Any:
        if ref not in self._values:
            self._values[ref] = self._cells[ref].compute(self)
        return self._values[ref]

    def num(self, ref: str) -> float:
        """A cell used in arithmetic: must be a number (else the formula would show #VALUE!)."""
        value = self[ref]
        if isinstance(value, dt.date):
            return _number(value)
        if not isinstance(value, (int, float)):
            raise XlaeError(f"Synthèse!{ref} : valeur {value!r} non numérique (#VALUE! dans le tableur).")
        return float(value)

    def block(self, top_left: str, bottom_right: str) -> list[list[Any]]:
        """A range of summary cells as rows of values, as a formula engine hands it to a function."""
        c1, r1 = re.fullmatch(r"([A-Z]+)(\d+)", top_left).groups()
        c2, r2 = re.fullmatch(r"([A-Z]+)(\d+)", bottom_right).groups()
        return [[self[f"{_col_letter(c)}{r}"] for c in range(_col_index(c1), _col_index(c2) + 1)]
                for r in range(int(r1), int(r2) + 1)]


def _check_year(value: Any) -> int:
    where = f"{L.SHEET_PARAMETRES}!{L.PARAMETER_CELLS['annee']} (annee)"
    if value is None:
        raise XlaeError(f"{where} : vide ; indiquez l'année à afficher (ex. 2026).", "annee")
    number = _number(value) if not isinstance(value, str) else (float(value) if value.strip().isdigit() else math.nan)
    if math.isnan(number) or not number.is_integer() or not 1900 <= number <= 9999 or isinstance(value, dt.date):
        raise XlaeError(f"{where} : valeur {value!r} refusée ; une année sur quatre chiffres (ex. 2026).", "annee")
    return int(number)

