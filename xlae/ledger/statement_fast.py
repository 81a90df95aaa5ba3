"""The same reading as ``statement._read_lines``, column by column with pandas, for large statements.

Why: a 200 000-line statement read row by row in Python takes ten times as long
as pandas takes to read it. Here pandas splits the fields (its C parser), each
distinct date, amount or status text is parsed once by the same functions as the
exact reader, and the lines are built in one pass. Anything unusual — a quoted
label over several lines, a row wider than the header, an unreadable cell, a
continued label, a debit and a credit on one row — returns None, and the exact
reader then reads the file (and names the line of the error). The tests check
that both readers give the same statement.
"""

from __future__ import annotations

import gc
import io
import warnings
from itertools import repeat
from decimal import Decimal

from ..errors import XlaeError
from ..rules.vocabulary import normalize
from . import statement as exact
from .statement import FIELD_MAX, Statement, StatementLine, parse_amount, parse_date
from .statement_columns import Layout

_TOTAL_LETTERS = frozenset("aAnNsStT")   # « ancien solde », « nouveau solde », « solde », « total »


def read_fast(statement: Statement, layout: Layout, text: str, delimiter: str) -> Statement | None:
    """``statement`` filled with the lines of ``text``, or None when the exact reader must read it.

    The cyclic garbage collector is paused meanwhile: the million strings and tuples made
    here hold no cycle, and its passes over them took a third of the time.
    """
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - pandas is a dependency; xlwings Lite has no CLI
        return None
    paused = gc.isenabled()
    gc.disable()
    try:
        return _read(pd, statement, layout, text, delimiter)
    finally:
        if paused:
            gc.enable()


def _read(pd, statement: Statement, layout: Layout, text: str, delimiter: str) -> Statement | None:
    start = 0
    for _ in range(layout.header_line):
        start = text.find("\n", start) + 1
        if start == 0:
            return None
    body = text[start:]
    lines_in_body = body.count("\n") + (0 if body.endswith("\n") or not body else 1)
    if "\x00" in body or ("\r" in body and body.count("\r") != body.count("\r\n")):
        return None  # NUL, old Mac line ends: the exact reader deals with them
    width = len(layout.names)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # « loss of data »: a wider row goes to the exact reader
            frame = pd.read_csv(io.BytesIO(body.encode("utf-8")), encoding="utf-8", sep=delimiter, header=None,
                                names=range(width), dtype=object, na_filter=False, skip_blank_lines=False,
                                engine="c", index_col=False)   # bytes and object: the C parser's fastest path
    except Exception:  # any parser complaint (wider row, bad quoting): the exact reader says which line
        return None
    if len(frame) != lines_in_body:
        return None  # a quoted field spans lines: line numbers need the exact reader
    frame = frame.fillna("")
    cells = [frame[j].tolist() for j in range(width)]
    del frame
    if any(max(map(len, values), default=0) > FIELD_MAX for values in cells):
        return None
    first = layout.header_line + 1
    roles = layout.roles
    name = statement.path.name

    def column(role: str) -> list[str] | None:
        return [v.strip() for v in cells[roles[role]]] if role in roles else None

    dates_text = column("date")
    begin = 0
    if layout.how != "en-tête":  # headerless: the preamble ends at the first date
        begin = next((i for i, t in enumerate(dates_text) if exact.columns.is_date(t)), None)
        if begin is None:
            return None
    try:
        amounts = _amounts(cells, roles)
    except XlaeError:
        return None  # the exact reader names the line and the column
    if amounts is None:
        return None
    labels, tiers = _labels(column("libelle"), column("complement"), column("tiers"), len(dates_text))
    kinds = column("type") or [""] * len(dates_text)
    statuses, currencies = column("statut"), column("devise")
    refused = _each(statuses, lambda t: bool(t) and normalize(t) in exact._REFUSED)
    foreign = _each(currencies, lambda t: bool(t) and normalize(t) not in exact._EURO)
    skipped = statement.skipped
    letters = _TOTAL_LETTERS
    count = len(dates_text)
    # Most rows are plain operations: only the others go through the checks, in file order.
    special = {i for i in range(begin, count)
               if not amounts[i] or dates_text[i][:1] in letters or labels[i][:1] in letters}
    for flags in (refused, foreign):
        if flags:
            special.update(i for i in range(begin, count) if flags[i])
    dropped: set[int] = set()
    for i in sorted(special):
        amount, date_text, label = amounts[i], dates_text[i], labels[i]
        if (date_text[:1] in letters or label[:1] in letters) and (exact._is_total(date_text)
                                                                   or exact._is_total(label)):
            why = "ligne de solde ou de total"
        elif not amount:
            if not date_text and label:
                return _reset(statement)  # perhaps a continued label: the exact reader decides
            why = "ligne sans montant" if any(c[i].strip() for c in cells) else ""
        elif refused and refused[i]:
            why = f"opération {statuses[i]} (refusée ou annulée)"
        elif foreign and foreign[i]:
            why = f"opération en {currencies[i]} : inscrivez-la en euros à la main"
        else:
            continue
        dropped.add(i)
        if why:
            skipped.append((first + i, why))
    kept = [i for i in range(begin, count) if i not in dropped] if dropped else list(range(begin, count))
    kept_texts = [dates_text[i] for i in kept]
    date_of: dict[str, object] = {}
    for date_text in set(kept_texts):   # a year holds a few hundred distinct dates
        if not date_text:
            return _reset(statement)
        try:
            date_of[date_text] = parse_date(date_text, f"relevé {name}", layout.utc)
        except XlaeError:
            return _reset(statement)  # the exact reader names the line
    kept_dates = list(map(date_of.__getitem__, kept_texts))
    if not kept:
        return _reset(statement)
    i = kept[0]
    statement.examples = {r: cells[j][i].strip() for r, j in roles.items() if cells[j][i].strip()}
    control = exact._CONTROL
    statement.lines = list(map(tuple.__new__, repeat(StatementLine), zip(   # StatementLine(*fields), in C
        [first + i for i in kept], kept_dates,
        [t if t.isprintable() and "  " not in t else " ".join(t.translate(control).split())
         for t in (labels[i] for i in kept)],
        [amounts[i] for i in kept],
        [t if t.isprintable() else t.translate(control) for t in (tiers[i] for i in kept)],
        [kinds[i] for i in kept])))
    return statement


