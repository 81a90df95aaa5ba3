"""The Paramètres sheet, declared once: each parameter's name, parser (accepted values, French message).

Why: the declaration needs the activity, ACRE, VL, periodicity… exactly as the
user set them, and ``recalculer``, ``verifier``, ``declaration`` and ``bilan``
must refuse the same values with the same words, naming the cell.

Adding a parameter: its name in ``layout.PARAMETER_NAMES`` (the template's row and
defined name), then one line in ``DECLARED`` with its parser; a name without a
line is read as it is (raw cell value), never refused.
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
from ..template import layout
from .model import Books, Place


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
    others: dict[str, Any]    # parameters declared by name only (raw or parsed values)

    def nature_for(self, activite: Activite) -> Nature:
        """Nature for one category: the one set when it fits the category, else the category's default."""
        try:
            return parse_nature(self.nature_cell, activite)
        except XlaeError:
            return parse_nature(None, activite)


@dataclass(frozen=True)
class ParameterProblem:
    name: str
    place: Place
    message: str

    @property
    def where(self) -> str:
        """« Paramètres!B3 »."""
        return self.place.ref

    def text(self) -> str:
        """« Paramètres, ligne 2, colonne B : activite : … », as ``xlae verifier`` lists it."""
        return f"{self.place.text()} : {self.message}"


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


def _raw(value: Any, name: str) -> Any:
    return value


# One line per parameter: name -> parser (raises XlaeError with the French message).
DECLARED: dict[str, Callable[[Any, str], Any]] = {
    "activite": _activite,
    "date_creation": _date,
    "acre": coerce.to_bool,
    "versement_liberatoire": coerce.to_bool,
    "periodicite": lambda v, n: parse_periodicite(v),
    "zone": lambda v, n: parse_zone(v),
    "departement": lambda v, n: parse_departement(v),
    "annee": _year,
    "nature": _raw,                 # checked against the activity below (depends on it)
    "ca_annee_precedente": _raw,    # read by xlae bilan, which says what it does with it
}
_FIELDS = ("activite", "date_creation", "acre", "versement_liberatoire", "periodicite", "zone", "departement",
           "annee")


def parser(name: str) -> Callable[[Any, str], Any]:
    return DECLARED.get(name, _raw)


def read_parameters(books: Books) -> tuple[Parameters | None, list[ParameterProblem]]:
    """Parsed parameters, or None with the list of cells that are wrong."""
    values: dict[str, Any] = {}
    problems: list[ParameterProblem] = []
    for name in layout.PARAMETER_NAMES:
        raw = books.parameter(name)[0]
        try:
            values[name] = parser(name)(raw, name)
        except XlaeError as error:
            problems.append(ParameterProblem(name, books.parameter_place(name), str(error)))
    nature_raw = values.get("nature")
    if "activite" in values and not coerce.is_empty(nature_raw):
        try:
            parse_nature(nature_raw, values["activite"])
        except XlaeError as error:
            problems.append(ParameterProblem("nature", books.parameter_place("nature"), str(error)))
    if values.get("acre") and "date_creation" in values and values["date_creation"] is None:
        problems.append(ParameterProblem("date_creation", books.parameter_place("date_creation"),
                                         "date_creation : obligatoire avec l'ACRE (elle fixe sa durée et son taux)."))
    if problems:
        return None, problems
    others = {k: v for k, v in values.items() if k not in _FIELDS and k != "nature"}
    return Parameters(*(values[k] for k in ("activite",)), nature_raw,
                      *(values[k] for k in _FIELDS[1:]), others), []


def require_parameters(books: Books) -> Parameters:
    """Parameters, or an error naming every wrong cell."""
    params, problems = read_parameters(books)
    if params is None:
        detail = " ; ".join(f"{p.where} : {p.message}" for p in problems)
        raise XlaeError(f"feuille Paramètres de {books.name} : {detail}", "Paramètres")
    return params
