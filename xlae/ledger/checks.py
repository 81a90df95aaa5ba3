"""Legal and common-sense checks of the livre des recettes and the registre des achats.

Why (C. com. L123-28, CGI 50-0 5 and 102 ter, fact sheet §l): the books are
chronological, show the amount and origin of each receipt, distinguish cash
payments and give the reference of each supporting document; sellers of goods
also keep a purchases register. Each finding names the sheet, row and column
so that the user can fix it in a minute.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..format import day
from ..rules.vocabulary import Activite
from ..template import coverage, layout
from . import closing
from ..books.cells import cell_amount, cell_categorie, cell_date, cell_mode, cell_text
from ..books.model import LEDGERS, Books, LedgerRow, Place
from ..books.parameters import Parameters, read_parameters

SHEET_ORDER = (layout.SHEET_PARAMETRES, layout.SHEET_RECETTES, layout.SHEET_ACHATS, layout.SHEET_SYNTHESE,
               layout.SHEET_CLOTURES)
# A numbering series is checked for gaps only when few numbers are missing (else it is not a series).
MAX_GAP = 20
_SERIES = re.compile(r"^(?P<prefix>[A-Za-z]*[-_/ ]?(?:\d{4}[-_/ ])?)(?P<number>\d+)$")
_SPLIT_PAYMENT = re.compile(r"(?i)acompte|solde|partiel|[ée]ch[ée]ance|plusieurs fois|versement \d|fractionn")


@dataclass(frozen=True)
class Finding:
    sheet: str
    row: int | None
    column: str | None
    message: str

    def text(self) -> str:
        return f"{Place(self.sheet, self.row, self.column).text()} : {self.message}"

    def sort_key(self) -> tuple:
        order = SHEET_ORDER.index(self.sheet) if self.sheet in SHEET_ORDER else len(SHEET_ORDER)
        return order, self.row or 0, self.column or ""


def _remembered(function):
    """``function`` of one cell value, remembered per value and type for the values a ledger repeats
    (texts, dates: « bnc », « Virement », a client's name, the days of the year) within one check."""
    memo: dict[tuple[type, object], object] = {}

    def cached(value):
        kind = value.__class__
        if kind is not str and kind is not dt.date:
            return function(value)
        key = (kind, value)
        found = memo.get(key, memo)
        if found is memo:
            found = memo[key] = function(value)
        return found

    return cached


def _amount_problem(value: object) -> str | None:
    """``cell_amount``'s problem; an amount typed to the cent (the float nearest k/100, 0 < k/100 <
    10^11, whose shortest repr has then at most two decimals) has none, without a Decimal."""
    if value.__class__ is float and 0 < value < 1e11 and round(value * 100) / 100 == value:
        return None
    return cell_amount(value)[1]


def _letter(sheet: str, key: str) -> str:
    return layout.column(LEDGERS[sheet], key).letter


def check_book(book: Books, today: dt.date | None = None) -> list[Finding]:
    """Every finding of the workbook, sorted by sheet and row."""
    today = today or dt.date.today()
    params, problems = read_parameters(book)
    findings = [Finding(p.place.sheet, p.place.row, p.place.column, p.message) for p in problems]
    recettes = book.rows(layout.SHEET_RECETTES)
    findings += check_ledger(layout.SHEET_RECETTES, recettes, params, today)
    findings += check_numbering(recettes)
    achats = book.rows(layout.SHEET_ACHATS)
    findings += check_ledger(layout.SHEET_ACHATS, achats, params, today)
    findings += check_purchases_register(book, params, recettes, achats)
    formulas = book.summary_formulas
    rows = book.covered_rows
    findings += check_coverage(rows, {layout.SHEET_RECETTES: recettes, layout.SHEET_ACHATS: achats})
    findings += check_summary(formulas, rows)
    findings += check_closures(book)
    return sorted(findings, key=Finding.sort_key)


def check_ledger(sheet: str, rows: list[LedgerRow], params: Parameters | None, today: dt.date) -> list[Finding]:
    """Row-by-row checks of one ledger sheet."""
    found: list[Finding] = []
    is_receipts = sheet == layout.SHEET_RECETTES
    col = {c.key: c.letter for c in LEDGERS[sheet]}
    previous: tuple[int, dt.date] | None = None
    out_of_year: list[int] = []
    references: dict[tuple[str, ...], int] = {}
    # 100 000 rows of a few values each: the pure cell readings are remembered per value
    date_of, text_of = _remembered(cell_date), _remembered(cell_text)
    mode_of, categorie_of = _remembered(cell_mode), _remembered(cell_categorie)
    for row in rows:
        if row.empty:
            found.append(Finding(sheet, row.row, None, "ligne vide au milieu du registre : supprimez-la "
                                                       "(les lignes se suivent sans trou)"))
            continue

        def add(key: str, message: str) -> None:
            found.append(Finding(sheet, row.row, col[key], message))

        date, problem = date_of(row.get("date"))
        if problem:
            add("date", problem)
        if date is not None:
            if date > today:
                add("date", f"date du {day(date)} dans le futur : n'inscrivez une recette ou un achat "
                            "qu'une fois payé")
            if params is not None:
                if date.year not in (params.annee, params.annee - 1):  # N-1 gives the Synthèse its previous CA
                    out_of_year.append(row.row)
                if params.date_creation and date < params.date_creation:
                    add("date", f"date du {day(date)} antérieure à la date de création "
                                f"({day(params.date_creation)}, Paramètres)")
            if previous is not None and date < previous[1]:
                add("date", f"date du {day(date)} antérieure à celle de la ligne {previous[0]} "
                            f"({day(previous[1])}) : le registre est tenu dans l'ordre chronologique")
            if previous is None or date >= previous[1]:
                previous = (row.row, date)
        reference = cell_text(row.get("reference"))  # one per row: not worth remembering
        if not reference:
            add("reference", "référence de la pièce justificative manquante (numéro de facture, de ticket…)")
        else:
            key = (reference.upper(),) if is_receipts else (reference.upper(), text_of(row.get("fournisseur")).upper())
            if key in references:
                if not (is_receipts and _SPLIT_PAYMENT.search(cell_text(row.get("observations")))):
                    add("reference", f"référence « {reference} » déjà utilisée ligne {references[key]} "
                                     "(doublon ? pour un paiement en plusieurs fois, écrivez « acompte » ou "
                                     "« solde » en observation)")
            else:
                references[key] = row.row
        problem = _amount_problem(row.get("montant"))
        if problem:
            add("montant", problem)
        _, problem = mode_of(row.get("mode"))
        if problem:
            add("mode", problem)
        if is_receipts:
            _, problem = categorie_of(row.get("categorie"))
            if problem:
                add("categorie", problem)
            if not text_of(row.get("client")):
                add("client", "client non renseigné : le livre indique l'origine de chaque recette")
    if out_of_year and params is not None:
        rows_text = _ranges(out_of_year)
        found.append(Finding(sheet, out_of_year[0], col["date"],
                             f"{len(out_of_year)} ligne(s) hors des années {params.annee - 1} et {params.annee} "
                             f"(lignes {rows_text}) : la Synthèse de {params.annee} ne les compte pas ; "
                             "tenez un registre par année ou changez l'année des Paramètres"))
    return found


def _ranges(numbers: list[int]) -> str:
    parts: list[str] = []
    start = prev = numbers[0]
    for n in numbers[1:] + [None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        parts.append(str(start) if start == prev else f"{start} à {prev}")
        if n is not None:
            start = prev = n
    return ", ".join(parts)


def check_coverage(rows: int | None, ledgers: dict[str, list[LedgerRow]]) -> list[Finding]:
    """Rows below the range the Synthèse's formulas cover (``xlae modele --lignes N``): never counted.

    ``rows`` is N read from the workbook (None: no Synthèse, nothing to cover). One
    finding per sheet, on its first uncovered row, listing them all.
    """
    if rows is None:
        return []
    last = layout.last_data_row(rows)
    below = {sheet: [r.row for r in found if r.row > last and not r.empty] for sheet, found in ledgers.items()}
    lowest = max((numbers[-1] for numbers in below.values() if numbers), default=None)
    if lowest is None:
        return []
    advice = coverage.uncovered_advice(rows, coverage.rows_needed(lowest))
    return [Finding(sheet, numbers[0], _letter(sheet, "date"),
                    f"{len(numbers)} ligne(s) au-delà de la ligne {last} (lignes {_ranges(numbers)}) : {advice}")
            for sheet, numbers in below.items() if numbers]


def check_summary(formulas: dict[str, str] | None, rows: int | None) -> list[Finding]:
    """A Synthèse whose formulas were overwritten with numbers, or changed, is reported as customised.

    Why: its figures no longer come from the books (CA 0 €, contradictory
    totals) while every ledger check passes.
    """
    if formulas is None:
        return []
    from ..template.standard import customisation, refs_text, replaced_note

    replaced, modified = customisation(formulas, rows)
    found = []
    if replaced:
        found.append(_summary_finding(replaced[0], replaced_note(replaced).removeprefix("Synthèse ")))
    if modified:
        found.append(_summary_finding(modified[0], f"personnalisée : {len(modified)} formule(s) différente(s) du "
                                      f"modèle ({refs_text(modified)}) ; xlae recalculer l'évalue avec le moteur "
                                      "« formules », vérifiez ses chiffres"))
    return found


def _summary_finding(ref: str, message: str) -> Finding:
    match = re.fullmatch(r"([A-Z]+)(\d+)", ref)
    return Finding(layout.SHEET_SYNTHESE, int(match.group(2)) if match else None, None, message)


def check_numbering(rows: list[LedgerRow]) -> list[Finding]:
    """Gaps in invoice series (F2026-001, F2026-002, F2026-004 → F2026-003 missing)."""
    series: dict[str, dict[int, tuple[int, str]]] = {}
    widths: dict[str, int] = {}
    for row in rows:
        reference = cell_text(row.get("reference"))
        match = _SERIES.match(reference)
        if not match:
            continue
        prefix, digits = match.group("prefix"), match.group("number")
        series.setdefault(prefix.upper(), {}).setdefault(int(digits), (row.row, reference))
        widths[prefix.upper()] = len(digits)
    found = []
    letter = _letter(layout.SHEET_RECETTES, "reference")
    for prefix, numbers in series.items():
        ordered = sorted(numbers)
        if len(ordered) < 2:
            continue
        missing_total = ordered[-1] - ordered[0] + 1 - len(ordered)
        if missing_total == 0 or missing_total > MAX_GAP:
            continue
        for before, after in zip(ordered, ordered[1:]):
            if after - before <= 1:
                continue
            row_before, ref_before = numbers[before]
            row_after, ref_after = numbers[after]
            first = _format_ref(ref_before, before + 1)
            last = _format_ref(ref_before, after - 1)
            gap = (f"{first} manquante" if first == last
                   else f"{first} à {last} manquantes ({after - before - 1} pièces)")
            found.append(Finding(layout.SHEET_RECETTES, row_after, letter,
                                 f"numérotation des pièces interrompue : {gap} entre {ref_before} "
                                 f"(ligne {row_before}) et {ref_after} (facture annulée ? gardez-la et "
                                 "notez-la en observation)"))
    return found


def _format_ref(model: str, number: int) -> str:
    match = _SERIES.match(model)
    digits = match.group("number")
    return f"{match.group('prefix')}{number:0{len(digits)}d}"


def check_purchases_register(book: Books, params: Parameters | None, recettes: list[LedgerRow],
                             achats: list[LedgerRow]) -> list[Finding]:
    """Sellers of goods and lodging keep a purchases register (CGI 50-0, 5)."""
    sells = (params is not None and params.activite is Activite.VENTE) or any(
        cell_text(r.get("categorie")) == Activite.VENTE.value for r in recettes)
    if not sells:
        return []
    if not book.has(layout.SHEET_ACHATS):
        return [Finding(layout.SHEET_ACHATS, None, None, "feuille absente : le registre des achats est "
                        "obligatoire pour la vente de marchandises ou l'hébergement (CGI 50-0, 5)")]
    if not any(not r.empty for r in achats):
        return [Finding(layout.SHEET_ACHATS, None, None, "registre des achats vide alors que l'activité "
                        "comprend de la vente : il est obligatoire (CGI 50-0, 5) ; inscrivez-y vos achats")]
    return []


def check_closures(book: Books) -> list[Finding]:
    """Rows of closed periods changed, added or removed; a hand-edited Clôtures sheet."""
    closures, problems = closing.read_closures(book)
    found = [Finding(layout.SHEET_CLOTURES, None, None, p) for p in problems]
    seen: dict[tuple[str, int], list[tuple[str, str]]] = {}
    for closure in closures:
        for t in closing.compare(book, closure):
            seen.setdefault((t.sheet, t.row), []).append((t.message, closure.periode))
    for (sheet, row), items in seen.items():
        others = [periode for _, periode in items[1:]]
        extra = f" ; concerne aussi la clôture de {', '.join(others)}" if others else ""
        found.append(Finding(sheet, row, None, items[0][0] + extra))
    return found
