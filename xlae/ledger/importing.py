"""Credits of a bank statement → receipts of the livre des recettes.

Why: the law allows recording a receipt at the bank-statement date; importing
the credits avoids forgotten transfers and typos. Each credit gets an import
key (hash of date, label, amount and its occurrence among identical lines), so
re-importing the same or an overlapping statement adds nothing; a credit that
looks like a receipt typed by hand (``matching``) is held back until the user
names it. Every text written comes from the bank or the rules file, so none may
start like a formula. Existing rows are never touched; new rows are appended
after the last one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..errors import XlaeError
from ..rules.vocabulary import normalize
from ..template import coverage, layout
from .closing import Closure, closed_on
from .matching import LedgerReceipts, Matcher
from .regles import IGNORE, Rule, first_match
from .statement import Statement, StatementLine
from ..books.model import Books
from ..books.write import Edits

NOUVELLE = "à ajouter"
DEJA = "déjà importée"
IGNOREE = "ignorée"
CLOSE = "période close"
DOUBLON = "déjà saisie à la main ?"

# Bank label prefixes → payment mode (normalised words at the start of the label).
_MODE_HINTS = (
    (("vir", "virement", "vrt", "sepa", "virt", "vir sepa", "vir inst", "transfer", "incoming transfer",
      "credit transfer", "sepa credit transfer", "payment from", "income", "topup", "virements recus",
      "virement recu"), "Virement"),
    (("chq", "cheque", "remise cheque", "remise chq", "rem chq", "remise de cheque", "check"), "Chèque"),
    (("cb", "carte", "paiement cb", "tpe", "remise cb", "remise carte", "card", "card payment",
      "card refund"), "Carte bancaire"),
    (("prlv", "prelevement", "prel", "direct debit"), "Prélèvement"),
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_CONTROL = {c: " " for c in (*range(9), 11, 12, *range(14, 32))}   # not allowed in an xlsx cell
_CLIENT_LEAD = re.compile(r"(?i)^(?:vir(?:ement)?s?|vrt|virt|payment|transfer|sepa|inst(?:antane)?|instant|"
                          r"recus?|reçus?|emis|en|votre|faveur|from|de|du|credit|cpt|[/:.\-]+)\b\.?\s*[:/]?\s*")
_CLIENT_STOP = re.compile(r"(?i)\s*(?:/|\bref\b|\breference\b|\bmotif\b|\bfact(?:ure)?\b|\bfac\b|"
                          r"\binvoice\b|\bid\b|\bnotprovided\b|\bdate\b|\bobjet\b|:|\b[A-Z]{1,4}[-_]?\d{2,4}"
                          r"[-_/]\d|\d{5,}).*$")
_CASH_DEPOSIT = re.compile(r"\b(versement|vers|depot|remise|vrst)( d| de)? (especes|esp)\b")
_REF_TOKEN = re.compile(r"\b([A-Z]{1,4}[-_]?\d{2,4}[-_/]\d{1,6})\b")        # F2026-007, FA-2026-031
_REFERENCE = re.compile(r"(?i)\b(?:facture|fact|fac|invoice|inv)\b\.?\s*(?:n\s*°|no\b|num\b)?\.?\s*[:#]?\s*"
                        r"([A-Z0-9][A-Z0-9\-_/]*\d)\b")                            # FACTURE N° 123


@dataclass
class Proposal:
    """What happens to one credit of the statement."""

    line: StatementLine
    key: str
    status: str
    reason: str = ""
    values: dict[str, Any] = field(default_factory=dict)
    default_categorie: bool = False
    client_proposed: bool = False


def import_key(line: StatementLine, occurrence: int, norm: str | None = None) -> str:
    """Stable key of a credit: same date, label, amount and rank among identical lines → same key.

    ``norm``: ``normalize(line.label)`` when the caller has it already (large statements).
    """
    norm = normalize(line.label) if norm is None else norm
    text = f"{line.date.isoformat()}|{norm}|{line.amount:.2f}|{occurrence}"
    return "R-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def guess_mode(label: str, norm: str | None = None) -> str:
    text = normalize(label) if norm is None else norm
    for prefixes, mode in _MODE_HINTS:
        if any(text == p or text.startswith(p + " ") for p in prefixes):
            return mode
    return ""


def guess_client(label: str, norm: str | None = None) -> str:
    """« VIR SEPA RECU /DE ACME SARL /MOTIF F2026-007 » → « ACME SARL »; only for transfers, else ""."""
    if guess_mode(label, norm) != "Virement":
        return ""
    text = label.strip()
    match = re.search(r"(?i)(?:/|\b)de\s*[:/]\s*|/de\s+|\bde\s+(?=\S)", text)
    if match and match.start() < 30:
        text = text[match.end():]
    else:
        previous = None
        while previous != text:
            previous, text = text, _CLIENT_LEAD.sub("", text, count=1)
    text = _CLIENT_STOP.sub("", text).strip(" -.,;:/")
    return text[:60] if sum(c.isalpha() for c in text) >= 2 else ""


def literal(text: Any) -> Any:
    """A text that Excel could take for a formula (« =WEBSERVICE(…) », « +33… », « @… ») kept as text."""
    if not isinstance(text, str):
        return text
    if not text.isprintable():   # a control character is never printable: most texts skip the table
        text = text.translate(_CONTROL)
    return "'" + text if text.startswith(_FORMULA_START) else text


def guess_reference(label: str) -> str:
    match = _REF_TOKEN.search(label.upper()) or _REFERENCE.search(label)
    return match.group(1).upper() if match else ""


def propose(statement: Statement, rules: list[Rule], receipts: LedgerReceipts, default_categorie: str,
            closures: list[Closure], today: dt.date, force: frozenset[int] = frozenset()) -> list[Proposal]:
    """One proposal per credit of the statement (debits are not receipts).

    ``receipts``: the livre's receipts (``ledger_receipts``); ``force``: statement lines the user
    adds although they look typed by hand already (``--ajouter-lignes``).
    """
    seen: Counter[tuple] = Counter()
    credits = []
    for line in statement.lines:
        if line.amount <= 0:
            continue
        norm = normalize(line.label)
        identity = (line.date, norm, line.amount)
        occurrence = seen[identity]
        seen[identity] += 1
        if line.date > today:
            raise XlaeError(f"relevé {statement.path.name}, ligne {line.line} : date {line.date:%d/%m/%Y} "
                            "dans le futur ; un relevé ne contient que des opérations passées (dates au "
                            "format JJ/MM/AAAA ?). Rien n'a été importé.", "releve")
        credits.append((line, import_key(line, occurrence, norm), norm))
    matcher = Matcher(receipts)
    known = {key for _, key, _ in credits if matcher.by_key(key) is not None}  # before any guess: keys are sure
    return [_proposal(line, key, norm, rules, known, matcher, default_categorie, closures, line.line in force)
            for line, key, norm in credits]


def _proposal(line: StatementLine, key: str, norm: str, rules: list[Rule], known: set[str], matcher: Matcher,
              default_categorie: str, closures: list[Closure], forced: bool) -> Proposal:
    rule = first_match(rules, line.label, norm)
    if key in known:
        return Proposal(line, key, DEJA)
    if rule is not None and rule.categorie == IGNORE:
        return Proposal(line, key, IGNOREE, f"règle ligne {rule.line} (« {rule.motif} »)")
    if rule is None and _CASH_DEPOSIT.search(norm):
        return Proposal(line, key, IGNOREE, "dépôt d'espèces : la recette est inscrite au livre le jour où "
                                            "vous l'avez reçue, pas au dépôt")
    reference = (rule.reference if rule and rule.reference else "") or guess_reference(line.label)
    twin = None if forced else matcher.by_hand(line.date, line.amount, reference)
    if twin is not None:
        return Proposal(line, key, DOUBLON, f"{twin.describe()} ; --ajouter-lignes {line.line} pour l'ajouter "
                                            "quand même")
    closure = closed_on(closures, line.date)
    if closure is not None:
        return Proposal(line, key, CLOSE, f"{closure.periode} est clôturée ; inscrivez-la à la main si "
                                          "elle manque vraiment")
    categorie = (rule.categorie if rule and rule.categorie else "") or default_categorie
    client = rule.client if rule and rule.client else ""
    guessed = "" if client else (line.tiers or guess_client(line.label, norm))
    proposed = bool(guessed)
    if proposed:
        client = guessed
    observations = f"Relevé : {line.label}" + (" ; client proposé d'après le relevé" if proposed else "")
    values = {
        "date": dt.datetime.combine(line.date, dt.time()),
        "reference": literal(reference),
        "client": literal(client),
        "nature": literal(rule.nature if rule else ""),
        "categorie": categorie,
        "montant": line.amount,
        "mode": (rule.mode if rule and rule.mode else "") or guess_mode(line.label, norm) or guess_mode(line.kind),
        "observations": literal(observations),
        "cle_import": key,
    }
    return Proposal(line, key, NOUVELLE, values=values, default_categorie=not (rule and rule.categorie),
                    client_proposed=proposed)


_MATCHED = ("date", "montant", "reference", "cle_import")


def ledger_receipts(book: Books) -> LedgerReceipts:
    """The livre's receipts, for the import key and the hand-typed match: the columns matching reads,
    as ``Books.rows`` gives them (empty cells None, a formula as its text), without making the rows."""
    numbers, columns = book.columns(layout.SHEET_RECETTES, _MATCHED)
    return LedgerReceipts(numbers, columns)


def existing_keys(book: Books) -> set[str]:
    return {str(row.get("cle_import")).strip() for row in book.rows(layout.SHEET_RECETTES)
            if row.get("cle_import")}


def next_rows(book: Books, count: int) -> tuple[int, int]:
    """Rows (first, last) that ``count`` receipts appended after the last used row would take."""
    last = book.last_row(layout.SHEET_RECETTES)
    first = last + 1 if last is not None else layout.FIRST_DATA_ROW
    return first, first + count - 1


def uncovered(book: Books, count: int) -> str | None:
    """Why appending ``count`` receipts is refused: some would land below the Synthèse's range.

    Refused rather than warned: such receipts would be in the livre but in no figure
    (CA, plafond, cotisations), a silent wrong number. None when they all fit.
    """
    rows = book.covered_rows
    first, last = next_rows(book, count)
    if rows is None or count <= 0 or last <= layout.last_data_row(rows):
        return None
    place = f"ligne {first}" if first == last else f"lignes {first} à {last}"
    return (f"{count} recette(s) iraient à la feuille {layout.SHEET_RECETTES}, {place}, au-delà de la ligne "
            f"{layout.last_data_row(rows)} : {coverage.uncovered_advice(rows, coverage.rows_needed(last))}")


def append_receipts(book: Books, proposals: list[Proposal]) -> tuple[Edits, int, int]:
    """The new receipts after the last used row, oldest first: (edits to save, first row, last row).

    Why sorted: banks export newest first, and the livre des recettes is chronological
    (C. com. L123-28); the sort is stable, so same-day receipts keep the statement's order.
    Formats: the cell's own, else its column's, else the row above's, else a date or
    amount format (``books.write``).
    """
    first, _ = next_rows(book, 0)
    number = first
    edits = Edits(book, recalc_on_open=True)
    kinds = {layout.column(layout.RECETTES_COLUMNS, "date").letter: "date",
             layout.column(layout.RECETTES_COLUMNS, "montant").letter: "amount"}
    new = sorted((p for p in proposals if p.status == NOUVELLE), key=lambda p: p.values["date"])
    for proposal in new:
        values = []
        for col in layout.RECETTES_COLUMNS:
            value = proposal.values.get(col.key)
            values.append(float(value) if isinstance(value, Decimal) else (None if value == "" else value))
        edits.put(layout.SHEET_RECETTES, number, values, kinds)
        number += 1
    return edits, first, number - 1
