"""Registration of the AE_* functions with xlwings, the same code for every runtime.

Why: xlwings turns a Python function into an Excel function from its name, its
signature, its docstring and its annotations, and each runtime does it its own
way. Classic xlwings (Windows, ``xlwings.udfs``) writes a VBA wrapper named
after ``__name__`` and calls back ``getattr(module, name)``; xlwings Lite and
Server (Office.js, ``xlwings.server``) publish a JSON description and call the
same attribute. This module makes both see what an Excel user expects:

- the upper-case name (``AE_PLAFOND``) as the Excel name, while Python keeps
  ``ae_plafond`` (the module's ``__getattr__`` serves the upper-case name, so
  ``dir()`` lists each function once and VBA gets one procedure per function);
- no return annotation (xlwings makes it a converter: ``float | str`` crashes);
- error cells read as their text (``#N/A`` is refused, never taken as empty);
- ranges read as 2-D lists, so a range's orientation is known;
- errors as the runtime can show them: Office.js raises, and the cell shows
  ``#VALUE!`` with the French message on hover (xlwings Server docs, « Error
  handling »: the JS client throws ``CustomFunctions.Error(invalidValue, message)``);
  classic VBA turns an exception into the traceback text (``= Err.Description``
  in the generated wrapper), so there, and in plain Python calls, the function
  returns « Erreur : … » instead;
- a range in the ``spill`` argument gives one result per cell (a spilled array).
"""

from __future__ import annotations

import datetime as dt
import functools
import inspect
import time
from typing import Any, Callable

import xlwings as xw

from .errors import XlaeError
from .rates import get_rates
from .rules.money import cents

ERROR_PREFIX = "Erreur : "
CATEGORY = "xlae (micro-entrepreneur)"
MEMO_SIZE = 65536  # results kept per function: a workbook asks the same few values in many cells

CLASSIC, OFFICEJS, PYTHON = "classic", "officejs", "python"
_RANGES = frozenset((list, tuple))

# The options every argument gets, in both runtimes: a 2-D list for a range (its shape
# is kept), and error cells as their text (classic xlwings reads them as None otherwise).
ARGUMENT_OPTIONS = {"ndim": 2, "err_to_str": True}


# Argument help shared by the AE_* modules (at most 255 characters each: Excel shows no more).
ARG_ACTIVITE = ("Activité : vente, service_bic, bnc ou bnc_cipav (ou « BNC », « Libéral »…). "
                "Une plage, de même forme que le CA, pour une activité mixte.")
ARG_ACTIVITE_SEULE = "Activité : vente, service_bic, bnc ou bnc_cipav (une seule cellule)."
ARG_ANNEE = "Année sur quatre chiffres (vide : année en cours)."


def money(value: Any) -> float:
    """An amount as a cell shows it: rounded half up to the cent, as a float."""
    return float(cents(value))


class _Memo:
    """What every AE_* result depends on besides its arguments: the rates sheet in use and the day
    (an empty date means today). Checked once per call, cheaply: the memos start afresh when
    either changes, so a hit is one dictionary lookup.
    """

    def __init__(self) -> None:
        self.rates: object = None
        self.midnight = 0.0  # time.time() of the next local midnight
        self.generation = 0  # bumped when the rates sheet or the day changes

    def current(self) -> int:
        rates = get_rates()
        if rates is not self.rates or time.time() >= self.midnight:
            # an equal rates object (``Rates.renamed``: the next workbook's same Barèmes) keeps the memos
            if rates != self.rates or time.time() >= self.midnight:
                tomorrow = dt.date.today() + dt.timedelta(days=1)
                self.midnight = dt.datetime.combine(tomorrow, dt.time()).timestamp()
                self.generation += 1
            self.rates = rates
        return self.generation


_MEMO = _Memo()


def runtime() -> str:
    """Which xlwings decorators are active: they are chosen when xlwings is imported."""
    module = getattr(xw.func, "__module__", "") or ""
    if module.startswith(("xlwings.pro.udfs_officejs", "xlwings.server")):
        return OFFICEJS
    if module == "xlwings.udfs":
        return CLASSIC
    return PYTHON


def excel_name(function: Callable[..., Any]) -> str:
    return function.__name__.upper()


def excel_function(spill: str | None = None, **argument_help: str) -> Callable[[Callable[..., Any]], Any]:
    """Register ``function`` as the Excel function of its upper-cased name.

    ``argument_help`` gives the French help of every argument (Excel's function
    wizard and Office.js tooltips). ``spill`` names the argument that, given a
    range, makes the function return one value per cell of that range.
    """

    def decorate(function: Callable[..., Any]) -> Any:
        parameters = list(inspect.signature(function).parameters)
        if set(argument_help) != set(parameters):
            raise TypeError(f"{function.__name__}: the help must name exactly {parameters}")
        mode = runtime()
        body = _spilling(function, parameters, spill) if spill else function
        # A recalculation asks the same cell values again and again: one result per arguments and
        # their types (TRUE is not 1 for a CA), for the rates sheet and the day of ``_MEMO``.
        # Errors are not kept.
        memo: dict[tuple[Any, ...], Any] = {}
        seen = [0]  # the _MEMO generation the entries were computed in

        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                types = tuple(map(type, args))
                if kwargs or not _RANGES.isdisjoint(types):  # a range, or a call from Python by name
                    kwargs = {name: one_cell(value) for name, value in kwargs.items()}
                    return body(*map(one_cell, args), **kwargs)
                # one cell per argument: the call Excel repeats thousands of times
                generation = _MEMO.current()
                if seen[0] != generation:
                    memo.clear()
                    seen[0] = generation
                key = (args, types)
                try:
                    return memo[key]
                except KeyError:
                    pass
                except TypeError:  # a value that cannot be a key (not from Excel)
                    return function(*args)
                result = memo[key] = function(*args)
                if len(memo) > MEMO_SIZE:
                    memo.clear()
                    memo[key] = result
                return result
            except XlaeError as error:
                if mode == OFFICEJS:
                    raise
                return ERROR_PREFIX + str(error)

        # xlwings reads the signature through __wrapped__ and the annotations from here:
        # arguments stay Any (read as values), and no return converter is set.
        wrapper.__annotations__ = {name: Any for name in parameters}
        wrapper.__name__ = wrapper.__qualname__ = excel_name(function)
        wrapper.python_name = function.__name__
        wrapper.argument_help = dict(argument_help)
        wrapper.cache_clear = memo.clear
        decorated = wrapper
        for name in reversed(parameters):
            decorated = xw.arg(name, doc=argument_help[name], **ARGUMENT_OPTIONS)(decorated)
        return xw.func(category=CATEGORY)(decorated)

    return decorate


