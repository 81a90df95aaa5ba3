"""The batch's view of the template summary (``xlae.template.synthese``).

Why: the summary is described once, in the template package; the batch only
asks it three things — which formulas a standard summary holds, the values of
every formula cell computed from the ledgers, and which cells hold the report's
figures. A workbook whose formulas differ is "customised" and goes to a general
formula engine instead.
"""

from __future__ import annotations

import datetime as dt
import math
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import XlaeError
from ..template.standard import ref_order
from .report import ReportRow

if TYPE_CHECKING:
    from ..books.model import Books

def evaluate_standard(books: "Books", rows: int | None = None, today: dt.date | None = None) -> dict[str, Any]:
    """Every formula cell of the standard template (covering ``rows`` ledger rows), computed by the rules.

    With the workbook's own Barèmes sheet when it has one, as its formulas compute;
    ``today``: the day of the dashboard's « next declaration » (default: the real one).
    """
    from ..template import bareme_classeur, layout, synthese

    with bareme_classeur.using(books.baremes):
        return synthese.evaluate(books.inputs(), rows or layout.MAX_ROWS, today)


def baremes_note(books: "Books") -> str | None:
    """Why the figures of a workbook whose Barèmes differs from the installed rates may surprise."""
    from ..rates import get_rates

    own = books.baremes
    if own is None:
        return None
    return _baremes_note(own, get_rates())


@lru_cache(maxsize=8)
def _baremes_note(own: Any, installed: Any) -> str | None:
    """Memoised on the rates themselves (equal for the same Barèmes sheet, ``Rates.renamed``): the note
    names no file, and every standard workbook of a batch asks it for the same two sheets."""
    from ..template import bareme_classeur, natif

    return bareme_classeur.recalc_note(bareme_classeur.difference(own, installed), natif.rates_version(own))


def evaluate_formulas(path: Path) -> dict[str, Any]:
    """Every formula cell evaluated by the ``formulas`` engine, AE_* registered."""
    try:
        from .. import formules
    except ImportError as error:
        raise XlaeError(f"moteur « formules » indisponible ({error}) ; installez les dépendances du "
                        "recalcul : pip install \"xlae[lot]\".") from None
    return formules.evaluate_with_formulas(path)  # quiet: no log traceback, no progress bar


def alert_thresholds() -> tuple[float, float]:
    """Shares of the ceiling that turn the report amber, then red (the summary's own levels)."""
    from ..template import synthese

    return synthese.ALERT_AMBER, synthese.ALERT_RED


def report_row(name: str, books: "Books", values: dict[str, Any], today: dt.date | None = None) -> ReportRow:
    """The report's figures for one workbook, read from its evaluated summary cells.

    The ceiling shown is the one the summary compares with (sales ceiling when the
    sales test applies, else the services ceiling); the "last period" is the
    declaration period of the last month of the displayed year with receipts:
    what it costs (cotisations + CFP + TFC + VL) and its due date. The "next due
    date" is the deadline still to meet on ``today`` (``next_due_date``).
    """
    from ..template import layout, synthese as S

    key = S.KEY_CELLS
    prefix = layout.SHEET_SYNTHESE + "!"
    values = {k.removeprefix(prefix): v for k, v in values.items() if "!" not in k or k.startswith(prefix)}

    def get(ref: str) -> Any:
        value = values.get(ref)
        return None if value == "" else value

    def number(ref: str) -> float | None:
        value = get(ref)
        return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None

    year = number(key["annee"])
    ceiling_ref = key["plafond_vente"] if get(f"B{S.ROW_PART_VENTE}") is not None else key["plafond_services"]
    parametres = books.parametres
    row = ReportRow(name, activite=_text(parametres.get("activite")),
                    annee=int(year) if year is not None else None, ca=number(key["ca_annee"]),
                    plafond=number(ceiling_ref), part_plafond=number(key["part_plafond"]),
                    tva=_text(get(key["statut_tva"])), situation_plafond=_text(get(key["statut_plafond"])))
    row.prochaine_echeance = next_due_date(parametres, today or dt.date.today())
    invalid = number(key["lignes_invalides"])
    row.lignes_invalides = int(invalid) if invalid is not None else None
    months = range(S.MONTH_FIRST, S.MONTH_FIRST + 12)
    c = S.MONTH_COLUMNS
    with_receipts = [r for r in months if (number(f"{c['ca']}{r}") or 0) > 0]
    if with_receipts:
        due = get(f"{c['echeance']}{with_receipts[-1]}")
        if isinstance(due, (int, float)) and not isinstance(due, bool):
            due = (S.EXCEL_EPOCH + dt.timedelta(days=due)).date()  # the formulas engine gives serials
        if due is not None and not isinstance(due, str):
            row.echeance = due
            for r in months:
                when = get(f"{c['echeance']}{r}")
                if isinstance(when, (int, float)) and not isinstance(when, bool):
                    when = (S.EXCEL_EPOCH + dt.timedelta(days=when)).date()
                if when == due and number(f"{c['a_payer']}{r}") is not None:
                    row.derniere_periode = number(f"{c['a_payer']}{r}")
    return row


