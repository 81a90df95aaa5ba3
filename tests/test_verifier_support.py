"""Workbooks for the ledger-tool tests (importer, verifier, declaration, cloturer).

``make_book`` writes a workbook following ``xlae.template.layout`` — from the
real template generator when it is available, else a minimal one with the same
sheets, headers and defined names — then fills parameters and ledger rows.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.workbook.defined_name import DefinedName

from xlae.books.calamine import open_books
from xlae.template import layout

TODAY = dt.date(2026, 11, 23)  # reference day of the verifier tests: nothing in the books after it
DEFAULT_PARAMS = {
    "activite": "bnc", "nature": "", "date_creation": dt.datetime(2020, 1, 6), "acre": "non",
    "versement_liberatoire": "non", "periodicite": "mensuelle", "zone": "metropole", "departement": "75",
    "annee": 2026, "ca_annee_precedente": 30000,
}


def D(day: str) -> dt.datetime:
    """« 2026-03-05 » → datetime as openpyxl stores a date cell."""
    return dt.datetime.fromisoformat(day)


def receipt(date: Any, reference: Any, montant: Any, categorie: Any = "bnc", client: Any = "Client SA",
            mode: Any = "Virement", nature: Any = "Prestation", observations: Any = None,
            cle: Any = None) -> dict[str, Any]:
    return {"date": date, "reference": reference, "client": client, "nature": nature,
            "categorie": categorie, "montant": montant, "mode": mode, "observations": observations,
            "cle_import": cle}


def purchase(date: Any, reference: Any, montant: Any, fournisseur: Any = "Grossiste SARL",
             mode: Any = "Carte bancaire", nature: Any = "Marchandises") -> dict[str, Any]:
    return {"date": date, "reference": reference, "fournisseur": fournisseur, "nature": nature,
            "montant": montant, "mode": mode}


def _minimal_template(path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = layout.SHEET_PARAMETRES
    for i, name in enumerate(layout.PARAMETER_NAMES):
        row = layout.FIRST_DATA_ROW + i
        ws[f"A{row}"] = name
        wb.defined_names[name] = DefinedName(name, attr_text=f"'{layout.SHEET_PARAMETRES}'!$B${row}")
    ws["A1"], ws["B1"] = "Paramètre", "Valeur"
    for sheet, columns in ((layout.SHEET_RECETTES, layout.RECETTES_COLUMNS),
                           (layout.SHEET_ACHATS, layout.ACHATS_COLUMNS)):
        sheet_ws = wb.create_sheet(sheet)
        for col in columns:
            sheet_ws[f"{col.letter}{layout.HEADER_ROW}"] = col.title
    wb.create_sheet(layout.SHEET_SYNTHESE)
    wb.save(path)


def _template(path: Path, rows: int | None = None) -> openpyxl.Workbook:
    """The real template (xlae modele [--lignes rows]) when the generator is there, else the minimal one."""
    try:
        from xlae.template.build import build_workbook
    except ImportError:
        _minimal_template(path)
        return openpyxl.load_workbook(path)
    return build_workbook() if rows is None else build_workbook(rows=rows)


def make_book(path: Path, params: dict[str, Any] | None = None, recettes: list[dict] = (),
              achats: list[dict] = (), rows: int | None = None) -> Path:
    """A template workbook with these parameters and rows, saved at ``path``.

    ``rows``: ledger rows its Synthèse covers (``xlae modele --lignes rows``); default 10 000.
    """
    wb = _template(path, rows)
    values = {**DEFAULT_PARAMS, **(params or {})}
    for name, value in values.items():
        for sheet, coord in wb.defined_names[name].destinations:
            wb[sheet][coord.replace("$", "")] = value
    for sheet, columns, rows in ((layout.SHEET_RECETTES, layout.RECETTES_COLUMNS, recettes),
                                 (layout.SHEET_ACHATS, layout.ACHATS_COLUMNS, achats)):
        ws = wb[sheet]
        for offset, row in enumerate(rows):
            for col in columns:
                value = row.get(col.key) if row else None
                cell = ws[f"{col.letter}{layout.FIRST_DATA_ROW + offset}"]
                cell.value = value
                if isinstance(value, dt.datetime):
                    cell.number_format = "DD/MM/YYYY"
    wb.save(path)
    return path


def read_rows(path: Path, sheet: str = layout.SHEET_RECETTES) -> list[tuple]:
    """Data rows of a ledger sheet as written on disk (read back with openpyxl)."""
    ws = openpyxl.load_workbook(path)[sheet]
    rows = [tuple(r) for r in ws.iter_rows(min_row=layout.FIRST_DATA_ROW, max_col=9, values_only=True)]
    while rows and all(v is None for v in rows[-1]):
        rows.pop()
    return rows


def findings(path: Path, today: dt.date = TODAY) -> list[str]:
    """``xlae verifier``'s findings for the workbook at ``path``, as printed."""
    from xlae.ledger.checks import check_book

    return [f.text() for f in check_book(open_books(path), today)]


def test_make_book_is_accepted_as_template(tmp_path: Path) -> None:
    path = make_book(tmp_path / "livre.xlsx", recettes=[receipt(D("2026-03-05"), "F2026-001", 1200)])
    book = open_books(path)
    assert book.parameter("annee")[0] == 2026
    rows = book.rows(layout.SHEET_RECETTES)
    assert [(r.row, r.get("reference"), r.get("montant")) for r in rows] == [(2, "F2026-001", 1200)]
