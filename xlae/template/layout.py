"""Layout of the template workbook: sheet names, columns, named parameter cells.

Why: the generator, the batch recalculation and the ledger tools must agree on
where each thing lives; this module is that single contract. Header on row 1,
data from row 2.
"""

from __future__ import annotations

from dataclasses import dataclass

SHEET_PARAMETRES = "Paramètres"
SHEET_RECETTES = "Recettes"
SHEET_ACHATS = "Achats"
SHEET_SYNTHESE = "Synthèse"
SHEET_BAREMES = "Barèmes"

HEADER_ROW = 1
FIRST_DATA_ROW = 2


@dataclass(frozen=True)
class Column:
    key: str      # identifier used in code
    letter: str   # column letter in the sheet
    title: str    # French header shown to the user


RECETTES_COLUMNS = (
    Column("date", "A", "Date d'encaissement"),
    Column("reference", "B", "Référence de la pièce justificative"),
    Column("client", "C", "Client"),
    Column("nature", "D", "Nature de la prestation ou de la vente"),
    Column("categorie", "E", "Catégorie"),
    Column("montant", "F", "Montant encaissé (€)"),
    Column("mode", "G", "Mode de règlement"),
    Column("observations", "H", "Observations"),
    Column("cle_import", "I", "Clé d'import"),
)

ACHATS_COLUMNS = (
    Column("date", "A", "Date"),
    Column("reference", "B", "Référence de la pièce justificative"),
    Column("fournisseur", "C", "Fournisseur"),
    Column("nature", "D", "Nature de l'achat"),
    Column("montant", "E", "Montant (€)"),
    Column("mode", "F", "Mode de règlement"),
    Column("observations", "G", "Observations"),
    Column("cle_import", "H", "Clé d'import"),
)

PAYMENT_MODES = ("Virement", "Carte bancaire", "Chèque", "Espèces", "Prélèvement", "Autre")
CASH_MODE = "Espèces"
CATEGORIES = ("vente", "service_bic", "bnc", "bnc_cipav")

# Named cells of the Paramètres sheet (defined names of the workbook).
PARAMETER_NAMES = (
    "activite", "nature", "date_creation", "acre", "versement_liberatoire", "periodicite",
    "zone", "departement", "annee", "ca_annee_precedente",
)


def column(columns: tuple[Column, ...], key: str) -> Column:
    """The column with that key (KeyError if the layout has none)."""
    for col in columns:
        if col.key == key:
            return col
    raise KeyError(key)

# Closing of periods (xlae cloturer): a hidden, protected sheet recording, for each
# closed period, the SHA-256 fingerprint of the period and of each of its rows.
SHEET_CLOTURES = "Clôtures"
CLOTURES_COLUMNS = (
    Column("periode", "A", "Période"),
    Column("debut", "B", "Début"),
    Column("fin", "C", "Fin"),
    Column("cloturee_le", "D", "Clôturée le"),
    Column("objet", "E", "Objet"),
    Column("ligne", "F", "Ligne"),
    Column("empreinte", "G", "Empreinte SHA-256"),
    Column("nombre", "H", "Nombre de lignes"),
    Column("total", "I", "Total (€)"),
    Column("archive", "J", "Archive"),
)
CLOTURE_OBJET_PERIODE = "Période"  # value of « Objet » on the row holding the period's fingerprint


# --- Added by the template generator (issue 4); nothing above was moved. ---

# Room for the ledgers: every formula of the summary covers rows FIRST_DATA_ROW..LAST_DATA_ROW.
# MAX_ROWS is the default of ``xlae modele``; ``xlae modele --lignes N`` covers N rows instead
# (see ``last_data_row``), and the batch reads N back from the workbook's own formulas.
MAX_ROWS = 10_000
LAST_DATA_ROW = FIRST_DATA_ROW + MAX_ROWS - 1
MAX_SHEET_ROWS = 1_048_576 - FIRST_DATA_ROW + 1  # data rows an Excel sheet can hold below the header


# The alert colours the README promises: orange from 80 %, red (white bold text) from 100 %;
# one spelling for the Synthèse (build) and the batch report.
ALERT_ORANGE = "FFA500"
ALERT_RED = "FF0000"
ALERT_RED_TEXT = "FFFFFF"


def column_index(letter: str) -> int:
    """« A » → 1, « AA » → 27 (the inverse of ``column_letter``)."""
    number = 0
    for char in letter:
        number = number * 26 + ord(char.upper()) - 64
    return number


def column_letter(index: int) -> str:
    """1 → « A », 27 → « AA » (the one spelling of a column number as a letter)."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def last_data_row(rows: int = MAX_ROWS) -> int:
    """Last sheet row covered by a summary built for ``rows`` ledger rows."""
    return FIRST_DATA_ROW + rows - 1

# Optional parameters of the « Droits et impôt » section (issue 12), below the others: household
# parts, other net taxable income, RFR of N-2 (versement libératoire), CA of N-2 and N-3 (sick pay).
# Workbooks made before them have no such names: readers take them as empty.
DROITS_PARAMETER_NAMES = ("parts", "autres_revenus", "rfr", "ca_n2", "ca_n3")
ALL_PARAMETER_NAMES = PARAMETER_NAMES + DROITS_PARAMETER_NAMES

# Paramètres sheet: label in A, value (the named cell) in B, help text in C.
PARAMETER_CELLS = {name: f"B{FIRST_DATA_ROW + i}" for i, name in enumerate(ALL_PARAMETER_NAMES)}

NATURES = ("commerciale", "artisanale", "liberale")
ZONES = ("metropole", "drom", "mayotte")
PERIODICITES = ("mensuelle", "trimestrielle")
YES_NO = ("oui", "non")


def parameter_ref(name: str) -> str:
    """Absolute address of a named parameter cell, e.g. 'Paramètres'!$B$2."""
    cell = PARAMETER_CELLS[name]
    return f"'{SHEET_PARAMETRES}'!${cell[0]}${cell[1:]}"
