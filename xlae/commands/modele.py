"""``xlae modele``: write the template workbook (livre des recettes, registre des achats, synthèse).

Why: the template is generated from code, so the committed file can be checked
for staleness and every user gets the formulas of their xlae version. An
existing file is never replaced silently (``--force``) and is written atomically.
"""

from __future__ import annotations

import argparse

from ..template import build

DEFAULT_NAME = "modele-auto-entrepreneur.xlsx"


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("modele", help="écrit le classeur modèle (livres et synthèse)",
                            description="Écrit le classeur modèle : paramètres, livre des recettes, registre "
                                        "des achats, synthèse avec les fonctions AE_* et barème.")
    parser.add_argument("--sortie", metavar="FICHIER", default=DEFAULT_NAME,
                        help=f"fichier .xlsx à écrire (défaut : {DEFAULT_NAME})")
    parser.add_argument("--exemple", action="store_true",
                        help="écrit l'exemple rempli (informaticien en BNC) au lieu du modèle vide")
    parser.add_argument("--force", action="store_true", help="remplace le fichier s'il existe déjà")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.exemple:
        from ..template import exemple
        data = exemple.example_bytes()
    else:
        data = build.workbook_bytes(build.build_workbook())
    target = build.write_new_file(args.sortie, data, force=args.force)
    what = "Exemple" if args.exemple else "Modèle"
    print(f"{what} écrit : {target}")
    return 0