def one_cell(value: Any) -> Any:
    """A 1×1 range (``[[x]]``, ``[x]``) as its value; anything else unchanged."""
    while isinstance(value, (list, tuple)) and len(value) == 1:
        inner = value[0]
        if isinstance(inner, (list, tuple)) and len(inner) != 1:
            return value
        value = inner
    return value


def _spilling(function: Callable[..., Any], parameters: list[str], spill: str) -> Callable[..., Any]:
    """Call ``function`` once per cell when the ``spill`` argument is a range.

    The other arguments are either one cell (the same for every call) or a range of
    the same shape (taken cell by cell), as Excel lifts its own functions over arrays.
    """
    position = parameters.index(spill)
    signature = inspect.signature(function)

    def call(*args: Any, **kwargs: Any) -> Any:
        if kwargs:
            bound = signature.bind(*args, **kwargs)
            args, kwargs = bound.args, bound.kwargs
        cells = grid(args[position], spill) if position < len(args) else None
        if cells is None:
            return function(*args, **kwargs)
        shape = (len(cells), len(cells[0]))
        grids = []
        for name, argument in zip(parameters, args):
            cells_of = grid(argument, name)
            if cells_of is not None and (len(cells_of), len(cells_of[0])) != shape:
                cells_of = _as_vector(cells_of, shape)
            if cells_of is not None and (len(cells_of), len(cells_of[0])) != shape:
                raise XlaeError(f"{name} et {spill} : une plage de {len(cells_of)}×{len(cells_of[0])} "
                                f"cellules ne s'associe pas à une plage de {shape[0]}×{shape[1]} ; donnez "
                                f"une seule cellule ou une plage de même forme.", name)
            grids.append(cells_of)
        result = []
        for row in range(shape[0]):
            line = []
            for column in range(shape[1]):
                cell_args = [argument if cells_of is None else cells_of[row][column]
                             for argument, cells_of in zip(args, grids)]
                try:
                    line.append(function(*cell_args, **kwargs))
                except XlaeError as error:
                    raise _located(error, spill, row, column, shape) from None
            result.append(line)
        return result

    return call


def _as_vector(cells: list[list[Any]], shape: tuple[int, int]) -> list[list[Any]]:
    """A row paired with a column of the same length (or the reverse) is read in order, in ``shape``."""
    flat = [cell for row in cells for cell in row]
    if 1 in shape and 1 in (len(cells), len(cells[0])) and len(flat) == shape[0] * shape[1]:
        return [flat] if shape[0] == 1 else [[cell] for cell in flat]
    return cells


def _located(error: XlaeError, spill: str, row: int, column: int, shape: tuple[int, int]) -> XlaeError:
    """« date_periode (ligne 3 de la plage) : … »: the message says which cell of the range."""
    where = f"ligne {row + 1}" if shape[1] == 1 else f"ligne {row + 1}, colonne {column + 1}"
    name, text = error.argument or spill, str(error)
    if text.startswith(f"{name} : "):
        return XlaeError(f"{name} ({where} de la plage) : {text[len(name) + 3:]}", name)
    return XlaeError(f"{spill} ({where} de la plage) : {text}", name)


def grid(value: Any, argument: str) -> list[list[Any]] | None:
    """The cells of a range of more than one cell as rows (a 1-D list is a column), else None."""
    if not isinstance(value, (list, tuple)) or not value:
        return None
    rows = [list(row) if isinstance(row, (list, tuple)) else [row] for row in value]
    if any(len(row) != len(rows[0]) for row in rows) or not rows[0]:
        raise XlaeError(f"{argument} : plage irrégulière ; toutes les lignes doivent avoir la même largeur.",
                        argument)
    if len(rows) == 1 and len(rows[0]) == 1:
        return None
    return rows


def upper_case_names(namespace: dict[str, Any]) -> Callable[[str], Any]:
    """A module ``__getattr__`` serving ``AE_PLAFOND`` for ``ae_plafond``.

    Why: xlwings calls ``getattr(module, EXCEL_NAME)``; an attribute of that name
    would make ``dir(module)`` list the function twice, and classic xlwings would
    write two VBA procedures of the same name (a compile error for the whole module).
    """

    def __getattr__(name: str) -> Any:
        function = namespace.get(name.lower()) if name.isupper() else None
        if function is None or not hasattr(function, "python_name"):
            raise AttributeError(f"module {namespace.get('__name__')!r} has no attribute {name!r}")
        return function

    return __getattr__