def _reset(statement: Statement) -> None:
    statement.lines.clear()
    statement.skipped.clear()
    statement.examples = {}
    return None


def _each(values: list[str] | None, test) -> list[bool] | None:
    if values is None:
        return None
    seen: dict[str, bool] = {}
    return [seen[v] if v in seen else seen.setdefault(v, test(v)) for v in values]


def _parsed(values: list[str], sign: int = 0) -> list[Decimal | None]:
    """Each distinct text parsed once (``parse_amount``), spread back to the rows.

    ``sign``: 1 for a credit column (amount made positive), -1 for a debit column, 0 as written.
    """
    seen: dict[str, Decimal | None] = {}
    for v in set(values):
        amount = parse_amount(v, "relevé")
        seen[v] = amount if amount is None or not sign else abs(amount) if sign > 0 else -abs(amount)
    return list(map(seen.__getitem__, values))


def _amounts(cells: list[list[str]], roles: dict[str, int]) -> list | None:
    """Signed amount of each row (None when empty); None when a row has both a debit and a credit."""
    if "montant" in roles and "credit" not in roles:
        return _parsed(cells[roles["montant"]])
    credits = _parsed(cells[roles["credit"]], 1)
    if "debit" not in roles:
        return [c or None for c in credits]
    debits = _parsed(cells[roles["debit"]], -1)
    if any(c and d for c, d in zip(credits, debits)):
        return None
    return [c or d or None for c, d in zip(credits, debits)]


def _labels(labels: list[str] | None, extras: list[str] | None, tiers: list[str] | None,
            count: int) -> tuple[list[str], list[str]]:
    """Label of each row as the exact reader builds it: label (or counterparty), plus the complement."""
    empty = [""] * count
    labels, tiers = labels or empty, tiers or empty
    if tiers is not empty:
        labels = [label or tier for label, tier in zip(labels, tiers)]
    if extras is not None:
        labels = [(extra if label and label in extra else f"{label} {extra}".strip() if extra not in label
                   else label) if extra else label for label, extra in zip(labels, extras)]
    labels = [label if label[:1] != " " and label[-1:] != " " else label.strip() for label in labels]
    return labels, tiers
