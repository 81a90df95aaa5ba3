"""Categorisation rules for imported credits: label pattern → client, catégorie, nature, mode.

Why: the same customers pay every month; one line per customer in a small CSV
fills the livre des recettes the same way each time. The first matching rule
wins. ``catégorie = ignorer`` drops a credit that is not a receipt (transfer
from one's own savings, refund of an expense…).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import XlaeError, csv_reason, show
from ..rules.vocabulary import normalize, parse_activite
from ..template import layout
from .statement import decode, read_file

MAX_BYTES = 1024 * 1024   # a rules file has a line per customer: a few kB

IGNORE = "ignorer"
COLUMNS = ("motif", "client", "categorie", "nature", "mode", "reference")
_MODES = {normalize(m): m for m in layout.PAYMENT_MODES}


@dataclass(frozen=True)
class Rule:
    line: int
    motif: str
    pattern: re.Pattern[str] | None   # /regex/ motif; else a plain text match
    client: str
    categorie: str
    nature: str
    mode: str
    reference: str
    needle: str = field(default="", init=False, repr=False, compare=False)   # normalize(motif)

    def __post_init__(self) -> None:
        object.__setattr__(self, "needle", normalize(self.motif))   # once per rule, not per credit

    def matches(self, label: str, norm: str | None = None) -> bool:
        """``norm``: ``normalize(label)`` when the caller has it already."""
        if self.pattern is not None:
            return bool(self.pattern.search(label))
        return self.needle in (normalize(label) if norm is None else norm)


def read_rules(path: str | Path) -> list[Rule]:
    """Rules CSV (« ; » or « , »), header « motif;client;categorie;nature;mode » (+ optional « reference »)."""
    path = Path(path)
    text, _ = decode(read_file(path, "--regles", "--regles", MAX_BYTES))
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise XlaeError(f"--regles : le fichier {path.name} est vide.", "--regles")
    first = text.splitlines()[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [normalize(h).replace(" ", "_") for h in next(reader)]
    except csv.Error as error:
        raise XlaeError(f"--regles {path.name}, ligne 1 : CSV illisible ({csv_reason(error)}).", "--regles") from None
    header = ["categorie" if h == "categorie" else h for h in header]
    if "motif" not in header:
        raise XlaeError(f"--regles {path.name} : colonne « motif » absente. En-tête attendu : "
                        f"{';'.join(COLUMNS)} (seul « motif » est obligatoire).", "--regles")
    unknown = [h for h in header if h and h not in COLUMNS]
    if unknown:
        raise XlaeError(f"--regles {path.name} : colonne(s) inconnue(s) {', '.join(unknown)} ; "
                        f"colonnes acceptées : {', '.join(COLUMNS)}.", "--regles")
    rules = []
    while True:
        number = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            raise XlaeError(f"--regles {path.name}, ligne {number} : CSV illisible ({csv_reason(error)}).",
                            "--regles") from None
        if any("\n" in c for c in cells):
            raise XlaeError(f"--regles {path.name}, ligne {number} : guillemet ouvert et non refermé ; une "
                            "règle tient sur une ligne.", "--regles")
        if not any(c.strip() for c in cells):
            continue
        values = {h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(header)}
        rules.append(_rule(path.name, number, values))
    if not rules:
        raise XlaeError(f"--regles {path.name} : aucune règle après l'en-tête.", "--regles")
    return rules


def _rule(name: str, number: int, values: dict[str, str]) -> Rule:
    where = f"--regles {name}, ligne {number}"
    motif = values.get("motif", "")
    if not motif:
        raise XlaeError(f"{where}, colonne motif : vide ; indiquez un texte du libellé bancaire "
                        "(ou /expression régulière/).", "--regles")
    pattern = None
    if len(motif) > 2 and motif.startswith("/") and motif.endswith("/"):
        try:
            pattern = re.compile(motif[1:-1], re.IGNORECASE)
        except re.error as error:
            near = f" (erreur vers le caractère {error.pos + 2} du motif)" if error.pos is not None else ""
            raise XlaeError(f"{where}, colonne motif : expression régulière {show(motif)} invalide{near} ; "
                            "vérifiez les crochets, parenthèses et caractères spéciaux, ou écrivez le motif sans "
                            "barres obliques pour chercher le texte tel quel.", "--regles") from None
    categorie = values.get("categorie", "")
    if categorie:
        if normalize(categorie) == IGNORE:
            categorie = IGNORE
        else:
            try:
                categorie = parse_activite(categorie, f"{where}, colonne categorie").value
            except XlaeError as error:
                raise XlaeError(f"{error} Ou « {IGNORE} » pour écarter l'opération.", "--regles") from None
    mode = values.get("mode", "")
    if mode:
        if normalize(mode) not in _MODES:
            raise XlaeError(f"{where}, colonne mode : {show(mode)} inconnu ; modes acceptés : "
                            f"{', '.join(layout.PAYMENT_MODES)}.", "--regles")
        mode = _MODES[normalize(mode)]
    return Rule(number, motif, pattern, values.get("client", ""), categorie, values.get("nature", ""),
                mode, values.get("reference", ""))


def first_match(rules: list[Rule], label: str, norm: str | None = None) -> Rule | None:
    norm = normalize(label) if norm is None and rules else norm
    for rule in rules:
        if rule.matches(label, norm):
            return rule
    return None