def next_due_date(parametres: dict[str, Any], today: dt.date) -> dt.date | None:
    """Due date of the first declaration whose due date is on or after ``today``.

    Uses the workbook's periodicity and creation date, read as AE_ECHEANCE reads
    them; before the creation date, the first declaration's. None when these
    parameters are unreadable (the summary shows the error in its due-date cells).
    """
    from .. import coerce
    from ..rules.echeance import declaration
    from ..rules.vocabulary import parse_periodicite

    try:
        periodicite = parse_periodicite(parametres.get("periodicite"))
        creation = coerce.to_date(parametres.get("date_creation"), "date_creation", default_today=False)
        current = declaration(max(today, creation) if creation else today, periodicite, creation)
        # The period before may still be open for declaration (its deadline is next month).
        while creation is None or current.debut > creation:
            previous = declaration(current.debut - dt.timedelta(days=1), periodicite, creation)
            if previous.echeance < today:
                break
            current = previous
    except XlaeError:
        return None
    return current.echeance


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def rows_beyond_template(books: "Books", rows: int | None = None) -> str | None:
    """French warning when ledger rows lie below the last row the summary's formulas cover."""
    from ..template import coverage, layout

    rows = rows or layout.MAX_ROWS
    last = layout.last_data_row(rows)
    notes, lowest = [], last
    for sheet in (layout.SHEET_RECETTES, layout.SHEET_ACHATS):
        frame = books.frame(sheet)
        if not len(frame) or frame["row"].iat[-1] <= last:  # the rows go up: none below (the usual case)
            continue
        below = frame.loc[frame["row"] > last]
        filled = below["row"][below.drop(columns="row").notna().any(axis=1)] if len(below) else below["row"]
        if len(filled):
            notes.append(f"{len(filled)} ligne(s) de la feuille « {sheet} » au-delà de la ligne {last}")
            lowest = max(lowest, int(filled.max()))
    if not notes:
        return None
    return f"{' et '.join(notes)} : {coverage.uncovered_advice(rows, coverage.rows_needed(lowest))}."


