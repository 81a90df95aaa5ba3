"""The AE_* functions inside the ``formulas`` engine (PyPI), to evaluate any workbook in Python.

Why: a workbook whose summary a user changed, and the template tests, need a
general formula engine that knows our functions. This adapter hands the engine's
values (2-D arrays, empty markers, numpy numbers, error values) to ``xlae.udfs``
as xlwings would (scalars, rows of values, None for empty cells) and returns:
- numbers as floats, dates (AE_ECHEANCE) as Excel serial numbers;
- the French "Erreur : …" text unchanged, as the cell shows it under Excel with
  xlwings (a text, not an error value: the message is the point);
- an engine error value received as an argument (#VALUE!…) unchanged.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import logging
import os
import re
import tempfile
import types
import zipfile
from pathlib import Path
from typing import Any, Callable, Iterator

import numpy as np

from . import udfs
from .errors import XlaeError

EXCEL_EPOCH = dt.date(1899, 12, 30)
_REGISTERED = False


def _plain(value: Any) -> Any:
    """One engine cell value as xlwings would pass it."""
    import formulas
    from formulas.tokens.operand import XlError
    import schedula as sh

    if value is sh.EMPTY or value is None:
        return None
    if isinstance(value, XlError):
        raise _EngineError(value)
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    del formulas
    return value


class _EngineError(Exception):
    def __init__(self, error: Any) -> None:
        super().__init__(str(error))
        self.error = error


def _argument(value: Any) -> Any:
    """A range (Ranges or array) → scalar when 1×1, else rows of plain values."""
    if hasattr(value, "value") and not isinstance(value, np.ndarray):
        value = value.value
    if isinstance(value, np.ndarray):
        if value.ndim == 0:
            return _plain(value.item())
        if value.ndim == 1:
            value = value.reshape(1, -1)
        if value.shape == (1, 1):
            return _plain(value[0, 0])
        return [[_plain(v) for v in row] for row in value.tolist()]
    return _plain(value)


def _result(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return (value - EXCEL_EPOCH).days
    return value


def _wrap(function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    def engine_function(*args: Any) -> Any:
        try:
            plain = [_argument(a) for a in args]
        except _EngineError as error:
            return error.error
        return _result(function(*plain))

    return engine_function


def register() -> None:
    """Add every AE_* function of ``xlae.udfs`` to the engine's function table (idempotent)."""
    global _REGISTERED
    if _REGISTERED:
        return
    import formulas

    from formulas.functions import wrap_ranges_func

    table = formulas.get_functions()
    for name in udfs.__all__:
        # wrap_ranges_func: hands over the ranges' values, and skips a call whose inputs are not
        # computed yet (the engine retries it), as the built-in functions do.
        table[name.upper()] = wrap_ranges_func(_wrap(getattr(udfs, name)))
    _REGISTERED = True


def _sheet_names(path: Path) -> list[str]:
    from python_calamine import CalamineWorkbook

    return list(CalamineWorkbook.from_path(str(path)).sheet_names)


def _plain_result(value: Any) -> Any:
    from formulas.tokens.operand import XlError
    import schedula as sh

    if hasattr(value, "value") and not isinstance(value, np.ndarray):
        value = value.value
    if isinstance(value, np.ndarray):
        if value.size != 1:
            return None
        value = value.ravel()[0]
    if value is sh.EMPTY:
        return None
    if isinstance(value, XlError):
        return str(value)
    if isinstance(value, (np.floating, np.integer)):
        return float(value)
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


@contextlib.contextmanager
def _quiet_engine() -> Iterator[None]:
    """Silence the engine while it runs, then restore: it logs a traceback for each empty
    argument (schedula) and draws its own tqdm progress bar, which would garble the caller's."""
    import formulas.excel as engine_excel

    loggers = [logging.getLogger(name) for name in ("schedula", "formulas")]
    levels = [logger.level for logger in loggers]
    # TQDM_DISABLE only counts when tqdm is first imported, so the engine's handle on tqdm is
    # also swapped for one whose bars are disabled (restored afterwards).
    previous = os.environ.get("TQDM_DISABLE")
    os.environ["TQDM_DISABLE"] = "1"
    bars = getattr(engine_excel, "tqdm", None)
    if bars is not None:
        engine_excel.tqdm = types.SimpleNamespace(tqdm=functools.partial(bars.tqdm, disable=True))
    try:
        for logger in loggers:
            logger.setLevel(logging.CRITICAL)
        yield
    finally:
        for logger, level in zip(loggers, levels):
            logger.setLevel(level)
        if bars is not None:
            engine_excel.tqdm = bars
        if previous is None:
            os.environ.pop("TQDM_DISABLE", None)
        else:
            os.environ["TQDM_DISABLE"] = previous


