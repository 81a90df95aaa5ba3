"""Which column of a bank export is the date, the amount, the label: by header, by content, or as told.

Why: each bank names its columns its own way (« Date opération », « dateOp »,
« Operation date (UTC) », « Booking Date »…), some write no header at all (LCL,
BNP Paribas, Hello bank!) and some users have a layout nobody foresaw. The
header vocabulary below covers the French networks and the online banks; a
headerless file is read by what its cells contain (a date column, one or two
amount columns, the longest text), and the preview says so; ``--colonnes``
states the mapping when the guess is wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import XlaeError, show
from ..rules.vocabulary import normalize

# Header labels (normalised, camelCase split, « (EUR) », « en euros », « (UTC) » removed), best first.
HEADERS: dict[str, tuple[str, ...]] = {
    "date": ("date operation", "date d operation", "date de l operation", "date de operation", "date op",
             "operation date", "date de la transaction", "date transaction", "date de transaction",
             "transaction date", "booking date", "date completed", "completed date", "date", "date started",
             "started date", "settlement date", "date comptable", "date compta", "date de comptabilisation",
             "date valeur", "date de valeur", "date val", "value date"),
    "libelle": ("libelle", "libelle operation", "libelle de l operation", "libelle de operation",
                "libelle complet", "libelle simplifie", "libelle court", "intitule", "description",
                "operation", "nature de l operation", "nature de operation", "label", "wording",
                "transaction description", "details de l operation", "libelle de la transaction",
                "libelle transaction"),
    "complement": ("informations complementaires", "information complementaire", "detail", "details",
                   "detail de l ecriture", "complement", "complement de libelle", "reference",
                   "payment reference", "reference de paiement", "motif", "communication", "memo"),
    "tiers": ("counterparty name", "nom de la contrepartie", "contrepartie", "counterparty", "tiers",
              "nom du tiers", "partner name", "payee", "payer", "beneficiaire", "emetteur",
              "donneur d ordre"),
    "type": ("type operation", "type d operation", "type de l operation", "type", "transaction type",
             "payment method", "moyen de paiement", "mode de paiement", "nature"),
    "debit": ("debit", "debits", "montant debit", "sortie", "sorties", "decaissement", "money out",
              "paid out", "withdrawal", "withdrawals"),
    "credit": ("credit", "credits", "montant credit", "entree", "entrees", "encaissement", "money in",
               "paid in", "deposit", "deposits"),
    "montant": ("montant", "montant operation", "montant de l operation", "montant de operation", "somme",
                "amount", "montant total ttc", "total amount incl vat", "montant total", "total amount",
                "transaction amount", "montant net"),
    "statut": ("status", "statut", "state", "etat"),
    "devise": ("devise", "currency", "payment currency", "monnaie"),
}
ROLES = tuple(HEADERS)
ROLE_NAMES = {"date": "date", "libelle": "libellé", "complement": "complément", "tiers": "tiers",
              "type": "type", "debit": "débit", "credit": "crédit", "montant": "montant",
              "statut": "statut", "devise": "devise"}
_SUFFIX = re.compile(r"(?:\s+(?:en\s+)?(?:eur|euros?|utc))+$")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_DATE_LIKE = re.compile(r"\s*(\d{1,2}[/.\-]\d{1,2}[/.\-](\d{4}|\d{2})|\d{4}-\d{1,2}-\d{1,2})([ T]\S*)?\s*")
_AMOUNT_LIKE = re.compile(r"\s*[-+−(]?\s*\d{1,3}(?:[ \u00a0\u202f.']?\d{3})*(?:[.,]\d{1,2})\s*\)?-?\s*(?:€|EUR)?\s*")
GUESS_ROWS = 200


@dataclass(frozen=True)
class Layout:
    """Where the operations are: the header line (0 if none), roles → column index, how it was found."""

    header_line: int
    roles: dict[str, int]
    names: list[str]          # column names as shown to the user (header text, or « colonne 3 »)
    how: str                  # "en-tête", "contenu" (guessed from the cells) or "--colonnes"
    utc: bool = False         # the date header says UTC: times are converted to Paris time


def header_key(text: str) -> str:
    """« Date opération », « dateOp », « Montant (EUR) », « Operation date (UTC) » → comparable key."""
    return _SUFFIX.sub("", normalize(_CAMEL.sub(" ", text).replace("€", " eur")))


def roles_from_header(cells: list[str]) -> dict[str, int]:
    keys = [header_key(c) for c in cells]
    roles: dict[str, int] = {}
    for role, labels in HEADERS.items():
        for label in labels:
            if label in keys and keys.index(label) not in roles.values():
                roles[role] = keys.index(label)
                break
    return roles


def usable(roles: dict[str, int]) -> bool:
    return "date" in roles and ("montant" in roles or "credit" in roles) and \
        ("libelle" in roles or "tiers" in roles or "complement" in roles)


def from_header(rows: list[tuple[int, list[str]]]) -> Layout | None:
    """The first row among ``rows`` that names a date, an amount and a label column."""
    for number, cells in rows:
        roles = roles_from_header(cells)
        if usable(roles):
            utc = "utc" in normalize(cells[roles["date"]])
            return Layout(number, roles, list(cells), "en-tête", utc)
    return None


def is_date(text: str) -> bool:
    return bool(_DATE_LIKE.fullmatch(text))


def is_amount(text: str) -> bool:
    return bool(_AMOUNT_LIKE.fullmatch(text)) and not is_date(text)


def from_content(rows: list[tuple[int, list[str]]]) -> Layout | None:
    """Guess the columns of a headerless export from its first rows, or None.

    The date column is the first one holding a date on most rows of the usual width;
    amount columns hold amounts with decimals; one → signed amount, two filled in turn
    → débit then crédit (a column with minus signs is the débit); the label is the
    text column with the longest cells.
    """
    sample = [(n, c) for n, c in rows[:GUESS_ROWS] if sum(1 for x in c if x) >= 2]
    if not sample:
        return None
    widths: dict[int, int] = {}
    for _, cells in sample:
        if any(is_date(x) for x in cells):
            widths[len(cells)] = widths.get(len(cells), 0) + 1
    if not widths:
        return None
    width = max(widths, key=lambda w: (widths[w], w))
    data = [c for _, c in sample if len(c) == width]
    date_col = next((j for j in range(width) if sum(is_date(c[j]) for c in data) >= 0.8 * len(data)), None)
    if date_col is None:
        return None
    data = [c for c in data if is_date(c[date_col])]
    amounts = []
    for j in range(width):
        filled = [c[j] for c in data if c[j]]
        if j == date_col or not filled or any(not is_amount(x) for x in filled):
            continue
        if len(filled) > 1 and len(set(filled)) == 1 and len(filled) == len(data):
            continue  # the same number on every line: an account number or a constant, not an amount
        amounts.append(j)
    if not amounts:
        return None
    roles = {"date": date_col}
    if len(amounts) >= 2 and all(bool(c[amounts[0]]) != bool(c[amounts[1]]) for c in data):
        first, second = amounts[:2]
        negative = [j for j in (first, second) if any(c[j].strip().startswith(("-", "−")) for c in data)]
        debit = negative[0] if len(negative) == 1 else first
        roles["debit"], roles["credit"] = debit, (second if debit == first else first)
    else:
        roles["montant"] = amounts[0]
    texts = [j for j in range(width) if j not in roles.values() and j not in amounts
             and any(c[j] and not is_date(c[j]) for c in data)]
    if texts:
        roles["libelle"] = max(texts, key=lambda j: sum(len(c[j]) for c in data))
    return Layout(0, roles, [f"colonne {j + 1}" for j in range(width)], "contenu")


def parse_mapping(text: str) -> dict[str, str]:
    """« date=1,montant=Montant,libelle=5 » → {role: column number or header}; French error otherwise."""
    accepted = ", ".join(r for r in ROLES)
    mapping: dict[str, str] = {}
    for part in text.split(","):
        if not part.strip():
            continue
        role, sep, column = part.partition("=")
        role = normalize(role).replace(" ", "")
        if not sep or not column.strip():
            raise XlaeError(f"--colonnes : {show(part.strip())} illisible ; attendu rôle=colonne, par exemple "
                            "« date=1,montant=2,libelle=5 » (numéro de colonne à partir de 1, ou texte de "
                            "l'en-tête).", "--colonnes")
        if role not in HEADERS:
            raise XlaeError(f"--colonnes : rôle {show(role)} inconnu ; rôles acceptés : {accepted}.",
                            "--colonnes")
        mapping[role] = column.strip()
    if "date" not in mapping or not ({"montant", "credit"} & set(mapping)):
        raise XlaeError("--colonnes : indiquez au moins la date et le montant (ou le crédit), par exemple "
                        "« date=1,montant=2,libelle=5 ».", "--colonnes")
    return mapping


def from_mapping(mapping: dict[str, str], rows: list[tuple[int, list[str]]], where: str) -> Layout:
    """The layout the user stated: column numbers (no header needed) or header texts (found in ``rows``)."""
    if all(v.isdigit() for v in mapping.values()):
        roles = {role: int(v) - 1 for role, v in mapping.items()}
        if min(roles.values()) < 0:
            raise XlaeError("--colonnes : les colonnes sont numérotées à partir de 1.", "--colonnes")
        width = max(roles.values()) + 1
        first = next((n for n, c in rows if len(c) > roles["date"] and is_date(c[roles["date"]])), 0)
        header = next((c for n, c in rows if n < first and len(c) >= width), None)
        names = [f"colonne {j + 1}" + (f" ({header[j]})" if header and header[j] else "") for j in range(width)]
        return Layout(max(first - 1, 0), roles, names, "--colonnes")
    wanted = {role: header_key(v) for role, v in mapping.items() if not v.isdigit()}
    for number, cells in rows:
        keys = [header_key(c) for c in cells]
        if all(k in keys for k in wanted.values()):
            roles = {r: i for r, i in roles_from_header(cells).items()
                     if i not in [keys.index(k) for k in wanted.values()]}
            roles = {r: i for r, i in roles.items() if r not in mapping}
            for role, value in mapping.items():
                roles[role] = int(value) - 1 if value.isdigit() else keys.index(wanted[role])
            utc = "utc" in normalize(cells[roles["date"]]) if roles["date"] < len(cells) else False
            return Layout(number, roles, list(cells), "--colonnes", utc)
    names = ", ".join(f"« {v} »" for v in mapping.values() if not v.isdigit())
    raise XlaeError(f"--colonnes : aucune ligne de {where} ne contient les en-têtes {names} ; donnez le texte "
                    "exact de l'en-tête ou le numéro de la colonne (à partir de 1).", "--colonnes")