def ledger_problems(books: "Books", limit: int = 3) -> str | None:
    """French warning for ledger cells the Synthèse takes as numbers but counts in no year, or not to the cent.

    Why: a date serial outside Excel's calendar (3 000 000, a NaN that calamine
    reads as 30/12/1899) passes ISNUMBER, so the Synthèse neither counts the row
    in any year nor lists it as invalid; an amount of 1e30 is summed but cannot
    be held to the cent. Neither may pass silently: each is named with the words
    of ``xlae verifier`` (``books.cells``, the one definition of a valid cell).
    """
    from ..books.cells import FIRST_DAY, cell_amount, cell_date
    from ..books.model import LEDGERS
    from ..rules.money import EXACT_LIMIT

    import numpy as np

    found: list[str] = []
    limit_float = float(EXACT_LIMIT)
    for sheet, columns in LEDGERS.items():
        frame = books.frame(sheet)
        letters = {c.key: c.letter for c in columns}
        dates, amounts = frame["date"].to_numpy(dtype=object), frame["montant"].to_numpy(dtype=object)
        kinds = np.frompyfunc(type, 1, 1)(dates) if len(dates) else dates
        # Candidates only (numbers, and dates before 1900), judged one by one by books.cells.
        suspect = (kinds == float) | (kinds == int)
        old = np.flatnonzero((kinds == dt.date) | (kinds == dt.datetime))
        suspect[old[[d.year < FIRST_DAY.year for d in dates[old]]]] = True
        numbers = np.flatnonzero(np.frompyfunc(type, 1, 1)(amounts) == float) if len(amounts) else []
        values = amounts[numbers].astype(float)
        with np.errstate(invalid="ignore"):
            large = np.asarray(numbers)[~(np.abs(values) < limit_float)] if len(numbers) else []
        rows = frame["row"].to_numpy()
        problems = [(int(rows[i]), "date", cell_date(dates[i])[1]) for i in np.flatnonzero(suspect)]
        problems += [(int(rows[i]), "montant", cell_amount(amounts[i])[1]) for i in large]
        for row, key, problem in sorted(problems, key=lambda item: (item[0], item[1] != "date")):
            if problem:
                found.append(f"{sheet}!{letters[key]}{row} : {problem}")
    if not found:
        return None
    more = f" et {len(found) - limit} autre(s)" if len(found) > limit else ""
    return f"{len(found)} cellule(s) des livres à corriger : {' ; '.join(found[:limit])}{more} (xlae verifier)"


def _number_text(value: float) -> str:
    return str(int(value)) if math.isfinite(value) and value.is_integer() and abs(value) < 1e15 else repr(value)


def summary_problems(books: "Books", values: dict[str, Any]) -> str | None:
    """French warning when the recalculated summary is incomplete or silently ignores a parameter.

    Why: a workbook whose Paramètres hold a value ``xlae verifier`` and ``xlae declaration``
    refuse (an activity that is not one of the four categories, « peut-être » for
    ACRE…), whose summary shows « Erreur : … » cells, or whose « CA de l'année
    précédente » is dropped, must not pass as « recalculé » in a batch of 30 clients.
    The parameters are read by the one definition (``books.parameters``).
    """
    from ..books.parameters import read_parameters
    from ..format import euros
    from ..template import layout

    notes = []
    activite, previous = books.parameter("activite")[0], books.parameter("ca_annee_precedente")[0]
    where = books.parameter_place("activite").ref
    dropped = (isinstance(previous, (int, float)) and not isinstance(previous, bool)
               and str(activite or "").strip().lower() not in layout.CATEGORIES)
    if dropped:  # first: the amount lost; then the refusal in the words of xlae verifier
        notes.append(f"{where} (activite) : {f'« {_text(activite)} »' if activite is not None else 'vide'} n'est pas une des "
                     f"catégories {', '.join(layout.CATEGORIES)} : le « CA de l'année précédente » saisi "
                     f"({euros(previous)}) n'est compté nulle part ; choisissez l'activité dans la liste")
    _, problems = read_parameters(books)
    notes += [f"{p.where} : {p.message.rstrip('.')} (xlae verifier le signale aussi)" for p in problems]
    prefix = layout.SHEET_SYNTHESE + "!"
    from ..template import synthese

    year_check = values.get(synthese.KEY_CELLS["controle_annee"], values.get(prefix + synthese.KEY_CELLS["controle_annee"]))
    if isinstance(year_check, str) and year_check:
        notes.append(f"Synthèse!{synthese.KEY_CELLS['controle_annee']} : « {year_check.rstrip('.')} »")
    errors = sorted(((ref.removeprefix(prefix), value) for ref, value in values.items()
                     if ("!" not in ref or ref.startswith(prefix)) and ref.removeprefix(prefix) not in
                     synthese.DASHBOARD_REFS  # the dashboard repeats the first error of the detail
                     and isinstance(value, str) and value.startswith("Erreur")), key=lambda item: ref_order(item[0]))
    if errors:
        ref, message = errors[0]
        notes.append(f"{len(errors)} cellule(s) de la Synthèse en erreur, dont {ref} : « {message} » ; "
                     "complétez la feuille Paramètres (xlae verifier les liste)")
    return " ; ".join(notes) + "." if notes else None
