"""Turn what Excel, xlwings, the CLI or a Python caller hands over into rule inputs.

Why: xlwings passes floats for dates and numbers, None for empty cells and 2-D
lists for ranges; users type ``01/03/2026`` or ``oui``. Every adapter uses these
helpers so that the same value is accepted, or refused with the same French
message, everywhere.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from .errors import XlaeError, invalid, show
from .rates import get_rates
from .rules.money import ZERO, to_decimal
from .rules.vocabulary import Activite, parse_activite

EXCEL_EPOCH = dt.date(1899, 12, 30)
# Bounds of what xlae computes with: a due date or a next year must still exist (datetime
# stops at 9999), and an amount must stay exact in Decimal and in a float cell (15 digits).
MAX_DATE = dt.date(9998, 12, 31)
MAX_SERIAL = 2958099  # 31/12/9998
MIN_YEAR, MAX_YEAR = 1900, MAX_DATE.year
MAX_AMOUNT = Decimal("999999999999.99")  # below a trillion euros: every cent exact in a float
DATE_ACCEPTED = ("une date Excel, un numéro de série Excel, « AAAA-MM-JJ » ou « JJ/MM/AAAA »")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?")
_FR = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})")
_TRUE = {"oui", "o", "vrai", "true", "yes", "y", "x", "1"}
_FALSE = {"non", "n", "faux", "false", "no", "0", ""}
_NUMBER = re.compile(r"[+-]?(\d{1,3}([ \u00a0\u202f]\d{3})+|\d+)([.,]\d+)?")


def is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def to_date(value: Any, argument: str = "date", default_today: bool = True) -> dt.date | None:
    """A calendar date from a date/datetime, an Excel serial or a text."""
    if is_empty(value):
        return dt.date.today() if default_today else None
    if isinstance(value, dt.date):
        day = value.date() if isinstance(value, dt.datetime) else value
        if day > MAX_DATE:
            raise _too_late(argument, value)
        return day
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if not (isinstance(value, int) or math.isfinite(value)) or value < 1:
            raise invalid(argument, value, DATE_ACCEPTED)
        if value > MAX_SERIAL:
            raise _too_late(argument, value)
        serial = int(value)
        if serial == 60:
            raise XlaeError(f"{argument} : le numéro de série 60 désigne le 29/02/1900, "
                            "jour qui n'existe pas.", argument)
        return _from_serial(serial)
    if isinstance(value, str):
        text = value.strip()
        match = _ISO.fullmatch(text)
        if match:
            year, month, day = (int(g) for g in match.groups())
        else:
            match = _FR.fullmatch(text)
            if not match:
                raise invalid(argument, value, DATE_ACCEPTED)
            day, month, year = (int(g) for g in match.groups())
        if year > MAX_YEAR:
            raise _too_late(argument, value)
        try:
            return dt.date(year, month, day)
        except ValueError:
            raise XlaeError(f"{argument} : la date {show(value)} n'existe pas. Valeurs acceptées : "
                            f"un jour qui existe au calendrier ({DATE_ACCEPTED}).", argument) from None
    raise invalid(argument, value, DATE_ACCEPTED)


@lru_cache(maxsize=8192)
def _from_serial(serial: int) -> dt.date:
    """Excel serial → date (cached: Excel passes the same few dates thousands of times)."""
    return EXCEL_EPOCH + dt.timedelta(days=serial + (1 if serial < 60 else 0))


def to_year(value: Any, argument: str = "annee") -> int:
    """A year from 2026, 2026.0, « 2026 » or a date; empty means this year."""
    if is_empty(value):
        return dt.date.today().year
    if isinstance(value, (dt.date, dt.datetime)):
        return to_date(value, argument).year
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        if MIN_YEAR <= value <= MAX_YEAR:
            return value
        if 1000 <= value <= 9999:
            raise XlaeError(f"{argument} : {value} refusée ; xlae calcule les années {MIN_YEAR} à {MAX_YEAR}.",
                            argument)
    raise invalid(argument, value, "une année sur quatre chiffres (ex. 2026)")


def to_covered_year(value: Any, argument: str = "annee") -> int:
    """A year the rates sheet covers; before its coverage the message names ``argument``, not « date »."""
    year = to_year(value, argument)
    start = get_rates().coverage_start
    if dt.date(year, 1, 1) < start:
        raise XlaeError(f"{argument} : {year} est antérieure à la couverture du barème "
                        f"(à partir du {start:%d/%m/%Y}).", argument)
    return year


def to_covered_date(value: Any, argument: str) -> dt.date:
    """A date (empty: today) the rates sheet covers; the message names ``argument``."""
    day = to_date(value, argument)
    start = get_rates().coverage_start
    if day < start:
        raise XlaeError(f"{argument} : le {day:%d/%m/%Y} est antérieur à la couverture du barème "
                        f"(à partir du {start:%d/%m/%Y}).", argument)
    return day


def to_bool(value: Any, argument: str) -> bool:
    """TRUE/FALSE, 1/0, « oui »/« non » (empty means no)."""
    if value is None or isinstance(value, bool):
        return bool(value)
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        text = value.strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
    raise invalid(argument, value, "VRAI/FAUX, 1/0, « oui »/« non »")


def to_amount(value: Any, argument: str = "ca") -> Decimal:
    """A non-negative amount in €; an empty cell counts as 0 (as in Excel)."""
    if value is None:
        return ZERO
    if isinstance(value, bool):
        raise invalid(argument, value, "un montant en euros, positif ou nul")
    if isinstance(value, (int, float, Decimal)):
        if isinstance(value, (float, Decimal)) and not math.isfinite(value):
            raise invalid(argument, value, "un montant en euros, positif ou nul")
        if abs(value) > MAX_AMOUNT:
            raise _too_large(argument, value)
        amount = to_decimal(value)
    elif isinstance(value, str):
        text = value.strip().removesuffix("€").strip()
        if not text:
            return ZERO
        if len(text) > 40 or not _NUMBER.fullmatch(text):
            raise invalid(argument, value, "un montant en euros, positif ou nul (ex. 1234,56)")
        try:
            amount = Decimal(re.sub(r"[ \u00a0\u202f]", "", text).replace(",", "."))
        except InvalidOperation:  # pragma: no cover - the pattern already checked it
            raise invalid(argument, value, "un montant en euros") from None
        if abs(amount) > MAX_AMOUNT:
            raise _too_large(argument, value)
    else:
        raise invalid(argument, value, "un montant en euros, positif ou nul")
    if amount < 0:
        raise XlaeError(f"{argument} : montant négatif {show(value)} refusé ; le chiffre "
                        "d'affaires encaissé est positif ou nul.", argument)
    return amount


def to_number(value: Any, argument: str) -> Decimal | None:
    """A plain number (household parts, a count), exact; None for an empty cell."""
    if is_empty(value):
        return None
    if isinstance(value, bool):
        raise invalid(argument, value, "un nombre")
    if isinstance(value, (int, float, Decimal)):
        if isinstance(value, float) and not math.isfinite(value):
            raise invalid(argument, value, "un nombre")
        return to_decimal(value)
    if isinstance(value, str):
        try:
            number = Decimal(value.strip().replace(",", "."))
        except InvalidOperation:
            number = None
        if number is not None and number.is_finite():
            return number
    raise invalid(argument, value, "un nombre")


def _too_late(argument: str, value: Any) -> XlaeError:
    return XlaeError(f"{argument} : valeur {show(value)} refusée : au-delà du {MAX_DATE:%d/%m/%Y}, dernier jour "
                     "dont xlae sait calculer l'échéance.", argument)


def _too_large(argument: str, value: Any) -> XlaeError:
    from .format import euros_text

    return XlaeError(f"{argument} : montant {show(value)} trop grand ; au plus {euros_text(MAX_AMOUNT)}.",
                     argument)


def flatten(value: Any, argument: str) -> tuple[list[Any], tuple[int, int]]:
    """Cells of a scalar, 1-D or 2-D range, row by row, with the range's shape."""
    if isinstance(value, (list, tuple)):
        if value and all(isinstance(row, (list, tuple)) for row in value):
            widths = {len(row) for row in value}
            if len(widths) != 1:
                raise XlaeError(f"{argument} : plage irrégulière ; toutes les lignes doivent avoir la "
                                "même largeur.", argument)
            return [cell for row in value for cell in row], (len(value), widths.pop())
        return list(value), (len(value), 1)
    return [value], (1, 1)


