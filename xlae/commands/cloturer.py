"""``xlae cloturer``: freeze a period of the books with a fingerprint and a read-only archive copy."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import stat
from decimal import Decimal

from ..errors import XlaeError, os_reason


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "cloturer", help="clôture une période : empreinte des lignes et copie d'archive",
        description="Enregistre dans le classeur (feuille masquée « Clôtures ») l'empreinte SHA-256 des "
                    "lignes de la période (recettes et achats datés dans la période) et crée à côté une "
                    "copie d'archive en lecture seule. « xlae verifier » signale ensuite toute ligne de la "
                    "période modifiée, ajoutée ou supprimée.")
    parser.add_argument("classeur", metavar="FICHIER.xlsx", help="classeur créé avec xlae modele")
    parser.add_argument("--periode", required=True, metavar="PERIODE",
                        help="un mois (2026-03), un trimestre (2026-T1) ou une année (2026)")
    parser.set_defaults(run=run)


def archive_name(book_path, code: str):
    return book_path.with_name(f"{book_path.stem}.cloture-{code}{book_path.suffix}")


def run(args: argparse.Namespace, today: dt.date | None = None, now: dt.datetime | None = None) -> int:
    from ..books.write import writing
    from ..format import day
    from ..ledger.periods import parse_period

    now = now or dt.datetime.now()
    today = today or now.date()
    period = parse_period(args.periode, allow_year=True)
    if period.fin >= today:
        raise XlaeError(f"--periode : {period.label} n'est pas terminée (elle finit le {day(period.fin)}) ; "
                        "on ne clôture qu'une période passée.", "--periode")
    with writing(args.classeur, "xlae cloturer") as path:  # one writer at a time, from reading to saving
        return _close(period, path, today, now)


def _close(period, path, today: dt.date, now: dt.datetime) -> int:
    from ..atomic import copy_file
    from ..books.calamine import open_books
    from ..books.write import refuse_if_open_in_excel, save
    from ..format import day, euros
    from ..ledger import closing
    from ..ledger.checks import check_book
    from ..template import layout

    book = open_books(path)
    closures, problems = closing.read_closures(book)
    closing.require_readable(problems, book)
    done = next((c for c in closures if c.periode == period.code), None)
    if done is not None:
        missing = ""
        if done.archive and not os.path.lexists(book.path.with_name(done.archive)):
            missing = (f" ; sa copie d'archive {done.archive} n'est pas dans le dossier (déplacée, ou la clôture "
                       "a été interrompue) : si vous ne l'avez pas, gardez une copie du classeur")
        raise XlaeError(f"--periode : {period.code} est déjà clôturée (le {closing.stamp_day(done.cloturee_le)}) ; "
                        f"rien n'a été modifié{missing}.", "--periode")
    rows = closing.rows_in(book, period.debut, period.fin)
    blocking = [f for f in check_book(book, today)
                if f.sheet in (layout.SHEET_RECETTES, layout.SHEET_ACHATS)
                and any(f.row == r.row and f.sheet == r.sheet for r in rows)]
    if blocking:
        listed = " ; ".join(f.text() for f in blocking[:5])
        raise XlaeError(f"{len(blocking)} anomalie(s) sur des lignes {period.of_label} : corrigez-les avant "
                        f"de clôturer (xlae verifier) — {listed}", "classeur")
    archive = archive_name(book.path, period.code)
    if os.path.lexists(archive):
        raise XlaeError(f"la copie d'archive {archive.name} existe déjà ; déplacez-la avant de clôturer "
                        "de nouveau.", "classeur")
    refuse_if_open_in_excel(book.path)
    records = closing.closure_rows(period.code, period.debut, period.fin, rows, archive.name, now)
    backup = save(closing.append_closure(book, records))
    try:  # temporary file, fsync, then the name: never a truncated archive, never over another file
        copy_file(book.path, archive, mode=stat.S_IREAD | stat.S_IRGRP | stat.S_IROTH)
    except OSError as error:
        raise XlaeError(f"la clôture est enregistrée dans {book.name}, mais la copie d'archive "
                        f"{archive.name} n'a pas pu être créée ({os_reason(error)}) ; copiez le classeur "
                        "vous-même.", "classeur") from None
    receipts = sum(1 for r in rows if r.sheet == layout.SHEET_RECETTES)
    print(f"Période {period.code} ({period.label}, du {day(period.debut)} au {day(period.fin)}) clôturée : "
          f"{receipts} recette(s), {len(rows) - receipts} achat(s), total encaissé {euros(Decimal(records[0][8]))}.")
    print(f"Empreinte SHA-256 de la période : {records[0][6]}")
    print(f"Enregistrée dans la feuille masquée « {layout.SHEET_CLOTURES} » de {book.name} ; "
          f"copie d'archive en lecture seule : {archive.name} (gardez-la hors de ce dossier, et notez "
          "l'empreinte).")
    print(f"Version précédente sauvegardée : {backup.name}")
    return 0
