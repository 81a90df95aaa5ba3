"""The domain's words: activities, natures, zones, periodicities, and their aliases.

Why: users type "BNC", "Libéral", "prestations de services BIC"… One place maps
every accepted spelling to one code, so every function accepts the same words.
"""

from __future__ import annotations

import re
import unicodedata
from enum import Enum
from functools import lru_cache
from typing import Any

from ..errors import invalid


class Activite(str, Enum):
    """Activity category (CGI 50-0 1° and 2°, CGI 102 ter)."""

    VENTE = "vente"
    SERVICE_BIC = "service_bic"
    BNC = "bnc"
    BNC_CIPAV = "bnc_cipav"

    @property
    def label(self) -> str:
        return ACTIVITE_LABELS[self]

    @property
    def is_bnc(self) -> bool:
        return self in (Activite.BNC, Activite.BNC_CIPAV)


class Nature(str, Enum):
    """Nature of the business, which sets the CFP and TFC rates."""

    COMMERCIALE = "commerciale"
    ARTISANALE = "artisanale"
    LIBERALE = "liberale"


class Zone(str, Enum):
    METROPOLE = "metropole"
    DROM = "drom"
    MAYOTTE = "mayotte"


class Periodicite(str, Enum):
    MENSUELLE = "mensuelle"
    TRIMESTRIELLE = "trimestrielle"


ACTIVITE_LABELS = {
    Activite.VENTE: "vente de marchandises, denrées, hébergement (BIC)",
    Activite.SERVICE_BIC: "prestations de services commerciales ou artisanales (BIC)",
    Activite.BNC: "profession libérale non réglementée (BNC, SSI)",
    Activite.BNC_CIPAV: "profession libérale réglementée (BNC, Cipav)",
}

_ACTIVITE_ALIASES = {
    Activite.VENTE: [
        "vente", "ventes", "v", "bic vente", "vente bic", "vente de marchandises", "marchandises",
        "vente de biens", "commerce", "achat revente", "achat vente", "negoce", "denrees",
        "restauration", "hebergement", "fourniture de logement", "ventes de marchandises",
        "ventes bic", "vente marchandises",
    ],
    Activite.SERVICE_BIC: [
        "service bic", "services bic", "service", "services", "s", "bic service", "bic services",
        "prestations de services", "prestation de services", "prestations de service",
        "prestation de service", "prestations de services bic", "prestation de services bic",
        "prestations bic", "services commerciaux", "services artisanaux", "artisanat", "artisan",
        "prestations de services commerciales", "prestations de services artisanales",
        "prestations de services commerciales ou artisanales",
    ],
    Activite.BNC: [
        "bnc", "bnc ssi", "ssi", "liberal", "liberale", "profession liberale", "liberal ssi",
        "liberal non reglemente", "profession liberale non reglementee", "liberale non reglementee",
        "prestations bnc", "prestations de services bnc", "services bnc", "autres prestations bnc",
    ],
    Activite.BNC_CIPAV: [
        "bnc cipav", "cipav", "liberal cipav", "liberal reglemente", "liberale reglementee",
        "profession liberale reglementee", "liberal reglemente cipav",
    ],
}
_NATURE_ALIASES = {
    Nature.COMMERCIALE: ["commerciale", "commercial", "commercant", "commercante", "commerce", "cci"],
    Nature.ARTISANALE: ["artisanale", "artisanal", "artisan", "artisanat", "cma", "metiers"],
    Nature.LIBERALE: ["liberale", "liberal", "profession liberale", "bnc"],
}
_ZONE_ALIASES = {
    Zone.METROPOLE: ["metropole", "france metropolitaine", "hexagone", "france", "metropolitaine"],
    Zone.DROM: ["drom", "dom", "outre mer", "outremer", "drom com", "guadeloupe", "martinique",
                "guyane", "la reunion", "reunion"],
    Zone.MAYOTTE: ["mayotte"],
}
_PERIODICITE_ALIASES = {
    Periodicite.MENSUELLE: ["mensuelle", "mensuel", "mois", "m", "mensuellement"],
    Periodicite.TRIMESTRIELLE: ["trimestrielle", "trimestriel", "trimestre", "t", "trimestriellement"],
}


_FOLD = re.compile(r"[\s_\-'’.,;:/()]+")


def normalize(text: str) -> str:
    """Lower case, no accents, punctuation and underscores folded to single spaces.

    ASCII text (most bank labels) skips the accent removal, which cannot change it.
    """
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
    return _FOLD.sub(" ", text.lower()).strip()


def _table(aliases: dict[Any, list[str]]) -> dict[str, Any]:
    table: dict[str, Any] = {}
    for code, words in aliases.items():
        for word in [code.value, *words]:
            table[normalize(word)] = code
    return table


_ACTIVITES = _table(_ACTIVITE_ALIASES)
_NATURES = _table(_NATURE_ALIASES)
_ZONES = _table(_ZONE_ALIASES)
_PERIODICITES = _table(_PERIODICITE_ALIASES)


def _parse(table: dict[str, Any], argument: str, value: Any, accepted: list[str]):
    if isinstance(value, Enum) and value in table.values():
        return value
    if isinstance(value, str):
        found = table.get(normalize(value))
        if found is not None:
            return found
    raise invalid(argument, value, accepted)


def parse_activite(value: Any, argument: str = "activite") -> Activite:
    """Activity code from any accepted spelling (case and accents ignored)."""
    try:
        return _parse_activite_cached(value, argument)
    except TypeError:  # unhashable (a list, a dict…): not an activity
        raise invalid(argument, value, [a.value for a in Activite]) from None


@lru_cache(maxsize=1024)
def _parse_activite_cached(value: Any, argument: str) -> Activite:
    return _parse(_ACTIVITES, argument, value, [a.value for a in Activite]
                  + ["ou un libellé courant (« BNC », « Libéral », « prestations de services BIC »…)"])


def parse_nature(value: Any, activite: Activite) -> Nature:
    """Nature given, or the default for the activity; refuses impossible pairs."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return default_nature(activite)
    nature = _parse(_NATURES, "nature", value, [n.value for n in Nature])
    if (nature is Nature.LIBERALE) != activite.is_bnc:
        allowed = ["liberale"] if activite.is_bnc else ["commerciale", "artisanale"]
        raise invalid("nature", value, [f"pour l'activité {activite.value} : " + ", ".join(allowed)])
    return nature


def default_nature(activite: Activite) -> Nature:
    """BNC is liberal; BIC defaults to commercial (a craftsman sets « artisanale »)."""
    return Nature.LIBERALE if activite.is_bnc else Nature.COMMERCIALE


def parse_zone(value: Any) -> Zone:
    if value is None or (isinstance(value, str) and not value.strip()):
        return Zone.METROPOLE
    return _parse(_ZONES, "zone", value, ["metropole", "drom (Guadeloupe, Martinique, Guyane, La Réunion)", "mayotte"])


def parse_periodicite(value: Any) -> Periodicite:
    if value is None or (isinstance(value, str) and not value.strip()):
        return Periodicite.MENSUELLE
    return _parse(_PERIODICITES, "periodicite", value, ["mensuelle", "trimestrielle"])
