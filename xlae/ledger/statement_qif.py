"""QIF statements (« format Quicken »), read by a small strict reader of ours.

Why ours: QIF is a line format (a ``!Type:Bank`` header, then one field per
line — ``D`` date, ``T`` amount, ``P`` payee or bank label, ``M`` memo — and
``^`` after each operation). The one maintained library, quiffen, reads
amounts by deleting every character but digits, « . » and « - » (« 1 200,00 »
becomes 120000) and guesses dates with dateutil: a silent wrong number. Here
amounts and dates go through the same strict functions as the CSV reader,
dates are read day first as French banks write them, and an American
month-first file is refused, never misread.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import XlaeError, show
from .statement import FIELD_MAX, Statement, StatementLine, decode, parse_amount, parse_date

_ACCOUNTS = {"bank", "ccard", "cash", "oth a", "oth l"}    # account registers; other sections are lists
_LISTS = {"cat", "class", "memorized", "security", "prices", "account", "invitem", "template"}
_DATE = re.compile(r"(\d{1,2})[/.\-](\d{1,2})(?:[/.\-]|')(\d{2}|\d{4})")


def read_qif(path: Path, raw: bytes) -> Statement:
    """Credits and debits of a QIF bank register; each operation keeps the line of its first field."""
    name = path.name
    text, encoding = decode(raw)
    statement = Statement(path, f"QIF ({encoding}, dates lues jour/mois)", "", 0,
                          {"date": "D", "libelle": "P + M", "montant": "T"}, [], how="QIF")
    section: str | None = None
    record: dict[str, str] = {}
    first = 0
    for number, line in enumerate(text.lstrip("\ufeff").splitlines(), 1):
        line = line.strip()
        if not line:
            continue
        if len(line) > FIELD_MAX:
            raise XlaeError(f"relevé {name}, ligne {number} : une ligne dépasse {FIELD_MAX // 1024} Kio ; ce "
                            "n'est pas un relevé QIF. Rien n'a été importé.", "releve")
        if line.startswith("!"):
            if record:
                raise XlaeError(f"relevé {name}, ligne {first} : opération non terminée par « ^ » avant "
                                f"l'en-tête {show(line)} de la ligne {number} ; fichier tronqué ou abîmé, "
                                "réexportez-le. Rien n'a été importé.", "releve")
            key, _, value = line[1:].partition(":")
            key = key.strip().lower()
            if key == "type":
                section = " ".join(value.lower().split())
                if section == "invst":
                    raise XlaeError(f"relevé {name}, ligne {number} : compte-titres (!Type:Invst), pas un "
                                    "compte bancaire ; exportez le compte courant.", "releve")
                if section not in _ACCOUNTS and section not in _LISTS:
                    raise XlaeError(f"relevé {name}, ligne {number} : section {show(line)} inconnue ; attendu "
                                    "!Type:Bank (compte bancaire) ou !Type:CCard.", "releve")
            elif key == "account":
                section = "account"
            continue
        if section is None:
            raise XlaeError(f"relevé {name}, ligne {number} : opération avant tout en-tête « !Type:Bank » ; "
                            "ce n'est pas un fichier QIF complet.", "releve")
        if line == "^" or line.startswith("^"):
            if record and section in _ACCOUNTS:
                _add(statement, record, first, name)
            record = {}
            continue
        if section not in _ACCOUNTS:
            continue
        if not record:
            first = number
        code, value = line[0], line[1:].strip()
        if code in "DTUPMNC" and code not in record:   # S, E, $, %: category splits; A: address
            record[code] = value
    if record and section in _ACCOUNTS:
        _add(statement, record, first, name)   # the last « ^ » is often missing
    if not statement.lines:
        raise XlaeError(f"relevé {name} : aucune opération dans ce fichier QIF (sections !Type:Bank).", "releve")
    return statement


def _add(statement: Statement, record: dict[str, str], number: int, name: str) -> None:
    where = f"relevé {name}, ligne {number}"
    if "D" not in record:
        raise XlaeError(f"{where} : opération sans date (ligne « D ») ; réexportez le relevé.", "releve")
    amount_text = record.get("T", record.get("U", ""))
    if not amount_text:
        raise XlaeError(f"{where} : opération sans montant (ligne « T ») ; réexportez le relevé.", "releve")
    amount = parse_amount(amount_text, f"{where}, montant (T)")
    date = _date(record["D"], f"{where}, date (D)")
    if not amount:
        statement.skipped.append((number, "opération de montant nul"))
        return
    payee, memo = record.get("P", ""), record.get("M", "")
    label = payee if not memo or memo in payee else (memo if payee in memo else f"{payee} {memo}")
    statement.lines.append(StatementLine(number, date, " ".join(label.split()), amount, "",
                                         "Chèque" if record.get("N", "").isdigit() else ""))
    if not statement.examples:
        statement.examples = {"date": record["D"], "montant": amount_text, "libelle": label}


def _date(text: str, where: str):
    """« 02/10/2026 », « 2/10'26 », « 02.10.26 », « 2026-10-02 »: day first; a month-first date is refused."""
    match = _DATE.fullmatch(text.replace(" ", ""))
    if match is None:
        return parse_date(text, where)   # ISO, or the French error
    day, month, year = match.groups()
    if int(month) > 12 and int(day) <= 12:
        raise XlaeError(f"{where} : date {show(text)} au format américain (mois/jour) ; xlae lit les dates "
                        "jour/mois des banques françaises. Réexportez le relevé avec des dates JJ/MM/AAAA. "
                        "Rien n'a été importé.", "releve")
    return parse_date(f"{day}/{month}/{year}", where)
