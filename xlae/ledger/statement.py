"""French bank statements (CSV exports; OFX, QIF, CAMT.053 in their modules): encodings, separators, columns, amounts, dates.

Why: every bank exports differently (« ; » or « , », a preamble before the
header or no header at all, Débit/Crédit pair or one signed Montant, UTF-8 with
or without BOM or Windows-1252, « 1 234,56 € », « (12,00) », « 02-10-2026
10:00:00 »). The columns are found by ``statement_columns``; every line is then
read strictly: an unreadable date or amount, an unclosed quote or an endless
field stops the import with the file, line and column; no line is dropped
without being listed in the preview.
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
from typing import NamedTuple

from ..errors import XlaeError, show
from ..rules.vocabulary import normalize
from . import statement_columns as columns
from .statement_columns import Layout

MAX_BYTES = 64 * 1024 * 1024      # a year of a busy account is a few MB; beyond this it is not a statement
MAX_LABEL_LINES = 5               # a quoted label over more lines is an unclosed quote
HEADER_SCAN = 40
FIELD_MAX = 128 * 1024            # Python's csv field limit; the other readers refuse longer fields too
FAST_FROM = 1024 * 1024           # from 1 MB (about 15 000 lines) pandas splits the fields: statement_fast
_SKIP = re.compile(r"(ancien |nouveau )?solde\b|(sous )?total( des| general| operations| mouvements"
                   r"| credits?| debits?|$)")
_REFUSED = {"declined", "rejected", "reverted", "reversed", "canceled", "cancelled", "failed", "refuse",
            "refusee", "rejete", "rejetee", "annule", "annulee", "echoue", "echouee"}
_EURO = {"", "eur", "euro", "euros", "€"}
_CONTROL = {c: " " for c in range(32)} | {127: " "}   # a NUL or control character cannot go into an xlsx cell


class StatementLine(NamedTuple):
    line: int            # line number in the file (1-based)
    date: dt.date
    label: str
    amount: Decimal      # > 0 credit, < 0 debit
    tiers: str = ""      # counterparty column (Qonto, N26, Revolut), when the bank gives one
    kind: str = ""       # operation type column (« Virement », « transfer »…), when there is one


@dataclass
class Statement:
    path: Path
    encoding: str
    delimiter: str
    header_line: int                     # 0 when the file has no header line
    columns: dict[str, str]              # role → column as written (header, or « colonne 3 »)
    ignored_columns: list[str]
    lines: list[StatementLine] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)   # (line, why)
    how: str = "en-tête"                 # how the columns were found: en-tête, contenu, --colonnes, or a NAMED_FORMATS
    examples: dict[str, str] = field(default_factory=dict)          # role → first value read


def read_file(path: str | Path, what: str, argument: str, limit: int | None = None) -> bytes:
    """Bytes of a regular file of at most ``limit`` bytes; a FIFO, a folder or a huge file is refused early."""
    from ..files import read_regular

    return read_regular(path, what, argument, MAX_BYTES if limit is None else limit)


def decode(raw: bytes) -> tuple[str, str]:
    """(text, encoding): UTF-8 with or without BOM, UTF-16 with BOM, else Windows-1252."""
    if raw.startswith(codecs.BOM_UTF8):
        try:
            return raw[3:].decode("utf-8"), "UTF-8 (BOM)"
        except UnicodeDecodeError:
            pass
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            pass
    try:
        return raw.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        return raw.decode("latin-1"), "ISO-8859-1"


header_key = columns.header_key
_PLAIN_AMOUNT = re.compile(r"[-+]?\d{1,15}(?:[.,]\d{1,2})?")
_ACCEPTED = "un montant comme 1234,56, -12,00, 1 234,56 €, 1,234.56 ou (12,00)"


def parse_amount(text: str, where: str) -> Decimal | None:
    """« 1 234,56 € », « -12,00 », « (12,00) », « 12,00- », « 1.234,56 », « 1,234.56 » → Decimal; empty → None."""
    if _PLAIN_AMOUNT.fullmatch(text):  # the common case, « -1234,56 », at a fraction of the cost
        return Decimal(text.replace(",", "."))
    t = text.strip().replace("\u00a0", " ").replace("\u202f", " ").replace("\u2212", "-")
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
    if not re.fullmatch(r"\d[\d.,]*", t):
        raise XlaeError(f"{where} : montant {show(text)} illisible ; attendu {_ACCEPTED}.", "releve")
    if "," in t and "." in t:
        decimal_sep = "," if t.rfind(",") > t.rfind(".") else "."
        thousands = "." if decimal_sep == "," else ","
        if t.count(decimal_sep) > 1:
            raise XlaeError(f"{where} : montant {show(text)} illisible ; attendu {_ACCEPTED}.", "releve")
        t = t.replace(thousands, "").replace(decimal_sep, ".")
    elif "," in t:
        if t.count(",") > 1:
            raise XlaeError(f"{where} : montant {show(text)} illisible ; attendu {_ACCEPTED}.", "releve")
        t = t.replace(",", ".")
    elif t.count(".") > 1:
        if not re.fullmatch(r"\d{1,3}(\.\d{3})+", t):
            raise XlaeError(f"{where} : montant {show(text)} illisible ; attendu {_ACCEPTED}.", "releve")
        t = t.replace(".", "")
    if not re.fullmatch(r"\d{1,15}(\.\d{1,2})?", t):
        raise XlaeError(f"{where} : montant {show(text)} ambigu ou illisible (plus de deux décimales ?) ; "
                        f"attendu {_ACCEPTED}.", "releve")
    try:
        amount = Decimal(t)
    except InvalidOperation:  # pragma: no cover - the pattern already checked it
        raise XlaeError(f"{where} : montant {show(text)} illisible.", "releve") from None
    return -amount if negative else amount


_DATE_FR = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})")
_DATE_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]00:?00)?")


def parse_date(text: str, where: str, utc: bool = False) -> dt.date:
    """« 05/03/2026 », « 05-03-26 », « 2026-03-05 », « 02-10-2026 10:00:00 », « 2026-10-02T10:00:00Z » → date.

    ``utc``: the column holds UTC times (Qonto, Revolut); the date is the one in Paris.
    """
    day_part, _, time_part = text.strip().replace("T", " ", 1).partition(" ")
    match = _DATE_FR.fullmatch(day_part)
    try:
        if match:
            day, month, year = (int(g) for g in match.groups())
            if year < 100:
                year += 2000
            date = dt.date(year, month, day)
        else:
            match = _DATE_ISO.fullmatch(day_part)
            if match is None:
                raise ValueError
            year, month, day = (int(g) for g in match.groups())
            date = dt.date(year, month, day)
    except ValueError:
        raise XlaeError(f"{where} : date {show(text)} illisible ; attendu JJ/MM/AAAA (ex. 05/03/2026) ou "
                        "AAAA-MM-JJ.", "releve") from None
    clock = _TIME.fullmatch(time_part.strip()) if time_part.strip() else None
    if utc and clock:
        moment = dt.datetime.combine(date, dt.time(int(clock.group(1)) % 24, int(clock.group(2)) % 60))
        return (moment + paris_offset(moment)).date()
    return date


def paris_offset(utc: dt.datetime) -> dt.timedelta:
    """Offset of Paris time at a UTC moment: +2 h from the last Sunday of March to the last of October, 1 h UTC."""
    def last_sunday(month: int) -> dt.datetime:
        end = dt.date(utc.year, month, 31)
        return dt.datetime.combine(end - dt.timedelta(days=(end.weekday() + 1) % 7), dt.time(1))
    return dt.timedelta(hours=2 if last_sunday(3) <= utc < last_sunday(10) else 1)


NAMED_FORMATS = ("OFX", "QIF", "CAMT.053")   # formats with named fields: no column to guess, no --colonnes
_QIF_START = (b"!TYPE:", b"!ACCOUNT", b"!OPTION:", b"!CLEAR:")


def sniff_other_format(raw: bytes, name: str) -> str | None:
    """« OFX », « QIF » or « CAMT.053 » for those formats, None for CSV; a French error for a PDF or a workbook."""
    head = raw[:4096].lstrip(codecs.BOM_UTF8).lstrip().upper()
    if head.startswith(b"OFXHEADER") or (b"<OFX>" in head):
        return "OFX"
    if raw.startswith((b"PK\x03\x04", bytes.fromhex("D0CF11E0A1B11AE1"), b"%PDF")):
        kind = "un PDF" if raw.startswith(b"%PDF") else "un classeur Excel (.xlsx ou .xls)"
        raise XlaeError(f"relevé : {name} est {kind}, pas un relevé CSV, OFX, QIF ni CAMT.053. Téléchargez le "
                        "relevé au format CSV ou OFX depuis votre banque (ou, dans un tableur : Enregistrer "
                        "sous › CSV, séparateur « ; »).", "releve")
    if head.startswith(_QIF_START):
        return "QIF"
    if head.startswith(b"<?XML") or (head.startswith(b"<") and (b"CAMT.05" in head or b"<DOCUMENT" in head
                                                                 or b"<!DOCTYPE" in head)):
        return "CAMT.053"   # statement_camt refuses camt.052/054, DTDs and other XML with their own words
    return None
_XML_ENCODING = re.compile(r"""^(\s*<\?xml[^>]*?encoding\s*=\s*["'])[A-Za-z0-9._-]+""")


def utf16_as_utf8(raw: bytes) -> bytes:
    """A UTF-16 file (with a BOM, or XML starting « <? » without one) as UTF-8, its XML declaration saying so.

    Why: Windows tools save « Unicode » text as UTF-16; the OFX, QIF and CAMT readers
    and the format sniffing work on ASCII-compatible bytes. Anything else is returned as is.
    """
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        codec = "utf-16"
    elif raw.startswith(b"<\x00?\x00"):
        codec = "utf-16-le"
    elif raw.startswith(b"\x00<\x00?"):
        codec = "utf-16-be"
    else:
        return raw
    try:
        text = raw.decode(codec).lstrip("\ufeff")
    except UnicodeDecodeError:
        return raw
    return _XML_ENCODING.sub(r"\g<1>utf-8", text, count=1).encode("utf-8")


def _read_named(kind: str, path: Path, raw: bytes) -> Statement:
    if kind == "OFX":
        from .statement_ofx import read_ofx  # local: only OFX statements need the OFX parser
        return read_ofx(path, raw)
    if kind == "QIF":
        from .statement_qif import read_qif
        return read_qif(path, raw)
    from .statement_camt import read_camt
    return read_camt(path, raw)


def read_statement(path: str | Path, mapping: str | None = None) -> Statement:
    """Read a bank export (CSV, OFX, QIF or CAMT.053); credits and debits, with the line numbers of the file.

    ``mapping``: the ``--colonnes`` text (« date=1,montant=2,libelle=5 ») when the user states the columns.
    """
    path = Path(path)
    wanted = columns.parse_mapping(mapping) if mapping else None
    raw = read_file(path, "relevé", "releve")
    if not raw.strip():
        raise XlaeError(f"relevé : le fichier {path.name} est vide.", "releve")
    named = utf16_as_utf8(raw)
    kind = sniff_other_format(named, path.name)
    if kind == "OFX":   # its header names its own charset: read as it is
        named = raw
    if kind is not None:
        if wanted:
            raise XlaeError(f"--colonnes : inutile pour un relevé {kind}, dont les champs sont nommés.",
                            "--colonnes")
        statement = _read_named(kind, path, named)
        if named is not raw:   # say what the file really is
            statement.encoding = statement.encoding.replace("UTF-8", "UTF-16")
        return statement
    text, encoding = decode(raw)
    text = text.lstrip("\ufeff")
    delimiter, layout = _layout(text, path.name, wanted)
    statement = Statement(path, encoding, delimiter, layout.header_line,
                          {r: layout.names[i] for r, i in layout.roles.items() if i < len(layout.names)},
                          [], how=layout.how)
    if layout.how == "en-tête":
        used = set(layout.roles.values())
        statement.ignored_columns = [h for i, h in enumerate(layout.names) if i not in used and h]
    if len(text) >= FAST_FROM:
        from .statement_fast import read_fast  # local: pandas only for large statements
        if read_fast(statement, layout, text, delimiter) is not None:
            return statement
    return _read_lines(statement, layout, _rows(text, delimiter, path.name))


def _head(text: str) -> str:
    """The lines that can hold the first ``GUESS_ROWS`` records (each at most ``MAX_LABEL_LINES`` lines)."""
    end = 0
    for _ in range((columns.GUESS_ROWS + HEADER_SCAN) * MAX_LABEL_LINES):
        end = text.find("\n", end) + 1
        if end == 0:
            return text
    return text[:end]


def _layout(text: str, name: str, wanted: dict[str, str] | None) -> tuple[str, Layout]:
    head_text = _head(text)   # a 200 000-line statement is not copied three times to guess its layout
    heads = {d: _rows(head_text, d, None, columns.GUESS_ROWS) for d in (";", ",", "\t")}
    if wanted:
        errors = []
        for delimiter, head in heads.items():
            try:
                layout = columns.from_mapping(wanted, head, f"{name}")
            except XlaeError as error:
                errors.append(error)
                continue
            if any(len(c) > layout.roles["date"] and columns.is_date(c[layout.roles["date"]]) for _, c in head):
                return delimiter, layout
        raise errors[0] if errors else XlaeError(
            f"--colonnes : la colonne de date indiquée ne contient aucune date dans {name}.", "--colonnes")
    for delimiter, head in heads.items():
        layout = columns.from_header(head[:HEADER_SCAN])
        if layout:
            return delimiter, layout
    for delimiter, head in heads.items():
        layout = columns.from_content(head)
        if layout:
            return delimiter, layout
    first = next((line for line in text.splitlines() if line.strip()), "")
    raise XlaeError(
        f"relevé {name} : aucune ligne d'en-tête reconnue dans les {HEADER_SCAN} premières lignes, et aucune "
        f"colonne de dates et de montants reconnue d'après son contenu (première ligne : {show(first)}). Il faut "
        "une colonne de date (Date, Date opération, Booking date…) et soit une colonne Crédit (avec ou sans "
        "Débit), soit une colonne Montant signée ; séparateur « ; », « , » ou tabulation. Sinon, indiquez les "
        "colonnes : --colonnes date=1,montant=2,libelle=3 (numéros à partir de 1).", "releve")


def _rows(text: str, delimiter: str, name: str | None, limit: int | None = None) -> list[tuple[int, list[str]]]:
    """(first line number, stripped cells) of each CSV record; strict (``name`` given): errors name the line."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    total = text.count("\n") + (0 if text.endswith("\n") else 1)   # the last record is checked too
    rows: list[tuple[int, list[str]]] = []
    start = 1
    while limit is None or len(rows) < limit:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            if name is None:
                break
            why = "un champ dépasse 128 Kio (guillemet non refermé ?)" if "field limit" in str(error) else \
                "caractère nul (fichier binaire ?)" if "NUL" in str(error) else f"CSV illisible ({error})"
            raise XlaeError(f"relevé {name}, ligne {start} : {why} ; rien n'a été importé.", "releve") from None
        if name is not None and (reader.line_num > start or reader.line_num == total):
            _check_multiline(cells, delimiter, name, start, reader.line_num)
        rows.append((start, [c.strip() for c in cells]))
        start = reader.line_num + 1
    return rows


def _check_multiline(cells: list[str], delimiter: str, name: str, start: int, end: int) -> None:
    """A quoted label may span two or three lines; a quote left open swallows the lines after it."""
    for cell in cells:
        if "\n" not in cell and "\r" not in cell:
            continue
        rest = cell.split("\n", 1)[1] if "\n" in cell else ""
        if delimiter in rest or cell.endswith(("\n", "\r")) or cell.count("\n") >= MAX_LABEL_LINES:
            raise XlaeError(f"relevé {name}, ligne {start} : guillemet ouvert et non refermé (le champ va "
                            f"jusqu'à la ligne {end}) ; corrigez le fichier ou réexportez-le. Rien n'a été "
                            "importé.", "releve")


def _read_lines(statement: Statement, layout: Layout, rows: list[tuple[int, list[str]]]) -> Statement:
    """Every row after the header (or after the preamble) → a line, a skipped row with its reason, or an error.

    Written for 200 000-row statements: column indexes in locals, dates and amounts
    parsed once per distinct text, the slow checks only for the rows that need them.
    """
    roles, name = layout.roles, statement.path.name
    header = layout.names
    width = len(header)
    date_col = roles["date"]
    label_col, extra_col, tiers_col, type_col, status_col, currency_col = (
        roles.get(r) for r in ("libelle", "complement", "tiers", "type", "statut", "devise"))
    signed = "montant" in roles and "credit" not in roles
    amount_col, credit_col, debit_col = roles.get("montant"), roles.get("credit"), roles.get("debit")
    started = layout.how == "en-tête"
    amounts: dict[tuple[int, str], Decimal | None] = {}
    dates: dict[str, dt.date] = {}
    skipped = statement.skipped

    def where(col: int, number: int) -> str:
        return f"relevé {name}, ligne {number}, colonne « {header[col]} »"

    def amount_of(col: int, text: str, number: int) -> Decimal | None:
        key = (col, text)
        value = amounts.get(key, _MISSING)
        if value is _MISSING:
            value = amounts[key] = parse_amount(text, where(col, number))
        return value

    pending: list = []          # [number, date, label parts, amount, tiers, kind] of the line being read
    for number, cells in rows:
        if number <= layout.header_line:
            continue
        if len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        date_text = cells[date_col]
        if not started:           # headerless or mapped by number: the preamble ends at the first date
            if not columns.is_date(date_text):
                continue
            started = True
        label = cells[label_col] if label_col is not None else ""
        tiers = cells[tiers_col] if tiers_col is not None else ""
        if not label:
            label = tiers
        if extra_col is not None:
            extra = cells[extra_col]
            if extra and label and label in extra:
                label = extra
            elif extra and extra not in label:
                label = f"{label} {extra}".strip()
        if signed:
            amount = amount_of(amount_col, cells[amount_col], number)
        else:
            credit = amount_of(credit_col, cells[credit_col], number)
            debit = amount_of(debit_col, cells[debit_col], number) if debit_col is not None else None
            if credit and debit:
                raise XlaeError(f"relevé {name}, ligne {number} : un débit et un crédit sur la même "
                                "ligne ; une opération n'a qu'un sens.", "releve")
            amount = abs(credit) if credit else (-abs(debit) if debit else None)
        if not amount and not any(cells):
            continue
        if not amount and not date_text and label and pending and not _is_total(label):
            pending[2].append(label)  # an unquoted label continued on the next line
            continue
        if pending:
            _flush(statement, pending)
            pending = []
        if _is_total(date_text) or _is_total(label):
            skipped.append((number, "ligne de solde ou de total"))
            continue
        if not amount:
            skipped.append((number, "ligne sans montant"))
            continue
        if status_col is not None and cells[status_col] and normalize(cells[status_col]) in _REFUSED:
            skipped.append((number, f"opération {cells[status_col]} (refusée ou annulée)"))
            continue
        if currency_col is not None and cells[currency_col] and normalize(cells[currency_col]) not in _EURO:
            skipped.append((number, f"opération en {cells[currency_col]} : inscrivez-la en euros à la main"))
            continue
        if not date_text:
            raise XlaeError(f"{where(date_col, number)} : date manquante pour une opération de {amount} €.",
                            "releve")
        date = dates.get(date_text)
        if date is None:
            date = dates[date_text] = parse_date(date_text, where(date_col, number), layout.utc)
        if not statement.examples:
            statement.examples = {r: cells[i] for r, i in roles.items() if cells[i]}
        pending = [number, date, [label], amount, tiers, cells[type_col] if type_col is not None else ""]
    _flush(statement, pending)
    if not statement.lines:
        where_header = f"l'en-tête (ligne {layout.header_line})" if layout.header_line else "le début du fichier"
        raise XlaeError(f"relevé {name} : aucune opération après {where_header}.", "releve")
    return statement


_MISSING = object()
_TOTAL_START = tuple("sStTaAnN")


def _is_total(text: str) -> bool:
    """« Solde au… », « Total des opérations », « Nouveau solde »: not an operation."""
    return text.startswith(_TOTAL_START) and bool(_SKIP.match(normalize(text)))


def _flush(statement: Statement, pending: list) -> None:
    if pending:
        number, date, parts, amount, tiers, kind = pending
        label = parts[0] if len(parts) == 1 else " ".join(parts)
        if not label.isprintable() or "  " in label or label[:1] == " " or label[-1:] == " ":
            label = " ".join(label.translate(_CONTROL).split())   # same as split/join, minus control chars
        if not tiers.isprintable():
            tiers = tiers.translate(_CONTROL)
        statement.lines.append(StatementLine(number, date, label, amount, tiers, kind))
