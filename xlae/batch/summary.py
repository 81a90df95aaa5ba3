"""The batch's view of the template summary (``xlae.template.synthese``).

Why: the summary is described once, in the template package; the batch only
asks it three things — which formulas a standard summary holds, the values of
every formula cell computed from the ledgers, and which cells hold the report's
figures. A workbook whose formulas differ is "customised" and goes to a general
formula engine instead.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import XlaeError
from .reader import Ledgers
from .report import ReportRow

_QUOTED_SHEET = re.compile(r"'((?:[^']|'')+)'!")
_STRING = re.compile(r'("(?:[^"]|"")*")')


def normalise(formula: str) -> str:
    """Spelling-insensitive form of a formula: no '=', upper case outside strings,
    no ``_xlfn.``/``_xludf.`` prefixes, sheet names unquoted (Excel rewrites these on save)."""
    text = formula.strip().removeprefix("=")
    parts = _STRING.split(text)
    for index in range(0, len(parts), 2):  # even parts are outside string literals
        part = _QUOTED_SHEET.sub(lambda m: m.group(1).replace("''", "'") + "!", parts[index])
        part = part.upper().replace("_XLFN.", "").replace("_XLUDF.", "")
        parts[index] = part
    return "".join(parts)


@lru_cache(maxsize=1)
def standard_formulas() -> dict[str, str]:
    """ref -> normalised formula of the standard summary, as ``xlae modele`` writes it."""
    from ..template import synthese

    return {cell.ref.replace("$", ""): normalise(cell.formula) for cell in synthese.summary_cells()}


def differences(found: dict[str, str]) -> list[str]:
    """Refs of the summary sheet whose formula differs from the standard (empty: standard)."""
    expected = standard_formulas()
    changed = [ref for ref, formula in expected.items() if normalise(found.get(ref, "")) != formula]
    changed += [ref for ref in found if ref not in expected]
    return sorted(set(changed), key=_ref_order)


def _ref_order(ref: str) -> tuple[int, str]:
    match = re.match(r"([A-Z]+)(\d+)", ref)
    return (int(match.group(2)), match.group(1)) if match else (0, ref)


def evaluate_standard(ledgers: Ledgers) -> dict[str, Any]:
    """Every formula cell of the standard template, computed by the rules from the ledgers."""
    from ..template import synthese

    inputs = synthese.Inputs(parametres=ledgers.parametres, recettes=ledgers.recettes, achats=ledgers.achats)
    return synthese.evaluate(inputs)


def evaluate_formulas(path: Path) -> dict[str, Any]:
    """Every formula cell evaluated by the ``formulas`` engine, AE_* registered."""
    try:
        from .. import formules
    except ImportError as error:
        raise XlaeError(f"moteur « formules » indisponible ({error}) ; installez les dépendances du "
                        "recalcul : pip install \"xlae[lot]\".") from None
    return formules.evaluate_with_formulas(path)


def alert_thresholds() -> tuple[float, float]:
    """Shares of the ceiling that turn the report amber, then red (same as the summary's)."""
    return 0.8, 1.0  # TODO(template): take them from synthese once it exposes them


def report_row(name: str, ledgers: Ledgers, values: dict[str, Any]) -> ReportRow:
    """The report's figures for one workbook, read from its evaluated summary cells."""
    params = ledgers.parametres
    return ReportRow(name, activite=params.get("activite"), annee=params.get("annee"))