def amounts_by_activite(ca: Any, activite: Any, ca_argument: str = "ca") -> dict[Activite, Decimal]:
    """CA per activity from a single pair or two ranges of the same shape (mixed activity)."""
    if isinstance(activite, str) and not isinstance(ca, (list, tuple)):  # one cell each: the hot path
        return {parse_activite(activite): to_amount(ca, ca_argument)}
    amounts, shape = flatten(ca, ca_argument)
    kinds, kind_shape = flatten(activite, "activite")
    if len(amounts) == 1 and len(kinds) == 1:
        return {parse_activite(kinds[0]): to_amount(amounts[0], ca_argument)}
    vectors = 1 in shape and 1 in kind_shape and len(amounts) == len(kinds)
    if shape != kind_shape and not vectors:  # a row against a column of the same length pairs in order
        raise XlaeError(f"{ca_argument} et activite : les deux plages doivent avoir la même forme "
                        f"({shape[0]}×{shape[1]} contre {kind_shape[0]}×{kind_shape[1]}).", "activite")
    totals: dict[Activite, Decimal] = {}
    for position, (amount, kind) in enumerate(zip(amounts, kinds), start=1):
        value = to_amount(amount, f"{ca_argument} (cellule {position})")
        if is_empty(kind):
            if value:
                raise XlaeError(f"activite (cellule {position}) : vide alors que {ca_argument} vaut "
                                f"{show(amount)} ; indiquez l'activité.", "activite")
            continue
        code = parse_activite(kind, f"activite (cellule {position})")
        totals[code] = totals.get(code, ZERO) + value
    if not totals:
        raise XlaeError("activite : aucune activité renseignée dans la plage.", "activite")
    return totals


def activites_of(activite: Any) -> set[Activite]:
    """Set of activities named in a cell or a range (empty cells ignored)."""
    cells, _ = flatten(activite, "activite")
    found = {parse_activite(c) for c in cells if not is_empty(c)}
    if not found:
        raise invalid("activite", activite, [a.value for a in Activite])
    return found


def single_activite(activite: Any) -> Activite:
    cells, _ = flatten(activite, "activite")
    if len(cells) != 1:
        raise XlaeError("activite : une seule activité attendue ici, pas une plage.", "activite")
    return parse_activite(cells[0])
