"""``xlae baremes CLASSEUR``: replace a workbook's Barèmes sheet with the installed rates sheet.

Why: the Synthèse computes with its own Barèmes sheet, copied when the workbook
was created; after an xlae update (new year's ceilings, a corrected rate) the
user's workbook keeps the old rows. This command brings them up to date without
losing the rows the user added (kept and listed), under the ledger commands'
lock, backup and atomic write.
"""

from __future__ import annotations

import argparse

from ..errors import XlaeError


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "baremes", help="met à jour la feuille Barèmes d'un classeur avec le barème installé",
        description="Remplace la feuille Barèmes du classeur par le barème installé (celui de cette version "
                    "de xlae, ou celui de --bareme), garde les lignes que vous y avez ajoutées et les liste, "
                    "sauvegarde d'abord la version précédente. La Synthèse affiche ensuite la nouvelle "
                    "version du barème.")
    parser.add_argument("classeur", metavar="FICHIER.xlsx", help="classeur créé avec xlae modele")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..books.write import writing

    with writing(args.classeur, "xlae baremes") as path:  # one writer at a time, from reading to saving
        return _update(path)


def _update(path) -> int:
    from ..books.calamine import open_books
    from ..books.write import RECALC_NOTE, save_workbook
    from ..rates import get_rates
    from ..template import build, layout
    from ..template import bareme_classeur as B
    from ..template import natif

    book = open_books(path)  # the template's checks and French errors, as every ledger command
    if not book.has(layout.SHEET_BAREMES):
        raise XlaeError(f"classeur : {book.path.name} n'a pas de feuille « {layout.SHEET_BAREMES} » ; il n'a pas "
                        "été créé avec « xlae modele ».", "classeur")
    wb = _load(book.path)
    sheet = wb[layout.SHEET_BAREMES]
    own = B.rates_from_rows([list(r) for r in sheet.iter_rows(values_only=True)],
                            f"{book.path.name}, feuille {layout.SHEET_BAREMES}")
    installed = get_rates()
    diff = B.difference(own, installed)
    old, new = natif.rates_version(own), natif.rates_version(installed)
    if not (diff.changed or diff.missing) and old == new:
        print(f"Feuille {layout.SHEET_BAREMES} de {book.path.name} déjà à jour (barème xlae du {new:%d/%m/%Y}) ; "
              "rien n'a été modifié.")
        _list_added(diff.added)
        return 0
    rows = B.merged_rows(own, installed)
    index = wb.sheetnames.index(layout.SHEET_BAREMES)
    wb.remove(sheet)
    build.write_baremes(wb.create_sheet(layout.SHEET_BAREMES, index), rows, new)
    backup = save_workbook(book.path, wb)
    print(f"Feuille {layout.SHEET_BAREMES} de {book.path.name} mise à jour : barème xlae du {old:%d/%m/%Y} → "
          f"{new:%d/%m/%Y} ({len(installed.rows)} lignes du barème installé).")
    if diff.missing:
        print(f"{len(diff.missing)} ligne(s) nouvelle(s) du barème installé ajoutée(s).")
    if diff.changed:
        print(f"{len(diff.changed)} valeur(s) que vous aviez modifiée(s) remplacée(s) par celle du barème installé :")
        for rate in diff.changed:
            print(f"  - {B.describe(rate)} (la vôtre) → {format(installed.value(rate.parametre, rate.categorie, rate.zone, rate.date_effet).normalize(), 'f')}")
    _list_added(diff.added)
    print(f"Version précédente sauvegardée : {backup.name}")
    print(RECALC_NOTE)
    return 0


def _load(path):
    """The whole workbook in openpyxl (formulas kept): the Barèmes sheet is rewritten with its styles."""
    from openpyxl import load_workbook

    from ..books.calamine import damaged

    try:
        return load_workbook(path, data_only=False, keep_vba=path.suffix.lower() == ".xlsm")
    except Exception:  # the file passed the archive checks; openpyxl's text is English
        raise damaged(path, None) from None


def _list_added(added: list) -> None:
    from ..template.bareme_classeur import describe

    if not added:
        print("Aucune ligne ajoutée par vous.")
        return
    print(f"{len(added)} ligne(s) ajoutée(s) par vous, conservée(s) à la fin de la feuille :")
    for rate in added:
        print(f"  - {describe(rate)}")
