"""``xlae declaration``: what to type on the URSSAF declaration of a month or a quarter."""

from __future__ import annotations

import argparse



def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "declaration", help="montants à déclarer à l'URSSAF pour un mois ou un trimestre",
        description="Calcule, à partir du livre des recettes, le chiffre d'affaires à déclarer par catégorie "
                    "(comme le demande le formulaire URSSAF), les cotisations, la CFP, la TFC, le versement "
                    "libératoire, le total et la date limite. Une période sans recette donne « néant » : "
                    "la déclaration à 0 € reste obligatoire.")
    parser.add_argument("classeur", metavar="FICHIER.xlsx", help="classeur créé avec xlae modele")
    parser.add_argument("--periode", required=True, metavar="PERIODE",
                        help="un mois (2026-03) ou un trimestre (2026-T1), selon votre périodicité")
    parser.add_argument("--format", choices=("texte", "csv", "json"), default="texte",
                        help="texte (défaut), csv (séparateur « ; ») ou json")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import csv
    import json
    import sys

    from ..books.calamine import open_books
    from ..ledger import declaration

    result = declaration.compute(open_books(args.classeur), args.periode)
    if args.format == "json":
        print(json.dumps(declaration.as_dict(result), ensure_ascii=False, indent=2))
    elif args.format == "csv":
        writer = csv.writer(sys.stdout, delimiter=";", lineterminator="\n")
        writer.writerows(declaration.csv_rows(result))
    else:
        for line in declaration.render_text(result):
            print(line)
    return 0
