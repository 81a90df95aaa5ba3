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
    from ..books.calamine import open_books, sheet_grid
    from ..books.write import RECALC_NOTE, save
    from ..rates import get_rates
    from ..template import layout
    from ..template import bareme_classeur as B
    from ..template import natif
    from ..template.synthese import BAREMES_LAST

    book = open_books(path)  # the template's checks and French errors, as every ledger command
    grid = sheet_grid(book, layout.SHEET_BAREMES)
    if grid is None:
        raise XlaeError(f"classeur : {book.path.name} n'a pas de feuille « {layout.SHEET_BAREMES} » ; il n'a pas "
                        "été créé avec « xlae modele ».", "classeur")
    own = B.rates_from_rows(grid, f"{book.path.name}, feuille {layout.SHEET_BAREMES}")
    installed = get_rates()
    diff = B.difference(own, installed)
    old, new = natif.rates_version(own), natif.rates_version(installed)
    if not (diff.changed or diff.missing) and old == new:
        print(f"Feuille {layout.SHEET_BAREMES} de {book.path.name} déjà à jour (barème xlae du {new:%d/%m/%Y}) ; "
              "rien n'a été modifié.")
        _list_added(diff.added)
        return 0
    rows = B.merged_rows(own, installed)
    if len(rows) + 1 > BAREMES_LAST:
        raise XlaeError(f"classeur : {len(rows)} lignes de barème (installées et ajoutées par vous) ; la feuille "
                        f"{layout.SHEET_BAREMES} du modèle en prévoit au plus {BAREMES_LAST - 1} : retirez des "
                        "lignes ajoutées ; rien n'a été modifié.", "classeur")
    backup = save(_edits(book, grid, B.rows_values(rows), new))
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


def _edits(book, grid: list, values: list[tuple], version):
    """Rows A..K of Barèmes and its version cell (M2), spliced into that sheet only.

    Why: every other part of the workbook (the user's own sheets, charts, formats that
    openpyxl would drop) is copied byte for byte; rows left over from a longer sheet
    are emptied; the filter covers the new rows; formulas recalculate on opening.
    """
    from ..books.write import Edits
    from ..rates import COLUMNS
    from ..template import layout, natif

    edits = Edits(book)
    letters = [chr(ord("A") + i) for i in range(len(COLUMNS))]
    sheet, first = layout.SHEET_BAREMES, layout.FIRST_DATA_ROW
    for row, cells in enumerate(values, start=first):
        edits.put(sheet, row, dict(zip(letters, cells)))
    for row in range(first + len(values), len(grid) + 1):
        edits.put(sheet, row, dict.fromkeys(letters))
    edits.rows[sheet].setdefault(natif.VERSION_ROW, dict.fromkeys(letters))[natif.VERSION_COL] = version
    edits.kinds[sheet] = {"D": "date", "J": "date", natif.VERSION_COL: "date"}
    edits.filters[sheet] = f"A1:{letters[-1]}{len(values) + 1}"
    edits.recalc_on_open = True
    return edits


def _list_added(added: list) -> None:
    from ..template.bareme_classeur import describe

    if not added:
        print("Aucune ligne ajoutée par vous.")
        return
    print(f"{len(added)} ligne(s) ajoutée(s) par vous, conservée(s) à la fin de la feuille :")
    for rate in added:
        print(f"  - {describe(rate)}")
