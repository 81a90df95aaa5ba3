"""``xlae recalculer``: every figure of filled workbooks, without Excel, into computed copies.

Why: a workbook full of AE_* formulas shows numbers only in Excel with xlwings;
this command computes them on any machine, writes copies that any viewer
displays, and a consolidated report for a whole folder of clients.
"""

from __future__ import annotations

import argparse
import datetime as dt

from ..errors import XlaeError


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "recalculer", help="recalcule des classeurs remplis (sans Excel) et écrit un rapport",
        description="Recalcule chaque classeur (ou chaque classeur .xlsx d'un dossier) : écrit une copie "
                    "dont la synthèse affiche ses valeurs dans n'importe quel tableur, puis rapport.xlsx et "
                    "rapport.csv (une ligne par classeur). Les classeurs d'origine ne sont jamais modifiés. "
                    "Code de sortie : 0 tout est recalculé, 1 certains classeurs en échec, 2 mauvais usage.")
    parser.add_argument("chemins", nargs="+", metavar="CHEMIN", help="classeur .xlsx ou dossier de classeurs")
    parser.add_argument("--sortie", metavar="DOSSIER",
                        help="dossier des copies et du rapport (défaut : ./recalcule, créé au besoin)")
    parser.add_argument("--jobs", metavar="N", type=_positive,
                        help="nombre de processus en parallèle (défaut : un par cœur)")
    parser.add_argument("--moteur", choices=("auto", "python", "formules", "excel"), default="auto",
                        help="auto (défaut) : moteur rapide, ou moteur « formules » si la synthèse a été "
                             "modifiée ; python : moteur rapide seul ; formules : évaluation complète ; "
                             "excel : Excel via xlwings (Windows/macOS)")
    parser.add_argument("--sans-progression", action="store_true", help="n'affiche pas la progression")
    parser.add_argument("--date-reference", metavar="JJ/MM/AAAA", type=reference_date,
                        help="date du jour pour la « Prochaine échéance » du rapport (défaut : aujourd'hui)")
    parser.set_defaults(run=run)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"« {text} » n'est pas un nombre entier") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} refusé : au moins 1 processus")
    return value


def reference_date(text: str) -> dt.date:
    """--date-reference: JJ/MM/AAAA or AAAA-MM-JJ."""
    from ..coerce import to_date

    try:
        return to_date(text, "--date-reference", default_today=False) or dt.date.today()
    except XlaeError as error:
        # argparse already names the option: do not repeat it
        raise argparse.ArgumentTypeError(str(error).removeprefix("--date-reference : ")) from None


def run(args: argparse.Namespace) -> int:
    from ..batch.batch import recalculate
    from ..batch.console import print_result

    result = recalculate(args.chemins, args.sortie, args.jobs, args.moteur, getattr(args, "bareme", None),
                         progress=not args.sans_progression, today=args.date_reference)
    print_result(result)
    return result.exit_code
