"""Is a workbook's Synthèse the standard one? Its formulas against the template's, spelling aside.

Why: a Synthèse whose formulas were changed (« customised ») or overwritten with
numbers no longer follows the books; ``xlae recalculer`` sends it to a formula
engine and ``xlae verifier`` reports it. Both, and the engine's trimmed copy, ask
this one module.
"""

from __future__ import annotations

import re
from functools import lru_cache

_QUOTED_SHEET = re.compile(r"'((?:[^']|'')+)'!")
_STRING = re.compile(r'("(?:[^"]|"")*")')


@lru_cache(maxsize=16384)
def normalise(formula: str) -> str:
    """Spelling-insensitive form of a formula: no '=', upper case outside strings,
    no ``_xlfn.``/``_xludf.`` prefixes, sheet names unquoted (Excel rewrites these on save).

    Memoised: every standard workbook of a batch holds the same ≈ 700 formulas.
    """
    text = formula.strip().removeprefix("=")
    parts = _STRING.split(text)
    for index in range(0, len(parts), 2):  # even parts are outside string literals
        part = _QUOTED_SHEET.sub(lambda m: m.group(1).replace("''", "'") + "!", parts[index])
        part = part.upper().replace("_XLFN.", "").replace("_XLUDF.", "")
        parts[index] = part
    return "".join(parts)


@lru_cache(maxsize=4)
def standard_formulas(rows: int | None = None) -> dict[str, str]:
    """ref -> normalised formula of the standard summary, as ``xlae modele --lignes rows`` writes it."""
    from . import layout, synthese

    cells = synthese.summary_cells(rows or layout.MAX_ROWS)
    return {cell.ref.replace("$", ""): normalise(cell.formula) for cell in cells}


@lru_cache(maxsize=4)
def standard_texts(rows: int | None = None) -> dict[str, str]:
    """ref -> formula text of the standard summary as a workbook stores it (no '=', not normalised).

    Why: a Synthèse written by ``xlae modele`` holds these very texts, so most formulas are known
    equal without normalising either side (≈ 20 ms per process of 770 formulas).
    """
    from . import layout, synthese

    return {cell.ref.replace("$", ""): cell.formula.strip().removeprefix("=")
            for cell in synthese.summary_cells(rows or layout.MAX_ROWS)}


def differences(found: dict[str, str], rows: int | None = None) -> list[str]:
    """Refs of the summary sheet whose formula differs from the standard (empty: standard)."""
    return list(_differences(tuple(found.items()), rows))


def customisation(found: dict[str, str], rows: int | None = None) -> tuple[list[str], list[str]]:
    """(refs whose standard formula was replaced by a value or cleared, refs whose formula was changed)."""
    replaced, modified = _customisation(tuple(found.items()), rows)
    return list(replaced), list(modified)


# Memoised on the formula cells themselves (ref, text): every standard workbook of a batch holds
# the same Synthèse, whose texts ``xlsx.formula_cells`` hands out as the same string objects.
@lru_cache(maxsize=32)
def _differences(cells: tuple[tuple[str, str], ...], rows: int | None) -> tuple[str, ...]:
    found = dict(cells)
    texts = standard_texts(rows)
    # the same text: the same formula; else compared spelling aside (normalised)
    changed = [ref for ref, text in texts.items() if found.get(ref) != text
               and normalise(found.get(ref, "")) != standard_formulas(rows)[ref]]
    changed += [ref for ref in found if ref not in texts]
    return tuple(sorted(set(changed), key=ref_order))


@lru_cache(maxsize=32)
def _customisation(cells: tuple[tuple[str, str], ...],
                   rows: int | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    found = dict(cells)
    replaced = sorted((ref for ref in standard_texts(rows) if ref not in found), key=ref_order)
    modified = [ref for ref in _differences(cells, rows) if ref in found]
    return tuple(replaced), tuple(modified)


def replaced_note(replaced: list[str]) -> str | None:
    """French warning for a Synthèse whose formulas were overwritten with numbers (its figures may be false)."""
    if not replaced:
        return None
    return (f"Synthèse personnalisée : {len(replaced)} formule(s) remplacée(s) par une valeur ou effacée(s) "
            f"({refs_text(replaced)}) ; ces cellules ne se calculent plus à partir des livres et leurs chiffres "
            "peuvent être faux : recréez le classeur avec « xlae modele » et recopiez-y vos lignes")


def modified_note(modified: list[str]) -> str | None:
    """French remark for a Synthèse whose formulas were changed: its figures are the user's formulas'."""
    if not modified:
        return None
    return (f"Synthèse personnalisée : {len(modified)} formule(s) différente(s) du modèle ({refs_text(modified)}), "
            "évaluée(s) telle(s) quelle(s) par le moteur « formules » ; vérifiez ses chiffres.")


def refs_text(refs: list[str], limit: int = 6) -> str:
    shown = ", ".join(refs[:limit])
    return shown + (f" et {len(refs) - limit} autre(s)" if len(refs) > limit else "")


def ref_order(ref: str) -> tuple[int, str]:
    match = re.match(r"([A-Z]+)(\d+)", ref)
    return (int(match.group(2)), match.group(1)) if match else (0, ref)
