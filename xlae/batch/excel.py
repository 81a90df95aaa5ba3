"""``--moteur excel``: let a real Excel recalculate each copy, through xlwings.

Why: the reference engine is Excel itself (with the xlwings add-in providing the
AE_* functions). It exists only on Windows and macOS with Excel installed; elsewhere
the option is refused with a French message. One Excel instance, files in turn.
"""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path
from typing import Callable

from ..atomic import atomic_path
from ..errors import XlaeError
from ..template import layout
from ..books.archive import open_archive, package_of
from ..books.calamine import books_of
from ..books.model import position
from . import summary
from .report import ReportRow
from .runner import Job, Outcome


def check_available() -> None:
    """Raise the French reason when Excel cannot be driven from here."""
    if sys.platform not in ("win32", "darwin"):
        raise XlaeError("--moteur excel : Excel ne peut être piloté (xlwings) que sous Windows ou macOS avec "
                        "Microsoft Excel installé ; sur cette machine, utilisez --moteur auto (par défaut).")
    from importlib import import_module

    try:
        import_module("xlwings")
    except ImportError:
        raise XlaeError("--moteur excel : le module xlwings n'est pas installé (pip install xlwings).") from None


def run(jobs: list[Job], on_done: Callable[[Outcome], None] | None = None) -> list[Outcome]:
    check_available()
    import xlwings as xw

    try:
        app = xw.App(visible=False, add_book=False)
    except Exception as error:
        raise XlaeError(f"--moteur excel : impossible de démarrer Excel ({error}).") from None
    outcomes = []
    try:
        app.display_alerts = False
        for job in jobs:
            outcome = _one(app, job)
            outcomes.append(outcome)
            if on_done:
                on_done(outcome)
    finally:
        app.quit()
    return outcomes


def _one(app, job: Job) -> Outcome:
    started = time.perf_counter()
    source, target = Path(job.source), Path(job.target)
    outcome = Outcome(job.source, None, engine="excel")
    try:
        with open_archive(source) as archive:
            package_of(archive)
        with atomic_path(target, suffix=source.suffix) as temporary:
            shutil.copyfile(source, temporary)
            book = app.books.open(str(temporary), update_links=False)
            try:
                app.calculate()
                book.save()
            finally:
                book.close()
        with open_archive(target) as archive:
            books = books_of(target, archive, package_of(archive), ledger_formulas=False)
            refs = set(books.summary_formulas or {})
        from python_calamine import CalamineWorkbook

        book = CalamineWorkbook.from_path(str(target))
        grid = book.get_sheet_by_name(layout.SHEET_SYNTHESE).to_python(skip_empty_area=False)
        book.close()
        for ref in refs:
            row, column = position(ref)
            outcome.values[ref] = grid[row][column] if row < len(grid) and column < len(grid[row]) else None
        outcome.target = str(target)
        outcome.row = summary.report_row(source.name, books, outcome.values, job.today)
    except XlaeError as error:
        outcome.error = str(error)
    except Exception as error:  # Excel's COM/AppleScript errors have many types
        outcome.error = f"Excel n'a pas pu recalculer ce classeur ({type(error).__name__} : {error})."
    if outcome.row is None:
        outcome.row = ReportRow(source.name)
    outcome.row.erreur = outcome.error
    outcome.seconds = time.perf_counter() - started
    return outcome
