"""``xlae demo``: the README's first command — the example workbook, recalculated, on any machine.

Why: a new user should see every figure of a filled workbook without Excel in
one command. The example ships inside the package (``xlae/data``); an
installation without it builds a small example from the template instead.
"""

from __future__ import annotations

import argparse
import datetime as dt
from importlib import resources
from pathlib import Path

from ..errors import XlaeError

EXAMPLE = "exemple-auto-entrepreneur.xlsx"
DEFAULT_FOLDER = "xlae-demo"


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("demo", help="recalcule le classeur d'exemple fourni et affiche sa synthèse",
                            description="Copie le classeur d'exemple dans un nouveau dossier, le recalcule "
                                        "sans Excel et affiche la synthèse et l'emplacement des fichiers.")
    parser.add_argument("--sortie", metavar="DOSSIER",
                        help=f"nouveau dossier à créer (défaut : ./{DEFAULT_FOLDER}, ou -2, -3… s'il existe)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..batch.batch import recalculate
    from ..batch.console import print_result

    folder = _fresh_folder(args.sortie)
    source = folder / EXAMPLE
    source.write_bytes(example_bytes())
    result = recalculate([str(source)], str(folder / "recalcule"), 1, "auto",
                         getattr(args, "bareme", None), progress=False)
    outcome = result.outcomes[0]
    if outcome.ok:
        for line in summary_lines(outcome.values):
            print(line)
        print("")
    print_result(result)
    print(f"Classeur d'exemple (à ouvrir et modifier) : {source}")
    if outcome.target:
        print(f"Copie recalculée (valeurs visibles dans tout tableur) : {outcome.target}")
    return result.exit_code


def _fresh_folder(given: str | None) -> Path:
    """A new, empty folder: never write into the user's existing files."""
    if given:
        folder = Path(given)
        if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
            raise XlaeError(f"--sortie : « {given} » existe déjà et n'est pas un dossier vide ; indiquez "
                            "un nouveau dossier.", "--sortie")
    else:
        folder, number = Path(DEFAULT_FOLDER), 1
        while folder.exists():
            number += 1
            folder = Path(f"{DEFAULT_FOLDER}-{number}")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise XlaeError(f"--sortie : impossible de créer le dossier « {folder} » ({error.strerror or error}).",
                        "--sortie") from None
    return folder


def example_bytes() -> bytes:
    """The bundled example workbook, or one built from the template if it is not installed."""
    try:
        return resources.files("xlae.data").joinpath(EXAMPLE).read_bytes()
    except (FileNotFoundError, OSError):
        return _built_example()


def _built_example() -> bytes:
    from ..template import build, layout

    year = build.default_year()
    book = build.build_workbook({"activite": "bnc", "date_creation": dt.date(year - 1, 7, 1), "annee": year,
                                 "periodicite": "mensuelle"})
    clients = ("Atelier Durand", "Librairie Martin", "Cabinet Leroy")
    receipts = [{"date": dt.date(year, month, 5 + (month % 3) * 7), "reference": f"F{year}-{month:03d}",
                 "client": clients[month % 3], "nature": "Développement web", "categorie": "bnc",
                 "montant": 2400.0 + 150 * (month % 4), "mode": "Virement"} for month in range(1, 10)]
    build.fill_ledger(book, layout.SHEET_RECETTES, receipts)
    build.fill_ledger(book, layout.SHEET_ACHATS, [
        {"date": dt.date(year, 2, 3), "reference": "A-001", "fournisseur": "Boutique informatique",
         "nature": "Ordinateur portable", "montant": 1290.0, "mode": "Carte bancaire"}])
    return build.workbook_bytes(book)


def summary_lines(values: dict) -> list[str]:
    """The main figures of the summary, labelled in French, from the evaluated cells."""
    from ..format import euros, percent
    from ..template import synthese as S

    labels = {cell.ref: cell.label for cell in S.summary_cells()}
    lines = ["Synthèse de l'année (classeur d'exemple) :"]
    for key in ("annee", "ca_annee", "plafond_vente", "plafond_services", "part_plafond", "reste_plafond",
                "statut_plafond", "statut_tva", "revenu", "achats", "total_a_payer", "resultat_reel",
                "compte_dedie", "lignes_invalides"):
        ref = S.KEY_CELLS[key]
        value = values.get(ref)
        if value in (None, "") or (key == "plafond_vente" and values.get(f"B{S.ROW_PART_VENTE}") == "") or (
                key == "plafond_services" and values.get(f"B{S.ROW_PART_SERVICES}") == ""):
            continue  # the ceiling that does not apply to this activity
        kind = next((c.kind for c in S.summary_cells() if c.ref == ref), "text")
        if kind == "money" and isinstance(value, (int, float)):
            text = euros(round(value, 2))
        elif kind == "share" and isinstance(value, (int, float)):
            text = percent(value, 1)
        elif isinstance(value, float) and value.is_integer():
            text = str(int(value))
        elif isinstance(value, dt.date):
            text = f"{value:%d/%m/%Y}"
        else:
            text = str(value)
        lines.append(f"  {labels.get(ref, key)} : {text}")
    return lines
