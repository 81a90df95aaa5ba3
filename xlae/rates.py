"""The bundled rates sheet (barème): dated values with their legal source.

Why: every figure xlae computes must come from one reviewed file, by effective
date, so that a user can trace it and replace it without reinstalling.
The CSV ``xlae/data/baremes.csv`` is the source of truth; a user may point at
another file with ``set_rates_path`` or the ``XLAE_BAREME`` environment variable.
"""

from __future__ import annotations

import copy
import csv
import io
import os
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from importlib import resources
from pathlib import Path

from .errors import XlaeError

ENV_VAR = "XLAE_BAREME"
ANY = "toutes"
COLUMNS = (
    "parametre", "categorie", "zone", "date_effet", "valeur", "unite",
    "statut", "source_titre", "source_url", "verifie_le", "note",
)
STATUSES = ("VERIFIED", "DERIVED", "UNCERTAIN")
STATUS_FR = {"VERIFIED": "vérifié", "DERIVED": "déduit", "UNCERTAIN": "incertain"}


@dataclass(frozen=True, slots=True)
class Rate:
    """One dated value of one parameter, with where it comes from."""

    parametre: str
    categorie: str
    zone: str
    date_effet: date
    valeur: Decimal
    unite: str
    statut: str
    source_titre: str
    source_url: str
    verifie_le: date
    note: str

    def cite(self) -> str:
        """Short French citation: value, status, source."""
        return (f"{self.parametre} [{self.categorie}/{self.zone}] = {self.valeur} {self.unite}"
                f" depuis le {self.date_effet:%d/%m/%Y} ({STATUS_FR[self.statut]}) — "
                f"{self.source_titre} <{self.source_url}>")


class Rates:
    """Indexed rates sheet: ``lookup`` returns the row in force on a date."""

    def __init__(self, rows: list[Rate], origin: str) -> None:
        self.rows = rows
        self.origin = origin
        series: dict[tuple[str, str, str], list[Rate]] = {}
        for row in rows:
            series.setdefault((row.parametre, row.categorie, row.zone), []).append(row)
        for key, items in series.items():
            items.sort(key=lambda r: r.date_effet)
            dates = [r.date_effet for r in items]
            if len(set(dates)) != len(dates):
                raise XlaeError(f"Barème {origin} : deux lignes pour {key[0]} / {key[1]} / "
                                f"{key[2]} à la même date d'effet.")
        self._series = series
        self.parameters = frozenset(k[0] for k in series)
        # Coverage starts when every series has a value (the latest first date).
        self.coverage_start = max(items[0].date_effet for items in series.values())
        self.newest_date = max(r.date_effet for r in rows)
        self.lookup = lru_cache(maxsize=65536)(self._lookup)
        self._content = (object(),)  # shared by ``renamed`` twins: equal (and equally hashed) rates

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Rates) and self._content == other._content

    def __hash__(self) -> int:
        return hash(self._content)

    def renamed(self, origin: str) -> "Rates":
        """The same rows read from another place (a batch's next workbook with the same Barèmes sheet).

        Why: every memo keyed on the rates in use (``excel`` memo, ``cotisations._taux``,
        ``natif.lookup_value`` by rows) serves the twin, since it is equal to this one, while
        its error messages name its own ``origin`` (errors are never memoised).
        """
        twin = copy.copy(self)
        twin.origin = origin
        twin.__dict__.pop("_history", None)
        twin.lookup = lru_cache(maxsize=65536)(twin._lookup)
        return twin

    def _series_for(self, parametre: str, categorie: str, zone: str) -> list[Rate]:
        for key in ((parametre, categorie, zone), (parametre, categorie, ANY),
                    (parametre, ANY, zone), (parametre, ANY, ANY)):
            items = self._series.get(key)
            if items is not None:
                return items
        if parametre not in self.parameters:
            raise XlaeError(f"Barème {self.origin} : le paramètre « {parametre} » est absent.")
        raise XlaeError(f"Barème {self.origin} : aucune valeur de « {parametre} » pour la "
                        f"catégorie « {categorie} » et la zone « {zone} ».")

    def _lookup(self, parametre: str, categorie: str, zone: str, on: date) -> Rate:
        items = self._series_for(parametre, categorie, zone)
        if on < self.coverage_start or on < items[0].date_effet:
            start = max(self.coverage_start, items[0].date_effet)
            raise XlaeError(f"date : le {on:%d/%m/%Y} est antérieur à la couverture du barème "
                            f"(à partir du {start:%d/%m/%Y}).", "date")
        return _in_force(items, on)

    def lookup_by_creation(self, parametre: str, categorie: str, zone: str, creation: date) -> Rate:
        """Row in force on a creation date (ACRE share and duration, first declaration).

        Why: a business created before the sheet's coverage (e.g. in 2020) still has
        these rules; only the series' own first date bounds the lookup.
        """
        items = self._series_for(parametre, categorie, zone)
        if creation < items[0].date_effet:
            raise XlaeError(f"date_creation : le {creation:%d/%m/%Y} est antérieur à la première valeur "
                            f"de « {parametre} » dans le barème ({items[0].date_effet:%d/%m/%Y}).",
                            "date_creation")
        return _in_force(items, creation)

    def history(self) -> "Rates":
        """The same sheet, looked up before its coverage (each series still bounded by its first row).

        Why: the RAAM of an arrêt in 2023 averages the incomes and PASS of 2020-2022,
        years before the coverage; their own rows (PASS 2020, abattement 2006) exist.
        """
        view = self.__dict__.get("_history")
        if view is None:
            view = copy.copy(self)
            view.coverage_start = min(items[0].date_effet for items in self._series.values())
            view._content = self._content + ("history",)  # other lookups: never equal to the sheet itself
            view.lookup = lru_cache(maxsize=4096)(view._lookup)
            self.__dict__["_history"] = view
        return view

    def value(self, parametre: str, categorie: str, zone: str, on: date) -> Decimal:
        """Value in force on ``on`` (falls back to category/zone ``toutes``)."""
        return self.lookup(parametre, categorie, zone, on).valeur


