"""The builder core: collects the cells of Synthèse, the fixed texts and the helper block.

Why: each section (one module each, called by ``build`` in sheet order) pairs every
formula with its twin through ``add``/``helper``; the formula pieces several sections
share (ledger ranges, the contribution rate ``taux``, the due date ``due``, a rates
lookup ``rate``) are written once here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from .. import layout as L
from .. import natif as N
from ..natif import literal as _lit
from . import (ceiling, checks, dashboard, droits, droits_impot, droits_previsions, header, helper_block, months,
               quarters, result, vat)
from .cells import SummaryCell
from .geometry import FIRST, HELPER_COL, HELPER_FIRST, HELPER_LABEL_COL

if TYPE_CHECKING:
    from .context import _Context

ACRE_NEEDS_CREATION = ("Erreur : acre : l'ACRE demande la date de création (argument date_creation), qui fixe sa "
                       "durée et son taux.")
TOUTES = _lit("toutes")


def _rng(sheet: str, col: str, last: int) -> str:
    return f"{sheet}!${col}${FIRST}:${col}${last}"


class _Builder:
    """Builds the cells; each ``add`` pairs a formula with the Python that mirrors it."""

    def __init__(self, rows: int) -> None:
        self.cells: list[SummaryCell] = []
        self.static: dict[str, str] = {}
        self.last = L.last_data_row(rows)
        self.RA, self.RE, self.RF = self.rec("date"), self.rec("categorie"), self.rec("montant")
        self.AA, self.AE = self.ach("date"), self.ach("montant")
        self.H: dict[str, str] = {}  # helper key -> absolute ref ($AG$n)

    def rec(self, key: str) -> str:
        """Absolute range of a Recettes column over the covered rows."""
        return _rng(L.SHEET_RECETTES, L.column(L.RECETTES_COLUMNS, key).letter, self.last)

    def ach(self, key: str) -> str:
        return _rng(L.SHEET_ACHATS, L.column(L.ACHATS_COLUMNS, key).letter, self.last)

    def add(self, ref: str, label: str, formula: str, number_format: str, kind: str,
            compute: Callable[[_Context], Any]) -> None:
        self.cells.append(SummaryCell(ref, label, formula, number_format, kind, compute))

    def taux(self, code: str, on: str) -> str:
        """Contribution rate of ``code`` on ``on`` (``cotisations.taux_cotisations``), native."""
        H = self.H
        acre, creation, zone = H["acre"], H["creation"], H["zone"]
        cat = _lit(code)
        normal = N.lookup("taux_cotisations", cat, '"metropole"', on)
        if code == "bnc_cipav":
            reduced = N.lookup("taux_cotisations_acre", cat, '"metropole"', on)
        else:
            reduced = f'ROUND({normal}*100*{H["acre_part"]},{N.lookup("acre_decimales", cat, _lit("toutes"), on)})/100'
        metro = f'IF(AND({acre}="oui",{on}>={creation},{on}<={H["acre_fin"]}),{reduced},{normal})'
        p1, p2 = (N.lookup(p, _lit("toutes"), zone, on) for p in ("drom_p1_trimestres", "drom_p2_annees"))
        drom = (f"IF({N.quarter_index(on)}-{N.quarter_index(creation)}<{p1},"
                f'{N.lookup("taux_cotisations_drom_p1", cat, zone, on)},IF(YEAR({on})-YEAR({creation})<{p2},'
                f'{N.lookup("taux_cotisations_drom_p2", cat, zone, on)},{N.lookup("taux_cotisations_drom_apres", cat, zone, on)}))')
        return (f'IF(AND({acre}="oui",NOT(ISNUMBER({creation}))),"{ACRE_NEEDS_CREATION}",IF({zone}="metropole",{metro},'
                f'IF(NOT(ISNUMBER({creation})),"Erreur : date_creation : les taux "&UPPER({zone})&" dépendent de '
                f'l\'ancienneté ; indiquez la date de création.",{drom})))')

    def due(self, day: str) -> str:
        """Due date of the declaration covering ``day`` (``echeance.declaration``), native."""
        first, quarterly = self.H["premiere_fin"], f'{self.H["periodicite"]}="trimestrielle"'
        return (f"IF(AND(ISNUMBER({first}),{day}<={first}),EOMONTH({first},1),"
                f"IF({quarterly},EOMONTH({N.quarter_end(N.quarter_index(day))},1),EOMONTH({day},1)))")

    def text(self, ref: str, text: str) -> None:
        self.static[ref] = text

    def helper(self, key: str, label: str, formula: str, number_format: str, kind: str,
               compute: Callable[[_Context], Any]) -> str:
        """Next cell of the helper block: label in AF, value in AG; returns its absolute ref."""
        row = HELPER_FIRST + len(self.H)
        self.text(f"{HELPER_LABEL_COL}{row}", label)
        self.add(f"{HELPER_COL}{row}", label, formula, number_format, kind, compute)
        self.H[key] = f"${HELPER_COL}${row}"
        return self.H[key]

    def rate(self, parametre: str, categorie: str = TOUTES, on: str = "DATE(annee,1,1)") -> str:
        """A Barèmes lookup (zone « toutes »), by default on 1 January of the displayed year, native."""
        return N.lookup(parametre, categorie, TOUTES, on)

    def build(self) -> None:
        """Every section, in the order of the description (cells and helper rows follow it)."""
        header.header(self)
        helper_block.helpers(self)
        ceiling.ceiling(self)
        ceiling.previous_year(self)
        vat.vat(self)
        result.result(self)
        result.bank_account(self)
        checks.checks(self)
        months.months(self)
        months.periods(self)
        quarters.quarters(self)
        droits.build(self)
        droits_impot.tax(self)
        droits_previsions.forecasts(self)
        droits_previsions.uncertain(self)
        dashboard.dashboard(self)
