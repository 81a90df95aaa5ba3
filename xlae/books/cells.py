"""The one definition of a valid ledger cell: what the Synthèse formulas can count exactly.

Why: SUMIFS ignores a date or an amount typed as text; a date serial outside
Excel's calendar (or a NaN, read as 30/12/1899) passes ISNUMBER but is counted
in no year; an amount of 1e30 cannot be held to the cent. Every command reads a
cell through these functions, so that a row valid for one is valid for all and
no figure silently differs from the summary sheet.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from typing import Any

from .. import coerce
from ..errors import XlaeError
from ..errors import show as _show
from ..format import euros
from ..rules.money import EXACT_LIMIT, exceeds_exact_limit, to_decimal
from ..rules.vocabulary import normalize
from ..template import layout

FIRST_DAY = dt.date(1900, 1, 1)  # serial 1, the first day of Excel's calendar


def show(value: Any) -> str:
    """« value » as typed: a whole number read as a float (calamine) shows without « .0 »."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)
    return _show(value)


def is_formula(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("=")


def cell_date(value: Any) -> tuple[dt.date | None, str | None]:
    """(date, problem): a real Excel date (or serial number); text is a problem, even if readable."""
    if coerce.is_empty(value):
        return None, "date manquante"
    if is_formula(value):
        return None, f"formule {show(value)} : saisissez la date elle-même"
    if isinstance(value, dt.date):
        day = value.date() if isinstance(value, dt.datetime) else value
        if day < FIRST_DAY:
            return None, (f"date du {day.day:02d}/{day.month:02d}/{day.year} avant le 01/01/1900 (valeur illisible ?) : "
                          "la Synthèse ne la compte dans aucune année")
        return day, None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return coerce.to_date(value, "date"), None
        except XlaeError:
            return None, (f"date {show(value)} invalide : hors du calendrier d'Excel (numéro de série de 1 à "
                          f"{coerce.MAX_SERIAL}), la Synthèse ne la compte dans aucune année")
    if isinstance(value, str):
        try:
            readable = coerce.to_date(value, "date")
        except XlaeError:
            return None, f"date {show(value)} invalide (attendu : une date JJ/MM/AAAA saisie comme date)"
        return readable, (f"date {show(value)} saisie comme texte : la Synthèse l'ignore ; "
                          "saisissez-la comme une date")
    return None, f"date {show(value)} invalide"


def cell_amount(value: Any) -> tuple[Decimal | None, str | None]:
    """(amount, problem): a number > 0; text, zero and negatives are problems."""
    if coerce.is_empty(value):
        return None, "montant manquant"
    if is_formula(value):
        return None, f"formule {show(value)} : saisissez le montant lui-même"
    if isinstance(value, bool):
        return None, f"montant {show(value)} non numérique"
    if isinstance(value, (int, float, Decimal)):
        if isinstance(value, float) and not math.isfinite(value):
            return None, "montant non numérique"
        amount = to_decimal(value)
        if exceeds_exact_limit(amount):
            return None, (f"montant {show(value)} trop grand : au-delà de {euros(EXACT_LIMIT, 0)}, un tableur "
                          "ne garde plus les centimes ; vérifiez la saisie")
        if amount <= 0:
            return None, f"montant {show(value)} : un montant encaissé ou payé est strictement positif"
        if amount != amount.quantize(Decimal("0.01")):
            return amount, f"montant {show(value)} : plus de deux décimales"
        return amount, None
    return None, (f"montant {show(value)} saisi comme texte : la Synthèse l'ignore ; "
                  "saisissez un nombre (ex. 1234,56)")


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


_MODES = {normalize(m): m for m in layout.PAYMENT_MODES}


def cell_mode(value: Any) -> tuple[str | None, str | None]:
    """(mode, problem): one of the template's payment modes, spelt exactly."""
    text = cell_text(value)
    if not text:
        return None, "mode de règlement manquant (espèces à distinguer des autres règlements)"
    if text in layout.PAYMENT_MODES:
        return text, None
    near = _MODES.get(normalize(text))
    if near:
        return near, f"mode {show(text)} : écrivez exactement « {near} » (liste déroulante)"
    return None, f"mode {show(text)} inconnu ; modes acceptés : {', '.join(layout.PAYMENT_MODES)}"


def cell_categorie(value: Any) -> tuple[str | None, str | None]:
    """(category code, problem): one of the template's categories, in any case.

    Why any case: the Synthèse compares with Excel's ``=``, which ignores case, so
    « Service_BIC » is counted there; the ledger tools must count it too.
    """
    text = cell_text(value)
    if not text:
        return None, "catégorie manquante"
    if text.lower() in layout.CATEGORIES:
        return text.lower(), None
    from ..rules.vocabulary import parse_activite  # local: only for the suggestion
    try:
        near = parse_activite(text).value
    except XlaeError:
        near = None
    if near in layout.CATEGORIES:
        return near, f"catégorie {show(text)} : écrivez exactement « {near} » (liste déroulante)"
    return None, f"catégorie {show(text)} inconnue ; catégories acceptées : {', '.join(layout.CATEGORIES)}"


def lenient_date(value: Any) -> dt.date | None:
    """Any readable date (for sorting rows into periods), else None."""
    date, _ = cell_date(value)
    return date
