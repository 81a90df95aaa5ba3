"""``xlae modele``: write the template workbook (livre des recettes, registre des achats, synthèse).

Why: the template is generated from code, so the committed file can be checked
for staleness and every user gets the formulas of their xlae version. An
existing file is never replaced silently (``--force``) and is written atomically.
"""

from __future__ import annotations

import argparse

from ..errors import XlaeError
from ..template import layout

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
    parser.add_argument("--annee", metavar="AAAA", type=_year,
                        help="année affichée par la synthèse du modèle vide (défaut : l'année en cours)")
    parser.add_argument("--lignes", metavar="N", type=_rows, default=layout.MAX_ROWS,
                        help=f"lignes des livres couvertes par les formules de la synthèse (défaut : "
                             f"{layout.MAX_ROWS}, au plus {layout.MAX_SHEET_ROWS}) ; au-delà de 10 000 lignes, "
                             "le classeur se recalcule plus lentement dans un tableur")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..template import build

    if args.exemple:
        from ..template import exemple
        if args.annee is not None:
            raise XlaeError(f"--annee : l'exemple est toujours l'année {exemple.YEAR} ; --annee ne vaut que "
                            "pour le modèle vide.", "--annee")
        data = exemple.example_bytes(args.lignes)
    else:
        data = build.template_bytes(args.lignes, args.annee)
    target = build.write_new_file(args.sortie, data, force=args.force)
    what = "Exemple" if args.exemple else "Modèle"
    year = exemple.YEAR if args.exemple else (args.annee or build.default_year())
    print(f"{what} écrit : {target} (année {year}, formules de la synthèse sur {args.lignes} lignes de livre)")
    return 0


def _rows(text: str) -> int:
    try:
        value = int(text.replace("_", "").replace(" ", "").replace("\u202f", "").replace("\xa0", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"« {text} » n'est pas un nombre entier de lignes") from None
    if not 1 <= value <= layout.MAX_SHEET_ROWS:
        raise argparse.ArgumentTypeError(f"{value} refusé : de 1 à {layout.MAX_SHEET_ROWS} lignes")
    return value


def _year(text: str) -> int:
    from .. import coerce

    try:
        return coerce.to_covered_year(text.strip(), "--annee")
    except XlaeError as error:
        raise argparse.ArgumentTypeError(str(error).removeprefix("--annee : ")) from None
