"""French bank-statement CSV exports: encodings, separators, headers, amounts.

Why: every bank exports differently (« ; » or « , », a preamble before the
header, Débit/Crédit pair or one signed Montant, UTF-8 with or without BOM or
Windows-1252, « 1 234,56 € », « (12,00) »). We find the header among the usual
French labels and read every line strictly: an unreadable date or amount stops
the import with the file, line and column, it is never skipped silently.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ..errors import XlaeError, show
from ..rules.vocabulary import normalize

# Header labels (normalised, currency suffix removed), best first.
DATE_LABELS = ("date operation", "date d operation", "date de l operation", "date de operation", "date",
               "date comptable", "date compta", "date de comptabilisation", "date transaction",
               "date de transaction", "date valeur", "date de valeur")
LABEL_LABELS = ("libelle", "libelle operation", "libelle de l operation", "libelle de operation",
                "libelle complet", "libelle simplifie", "libelle court", "intitule", "description",
                "operation", "nature de l operation", "nature de operation", "motif", "label")
EXTRA_LABELS = ("informations complementaires", "information complementaire", "detail",
                "details", "detail de l ecriture", "complement", "complement de libelle", "reference")
DEBIT_LABELS = ("debit", "debits", "montant debit", "sortie", "sorties", "decaissement")
CREDIT_LABELS = ("credit", "credits", "montant credit", "entree", "entrees", "encaissement")
AMOUNT_LABELS = ("montant", "montant operation", "montant de l operation", "montant de operation",
                 "somme", "amount")
SKIP_WORDS = ("solde", "total", "ancien solde", "nouveau solde", "sous total")
HEADER_SCAN = 40
_CURRENCY = re.compile(r"\s*(?:en\s+)?(?:eur|euros?|€)$")


@dataclass(frozen=True)
class StatementLine:
    line: int            # line number in the file (1-based)
    date: dt.date
    label: str
    amount: Decimal      # > 0 credit, < 0 debit


@dataclass
class Statement:
    path: Path
    encoding: str
    delimiter: str
    header_line: int
    columns: dict[str, str]              # role → header as written
    ignored_columns: list[str]
    lines: list[StatementLine] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)   # (line, why)


def decode(raw: bytes) -> tuple[str, str]:
    """(text, encoding): UTF-8 with or without BOM, UTF-16 with BOM, else Windows-1252."""
    if raw.startswith(codecs.BOM_UTF8):
        try:
            return raw[3:].decode("utf-8"), "UTF-8 (BOM)"
        except UnicodeDecodeError:
            pass
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16"), "UTF-16"
    try:
        return raw.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        return raw.decode("latin-1"), "ISO-8859-1"


def header_key(text: str) -> str:
    return _CURRENCY.sub("", normalize(text.replace("€", " eur")))


def _roles(cells: list[str]) -> dict[str, int]:
    keys = [header_key(c) for c in cells]
    roles: dict[str, int] = {}
    for role, labels in (("date", DATE_LABELS), ("libelle", LABEL_LABELS), ("debit", DEBIT_LABELS),
                         ("credit", CREDIT_LABELS), ("montant", AMOUNT_LABELS)):
        for label in labels:
            if label in keys:
                roles[role] = keys.index(label)
                break
    extras = [i for i, k in enumerate(keys) if k in EXTRA_LABELS and i not in roles.values()]
    if extras:
        roles["complement"] = extras[0]
    return roles


def _usable(roles: dict[str, int]) -> bool:
    return "date" in roles and ("montant" in roles or "credit" in roles)


def parse_amount(text: str, where: str) -> Decimal | None:
    """« 1 234,56 € », « -12,00 », « (12,00) », « 12,00- », « 1.234,56 », « 1234.56 » → Decimal; empty → None."""
    t = text.strip().replace("\u00a0", " ").replace("\u202f", " ")
    t = re.sub(r"(?i)\s*(€|eur|euros?)\s*", "", t).strip()
    if not t:
        return None
    negative = False
    if t.startswith("(") and t.endswith(")"):
        negative, t = True, t[1:-1].strip()
    if t.endswith("-"):
        negative, t = True, t[:-1].strip()
    if t[:1] in "+-":
        negative, t = negative or t[0] == "-", t[1:].strip()
    t = t.replace(" ", "").replace("'", "")
    accepted = "un montant comme 1234,56, -12,00, 1 234,56 € ou (12,00)"
    if not re.fullmatch(r"\d[\d.,]*", t):
        raise XlaeError(f"{where} : montant {show(text)} illisible ; attendu {accepted}.", "releve")
    if "," in t and "." in t:
        decimal_sep = "," if t.rfind(",") > t.rfind(".") else "."
        thousands = "." if decimal_sep == "," else ","
        t = t.replace(thousands, "").replace(decimal_sep, ".")
    elif "," in t:
        if t.count(",") > 1:
            raise XlaeError(f"{where} : montant {show(text)} illisible ; attendu {accepted}.", "releve")
        t = t.replace(",", ".")
    elif t.count(".") > 1:
        if not re.fullmatch(r"\d{1,3}(\.\d{3})+", t):
            raise XlaeError(f"{where} : montant {show(text)} illisible ; attendu {accepted}.", "releve")
        t = t.replace(".", "")
    if not re.fullmatch(r"\d+(\.\d{1,2})?", t):
        raise XlaeError(f"{where} : montant {show(text)} ambigu ou illisible (plus de deux décimales ?) ; "
                        f"attendu {accepted}.", "releve")
    try:
        amount = Decimal(t)
    except InvalidOperation:  # pragma: no cover - the pattern already checked it
        raise XlaeError(f"{where} : montant {show(text)} illisible.", "releve") from None
    return -amount if negative else amount


_DATE_FR = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})")
_DATE_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def parse_date(text: str, where: str) -> dt.date:
    """« 05/03/2026 », « 05-03-26 », « 2026-03-05 » → date."""
    t = text.strip().split(" ")[0]
    match = _DATE_FR.fullmatch(t)
    try:
        if match:
            day, month, year = (int(g) for g in match.groups())
            if year < 100:
                year += 2000
            return dt.date(year, month, day)
        match = _DATE_ISO.fullmatch(t)
        if match:
            year, month, day = (int(g) for g in match.groups())
            return dt.date(year, month, day)
    except ValueError:
        pass
    raise XlaeError(f"{where} : date {show(text)} illisible ; attendu JJ/MM/AAAA (ex. 05/03/2026).", "releve")


def read_statement(path: str | Path) -> Statement:
    """Read a bank CSV export; credits and debits, with the line numbers of the file."""
    path = Path(path)
    if not path.is_file():
        raise XlaeError(f"relevé : le fichier {path} n'existe pas.", "releve")
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise XlaeError(f"relevé : lecture de {path.name} impossible ({error}).", "releve") from None
    if not raw.strip():
        raise XlaeError(f"relevé : le fichier {path.name} est vide.", "releve")
    if raw.startswith((b"PK\x03\x04", bytes.fromhex("D0CF11E0A1B11AE1"), b"%PDF")):
        kind = "un PDF" if raw.startswith(b"%PDF") else "un classeur Excel (.xlsx ou .xls)"
        raise XlaeError(f"relevé : {path.name} est {kind}, pas un relevé CSV. Téléchargez le relevé au format "
                        "CSV depuis votre banque (ou, dans un tableur : Enregistrer sous › CSV, séparateur « ; »).",
                        "releve")
    text, encoding = decode(raw)
    text = text.lstrip("\ufeff")
    for delimiter in (";", ",", "\t"):
        rows = _rows(text, delimiter)
        for index, (number, cells) in enumerate(rows[:HEADER_SCAN]):
            roles = _roles(cells)
            if _usable(roles):
                return _read_lines(path, encoding, delimiter, number, cells, roles, rows[index + 1:])
    first = next((line for line in text.splitlines() if line.strip()), "")
    raise XlaeError(
        f"relevé {path.name} : aucune ligne d'en-tête reconnue dans les {HEADER_SCAN} premières lignes "
        f"(première ligne : {show(first)}). Il faut une colonne de date (Date, Date opération, Date valeur…) "
        "et soit une colonne Crédit (avec ou sans Débit), soit une colonne Montant signée ; "
        "séparateur « ; », « , » ou tabulation.", "releve")


def _rows(text: str, delimiter: str) -> list[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    start = 1
    try:
        for cells in reader:
            rows.append((start, [c.strip() for c in cells]))
            start = reader.line_num + 1
    except csv.Error:
        return rows
    return rows


def _read_lines(path: Path, encoding: str, delimiter: str, header_line: int, header: list[str],
                roles: dict[str, int], rows: list[tuple[int, list[str]]]) -> Statement:
    used = set(roles.values())
    statement = Statement(path, encoding, delimiter, header_line,
                          {role: header[i] for role, i in roles.items()},
                          [h for i, h in enumerate(header) if i not in used and h])
    width = len(header)
    for number, cells in rows:
        if not any(cells):
            continue
        cells = cells + [""] * (width - len(cells))

        def cell(role: str) -> str:
            return cells[roles[role]] if role in roles else ""

        def where(role: str) -> str:
            return f"relevé {path.name}, ligne {number}, colonne « {header[roles[role]]} »"

        label = cell("libelle")
        extra = cell("complement")
        if extra and extra not in label:
            label = f"{label} {extra}".strip()
        first_words = (normalize(cell("date")), normalize(label))
        if any(w.startswith(s) for w in first_words for s in SKIP_WORDS):
            statement.skipped.append((number, "ligne de solde ou de total"))
            continue
        if "montant" in roles and "credit" not in roles:
            amount = parse_amount(cell("montant"), where("montant"))
        else:
            credit = parse_amount(cell("credit"), where("credit"))
            debit = parse_amount(cell("debit"), where("debit")) if "debit" in roles else None
            if credit and debit:
                raise XlaeError(f"relevé {path.name}, ligne {number} : un débit et un crédit sur la même "
                                "ligne ; une opération n'a qu'un sens.", "releve")
            amount = abs(credit) if credit else (-abs(debit) if debit else None)
        if not amount:
            statement.skipped.append((number, "ligne sans montant"))
            continue
        if not cell("date"):
            raise XlaeError(f"{where('date')} : date manquante pour une opération de {amount} €.", "releve")
        statement.lines.append(StatementLine(number, parse_date(cell("date"), where("date")),
                                             " ".join(label.split()), amount))
    if not statement.lines:
        raise XlaeError(f"relevé {path.name} : aucune opération après l'en-tête (ligne {header_line}).",
                        "releve")
    return statement
