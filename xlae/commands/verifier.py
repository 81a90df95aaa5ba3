"""``xlae verifier``: the books against the legal requirements; exit 1 when anything is wrong."""

from __future__ import annotations

import argparse
import datetime as dt



def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "verifier", help="vérifie le livre des recettes et le registre des achats",
        description="Contrôle le classeur : ordre chronologique, référence de pièce sur chaque ligne, "
                    "doublons, trous de numérotation des factures, mode de règlement (espèces distinguées), "
                    "montants, catégories, dates (année, création, futur), registre des achats, et lignes "
                    "modifiées dans une période clôturée. Une ligne par anomalie ; code de sortie 1 s'il y "
                    "en a, 0 sinon, 2 si le classeur n'est pas lisible.")
    parser.add_argument("classeur", metavar="FICHIER.xlsx", help="classeur créé avec xlae modele")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, today: dt.date | None = None) -> int:
    from ..books.calamine import open_books
    from ..ledger.checks import check_book

    book = open_books(args.classeur)
    findings = check_book(book, today)
    for finding in findings:
        print(finding.text())
    if findings:
        print(f"{len(findings)} anomalie(s) dans {book.name}.")
        return 1
    print(f"Aucune anomalie dans {book.name}.")
    return 0