def _in_force(items: list[Rate], on: date) -> Rate:
    """Latest row of a date-sorted series whose effective date is on or before ``on``."""
    found = items[0]
    for row in items:
        if row.date_effet <= on:
            found = row
        else:
            break
    return found


def _parse_date(text: str, where: str, column: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise XlaeError(f"{where}, colonne {column} : date {text!r} invalide "
                        f"(format attendu AAAA-MM-JJ).") from None


def parse_rates(text: str, origin: str) -> Rates:
    """Parse and validate the CSV text of a rates sheet."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = tuple(reader.fieldnames or ())
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise XlaeError(f"Barème {origin} : colonnes manquantes : {', '.join(missing)}. "
                        f"Colonnes attendues : {', '.join(COLUMNS)}.")
    rows: list[Rate] = []
    for number, raw in enumerate(reader, start=2):
        where = f"Barème {origin}, ligne {number}"
        if None in raw or any(raw[c] is None for c in COLUMNS):
            raise XlaeError(f"{where} : nombre de colonnes incorrect.")
        if not raw["parametre"].strip():
            raise XlaeError(f"{where}, colonne parametre : vide.")
        try:
            value = Decimal(raw["valeur"].strip().replace(",", "."))
        except InvalidOperation:
            raise XlaeError(f"{where}, colonne valeur : {raw['valeur']!r} n'est pas un nombre.") from None
        if not value.is_finite():
            raise XlaeError(f"{where}, colonne valeur : {raw['valeur']!r} n'est pas un nombre.")
        status = raw["statut"].strip().upper()
        if status not in STATUSES:
            raise XlaeError(f"{where}, colonne statut : {raw['statut']!r} refusé "
                            f"(attendu : {', '.join(STATUSES)}).")
        effective = _parse_date(raw["date_effet"], where, "date_effet")
        checked = _parse_date(raw["verifie_le"], where, "verifie_le")
        for category in raw["categorie"].split("|"):
            for zone in raw["zone"].split("|"):
                rows.append(Rate(raw["parametre"].strip(), category.strip() or ANY,
                                 zone.strip() or ANY, effective, value, raw["unite"].strip(),
                                 status, raw["source_titre"].strip(), raw["source_url"].strip(),
                                 checked, raw["note"].strip()))
    if not rows:
        raise XlaeError(f"Barème {origin} : aucune ligne.")
    return Rates(rows, origin)


MAX_BYTES = 16 << 20  # the shipped sheet is about 100 KB; a larger file is not a rates sheet


def bundled_text() -> str:
    """CSV text of the rates sheet shipped in the package."""
    return resources.files("xlae.data").joinpath("baremes.csv").read_text(encoding="utf-8")


def load_rates(path: str | os.PathLike[str] | None = None) -> Rates:
    """Load a rates sheet from ``path``, else ``$XLAE_BAREME``, else the bundled one."""
    path = path or os.environ.get(ENV_VAR) or None
    if path is None:
        return parse_rates(bundled_text(), "intégré")
    from .files import read_regular

    file = Path(path)
    try:
        os.stat(file)
    except FileNotFoundError:
        if not os.path.islink(file):  # a broken link is said so by read_regular
            raise XlaeError(f"Barème : fichier {str(file)!r} introuvable.") from None
    except OSError:
        pass  # read_regular gives the reason
    raw = read_regular(file, "Barème", "--bareme", MAX_BYTES)  # a FIFO or a device is refused, not waited on
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise XlaeError(f"Barème : impossible de lire {str(file)!r} (octet {error.start + 1} : pas du texte "
                        "UTF-8 ; enregistrez le fichier en UTF-8).") from None
    return parse_rates(text, repr(str(file)))


_current: Rates | None = None


def get_rates() -> Rates:
    """The rates sheet in use (loaded once, then cached)."""
    global _current
    if _current is None:
        _current = load_rates()
    return _current


def set_rates_path(path: str | os.PathLike[str] | None) -> Rates:
    """Switch to another rates sheet file (``None``: back to the default)."""
    global _current
    _current = load_rates(path)
    return _current
