"""The Paramètres sheet of a template workbook, turned into rule inputs.

Why: the declaration needs the activity, ACRE, VL, periodicity… exactly as the
user set them; a wrong value must be named by its cell, not guessed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Callable

from .. import coerce
from ..errors import XlaeError
from ..rules.contributions import parse_departement
from ..rules.vocabulary import (Activite, Nature, Periodicite, Zone, parse_activite, parse_nature,
                                parse_periodicite, parse_zone)
from .workbook import Book


@dataclass(frozen=True)
class Parameters:
    activite: Activite
    nature_cell: Any          # raw nature (per-category default when empty or not applicable)
    date_creation: dt.date | None
    acre: bool
    versement_liberatoire: bool
    periodicite: Periodicite
    zone: Zone
    departement: str | None
    annee: int

    def nature_for(self, activite: Activite) -> Nature:
        """Nature for one category: the one set when it fits the category, else the category's default."""
        try:
            return parse_nature(self.nature_cell, activite)
        except XlaeError:
            return parse_nature(None, activite)


@dataclass(frozen=True)
class ParameterProblem:
    name: str
    where: str      # « Paramètres!B3 »
    message: str


def _date(value: Any, name: str) -> dt.date | None:
    return coerce.to_date(value, name, default_today=False)


def _year(value: Any, name: str) -> int:
    if coerce.is_empty(value):
        raise XlaeError(f"{name} : vide ; indiquez l'année des registres (ex. 2026).", name)
    return coerce.to_year(value, name)


def _activite(value: Any, name: str) -> Activite:
    if coerce.is_empty(value):  # parse_activite would say « valeur « None » refusée »
        raise XlaeError(f"{name} : vide ; choisissez votre activité principale dans la liste (vente, "
                        "service_bic, bnc ou bnc_cipav).", name)
    return parse_activite(value, name)


PARSERS: dict[str, Callable[[Any, str], Any]] = {
    "activite": _activite,
    "date_creation": _date,
    "acre": coerce.to_bool,
    "versement_liberatoire": coerce.to_bool,
    "periodicite": lambda v, n: parse_periodicite(v),
    "zone": lambda v, n: parse_zone(v),
    "departement": lambda v, n: parse_departement(v),
    "annee": _year,
}


def read_parameters(book: Book) -> tuple[Parameters | None, list[ParameterProblem]]:
    """Parsed parameters, or None with the list of cells that are wrong."""
    values: dict[str, Any] = {}
    problems: list[ParameterProblem] = []
    for name, parse in PARSERS.items():
        raw, where = book.parameter(name)
        try:
            values[name] = parse(raw, name)
        except XlaeError as error:
            problems.append(ParameterProblem(name, where, str(error)))
    nature_raw, nature_where = book.parameter("nature")
    if "activite" in values and not coerce.is_empty(nature_raw):
        try:
            parse_nature(nature_raw, values["activite"])
        except XlaeError as error:
            problems.append(ParameterProblem("nature", nature_where, str(error)))
    if values.get("acre") and "date_creation" in values and values["date_creation"] is None:
        problems.append(ParameterProblem("date_creation", book.parameter("date_creation")[1],
                                         "date_creation : obligatoire avec l'ACRE (elle fixe sa durée et son taux)."))
    if problems:
        return None, problems
    return Parameters(values["activite"], nature_raw, values["date_creation"], values["acre"],
                      values["versement_liberatoire"], values["periodicite"], values["zone"],
                      values["departement"], values["annee"]), []


def require_parameters(book: Book) -> Parameters:
    """Parameters, or an error naming every wrong cell."""
    params, problems = read_parameters(book)
    if params is None:
        detail = " ; ".join(f"{p.where} : {p.message}" for p in problems)
        raise XlaeError(f"feuille Paramètres de {book.path.name} : {detail}", "Paramètres")
    return params