def _last_used_rows(source: Path, sheets: tuple[str, ...]) -> dict[str, int]:
    """Last row holding any value, per ledger sheet (header row when empty); absent sheets left out."""
    from .books.calamine import read_books
    from .template import layout

    books = read_books(source, required=(), ledger_formulas=False)
    return {sheet: max(len(books.frame(sheet)) + layout.FIRST_DATA_ROW - 1, 1)
            for sheet in sheets if books.has(sheet)}


def _trimmed_copy(source: Path, folder: Path) -> Path:
    """A copy whose standard summary formulas read the ledgers only down to their last used row.

    Why: the engine evaluates SUMPRODUCT element by element, so 10 000-row ranges over a
    300-row ledger cost ~20 s. Only formulas identical to the template's (for the rows the
    workbook covers) are trimmed: for those, rows below the last used one are empty and
    contribute nothing (every term is multiplied by a test that an empty cell fails, COUNT
    and MAX(…*ROW()) ignore them). A customised formula keeps its full ranges. The user's
    file is only read.
    """
    from .batch import xlsx
    from .template import layout, standard
    from .template.coverage import covered_rows

    with zipfile.ZipFile(source) as archive:
        package = xlsx.read_package(archive)
        part = package.sheets.get(layout.SHEET_SYNTHESE)
        if part is None:
            return source
        xml = archive.read(part)
        found = xlsx.formula_cells(xml)
        expected = standard.standard_formulas(covered_rows(found))
        last = _last_used_rows(source, (layout.SHEET_RECETTES, layout.SHEET_ACHATS))
        if not last:
            return source
        ranges = re.compile(r"((?:'?(%s)'?)!\$?[A-Z]{1,3}\$?%d:\$?[A-Z]{1,3}\$?)(\d+)" % (
            "|".join(re.escape(sheet) for sheet in last), layout.FIRST_DATA_ROW))

        def shorter(match: re.Match[str]) -> str:
            end = max(layout.FIRST_DATA_ROW, min(int(match.group(3)), last[match.group(2)]))
            return match.group(1) + str(end)

        pieces, position, changed = [], 0, False
        for start, end in xlsx.formula_cell_spans(xml):
            cell = xml[start:end].decode("utf-8")
            ref = xlsx.attributes(cell[:cell.index(">")].encode()).get("r", "")
            if ref in expected and standard.normalise(found.get(ref, "")) == expected[ref]:
                trimmed = ranges.sub(shorter, cell)
                if trimmed != cell:
                    pieces += [xml[position:start], trimmed.encode("utf-8")]
                    position, changed = end, True
        if not changed:
            return source
        pieces.append(xml[position:])
        target = folder / f"xlae-copie-{source.name}"
        if target.resolve() == source.resolve():
            raise XlaeError(f"{source.name} : copie temporaire impossible à cet endroit.")
        with open(target, "wb") as out:
            xlsx.copy_with_changes(archive, out, {part: b"".join(pieces)})
    return target


def evaluate_with_formulas(path: str | os.PathLike[str], trim: bool = True) -> dict[str, Any]:
    """Every single cell the engine computed, keyed "Sheet!A1" (sheet names as in the workbook).

    Values: float for numbers and dates (Excel serials), str for texts, error
    values as their text ("#VALUE!"), None for empty results. ``trim``: evaluate a
    temporary copy whose standard summary formulas stop at the ledgers' last used
    row (same values, several times faster; see ``_trimmed_copy``).
    """
    import formulas

    source = Path(path)
    if not source.is_file():
        raise XlaeError(f"{str(source)!r} : fichier introuvable.")
    register()
    names = {name.upper(): name for name in _sheet_names(source)}
    try:
        with _quiet_engine(), tempfile.TemporaryDirectory(prefix="xlae-formules-") as folder:
            work = _trimmed_copy(source, Path(folder)) if trim else source
            model = formulas.ExcelModel().loads(str(work)).finish()
            solution = model.calculate()
    except XlaeError:
        raise
    except Exception as error:  # the engine raises many kinds on files it cannot read
        raise XlaeError(f"{source.name} : le moteur « formules » ne peut pas évaluer ce classeur "
                        f"({type(error).__name__} : {error}).") from None
    result: dict[str, Any] = {}
    for key, value in solution.items():
        text = str(key)
        if "!" not in text or ":" in text.split("!")[-1]:
            continue
        sheet, cell = text.rsplit("!", 1)
        sheet = sheet.strip("'")
        if "]" in sheet:
            sheet = sheet.split("]", 1)[1]
        result[f"{names.get(sheet.upper(), sheet)}!{cell}"] = _plain_result(value)
    return result
