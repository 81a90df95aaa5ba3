"""``xlae bilan ANNEE CLASSEUR``: the year-end pack in the terminal and as an xlsx file."""

from __future__ import annotations

import argparse
import os
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "bilan", help="bilan de fin d'année : 2042-C-PRO, trimestres, droits, impôt, année suivante",
        description="Fait le bilan d'une année à partir du livre des recettes : les cases de la déclaration "
                    "2042-C-PRO et les montants à reporter, le CA et le revenu par catégorie, les trimestres de "
                    "retraite validés, les indemnités maladie et maternité/paternité, l'impôt au barème comparé "
                    "au versement libératoire, le régime, la TVA et le compte dédié pour l'année suivante. "
                    "Affiché dans le terminal et enregistré dans un classeur .xlsx.")
    parser.add_argument("annee", metavar="ANNEE", help="année du bilan (ex. 2026)")
    parser.add_argument("classeur", metavar="CLASSEUR.xlsx", help="classeur créé avec xlae modele")
    parser.add_argument("--sortie", metavar="FICHIER.xlsx",
                        help="fichier du bilan (défaut : CLASSEUR-bilan-ANNEE.xlsx à côté du classeur)")
    parser.add_argument("--force", action="store_true", help="remplace le fichier du bilan s'il existe déjà")
    parser.add_argument("--parts", help="nombre de parts du foyer fiscal (défaut : 1)")
    parser.add_argument("--couple", action="store_true", help="couple soumis à imposition commune (défaut : dès 2 parts)")
    parser.add_argument("--autres-revenus", help="autres revenus nets imposables du foyer, en €")
    parser.add_argument("--rfr", help="revenu fiscal de référence de l'année ANNEE-2 (condition du versement libératoire)")
    parser.set_defaults(run=run)


def output_path(classeur: Path, annee: int, sortie: str | None) -> Path:
    return Path(sortie) if sortie else classeur.with_name(f"{classeur.stem}-bilan-{annee}.xlsx")


def run(args: argparse.Namespace) -> int:
    from .. import coerce
    from ..errors import XlaeError, os_reason
    from ..ledger import bilan
    from ..books.calamine import open_books

    annee = coerce.to_covered_year(args.annee, "ANNEE")
    classeur = Path(args.classeur)
    target = output_path(classeur, annee, args.sortie)
    if target.suffix.lower() != ".xlsx":
        raise XlaeError(f"--sortie : {target.name} doit se terminer par .xlsx (Excel n'ouvrirait pas le fichier).",
                        "--sortie")
    if target.is_dir():
        raise XlaeError(f"--sortie : {target} est un dossier ; indiquez un nom de fichier .xlsx.", "--sortie")
    if os.path.lexists(target) and not args.force:
        raise XlaeError(f"--sortie : {target} existe déjà ; ajoutez --force pour le remplacer, ou choisissez un "
                        "autre nom avec --sortie.", "--sortie")
    if target.resolve() == classeur.resolve():
        raise XlaeError("--sortie : le bilan ne peut pas remplacer le classeur lui-même.", "--sortie")
    if os.path.lexists(target):  # --force: the real file behind a link, never a read-only or hard-linked one
        from ..files import writable_target

        target = writable_target(target, "--sortie")
    foyer = bilan.Household(coerce.to_number(args.parts, "--parts"), coerce.to_amount(args.autres_revenus, "--autres-revenus"),
                            None if args.rfr is None else coerce.to_amount(args.rfr, "--rfr"),
                            True if args.couple else None)
    result = bilan.compute(open_books(classeur), annee, foyer)
    for line in bilan.render_text(result):
        print(line)
    try:
        bilan.write_xlsx(result, target)
    except OSError as error:
        raise XlaeError(f"--sortie : impossible d'écrire {target} ({os_reason(error)}) ; aucun fichier de bilan "
                        "incomplet n'a été laissé, le classeur n'est pas modifié.", "--sortie") from None
    print(f"\nBilan enregistré dans {target}")
    return 0
