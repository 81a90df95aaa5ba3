"""``xlae importer``: credits of a bank statement → livre des recettes (preview, then --appliquer)."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import TYPE_CHECKING

from ..errors import XlaeError
from ..format import day, euros

if TYPE_CHECKING:  # the ledger tools load heavy modules: imported by the functions that use them
    from ..ledger import importing


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "importer", help="importe les crédits d'un relevé bancaire (CSV, OFX, QIF ou CAMT.053) dans le livre des "
                          "recettes",
        description="Lit un relevé bancaire CSV, OFX, QIF ou CAMT.053 (export de votre banque), transforme les crédits en "
                    "recettes (date d'encaissement = date du relevé) et affiche un aperçu. Avec --appliquer, "
                    "les ajoute à la feuille Recettes (une sauvegarde du classeur est faite avant). Réimporter "
                    "le même relevé n'ajoute rien ; un crédit qui ressemble à une recette déjà saisie à la main "
                    "(même montant à 7 jours près, ou même référence) n'est ajouté que si vous le demandez.")
    parser.add_argument("releve", metavar="RELEVE.csv", help="export CSV, OFX, QIF ou CAMT.053 (XML) du relevé bancaire")
    parser.add_argument("--classeur", required=True, metavar="FICHIER.xlsx", help="classeur créé avec xlae modele")
    parser.add_argument("--regles", metavar="REGLES.csv",
                        help="règles de classement : motif;client;categorie;nature;mode[;reference]")
    parser.add_argument("--colonnes", metavar="ROLE=COLONNE,…",
                        help="colonnes du relevé quand la détection se trompe : date=1,montant=2,libelle=5 "
                             "(numéros à partir de 1, ou texte de l'en-tête ; rôles : date, libelle, montant, "
                             "debit, credit, complement, tiers)")
    parser.add_argument("--ajouter-lignes", metavar="N[,N…]", default="",
                        help="lignes du relevé à ajouter même si elles semblent déjà saisies à la main")
    parser.add_argument("--appliquer", action="store_true", help="écrit les recettes dans le classeur")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, today: dt.date | None = None) -> int:
    from ..books.write import writing

    if not args.appliquer:
        return _run(args, args.classeur, today)
    with writing(args.classeur, "xlae importer --appliquer") as path:  # one writer at a time
        return _run(args, path, today)


def _run(args: argparse.Namespace, path, today: dt.date | None) -> int:
    from ..books.calamine import open_books
    from ..books.write import RECALC_NOTE, refuse_if_open_in_excel, save
    from ..ledger import importing
    from ..ledger.closing import read_closures
    from ..ledger.regles import read_rules
    from ..ledger.statement import read_statement
    from ..rules.vocabulary import parse_activite
    from ..template import layout

    today = today or dt.date.today()
    book = open_books(path)
    raw, where = book.parameter("activite")
    default_categorie = parse_activite(raw, f"{where} (activite)").value
    closures, _ = read_closures(book)
    force = _lines(getattr(args, "ajouter_lignes", ""))
    statement = read_statement(args.releve, getattr(args, "colonnes", None))
    rules = read_rules(args.regles) if args.regles else []
    proposals = importing.propose(statement, rules, importing.ledger_receipts(book), default_categorie,
                                  closures, today, force)
    unknown = sorted(force - {p.line.line for p in proposals})
    if unknown:
        raise XlaeError(f"--ajouter-lignes : ligne(s) {', '.join(map(str, unknown))} : pas un crédit du relevé "
                        f"{statement.path.name} ; indiquez les numéros de la colonne « Ligne » de l'aperçu.",
                        "--ajouter-lignes")
    for line in preview(statement, proposals):
        print(line)
    new = [p for p in proposals if p.status == importing.NOUVELLE]
    too_low = importing.uncovered(book, len(new))
    if not new:
        print("Rien à ajouter au livre des recettes.")
        return 0
    if too_low and args.appliquer:
        raise XlaeError(f"classeur : {too_low}, puis relancez l'import. Rien n'a été écrit dans "
                        f"{book.name}.", "classeur")
    if not args.appliquer:
        if too_low:
            print(f"Attention : {too_low} ; --appliquer refusera d'écrire dans ce classeur.")
        else:
            print(f"Aperçu seulement : relancez avec --appliquer pour ajouter {_n(len(new), 'recette')} "
                  f"à la feuille {layout.SHEET_RECETTES}.")
        return 0
    refuse_if_open_in_excel(book.path)
    edits, first, last = importing.append_receipts(book, proposals)
    backup = save(edits)
    print(f"{_n(len(new), 'recette ajoutée', 'recettes ajoutées')} à la feuille {layout.SHEET_RECETTES} "
          f"(lignes {first} à {last}) de {book.name}.")
    print(f"Version précédente sauvegardée : {backup.name}")
    print(RECALC_NOTE)
    return 0


def _lines(text: str) -> frozenset[int]:
    try:
        return frozenset(int(part) for part in text.replace(" ", "").split(",") if part)
    except ValueError:
        raise XlaeError(f"--ajouter-lignes : {text!r} illisible ; attendu des numéros de ligne du relevé "
                        "séparés par des virgules, par exemple « 12,15 ».", "--ajouter-lignes") from None


def _n(count: int, singular: str, plural: str | None = None) -> str:
    return f"{count} {singular if count == 1 else (plural or singular + 's')}"


def describe_layout(statement) -> list[str]:
    """What was understood of the file: format, encoding, separator, which column is what."""
    from ..ledger.statement import NAMED_FORMATS

    if statement.how in NAMED_FORMATS:
        return [f"Relevé {statement.path.name} : {statement.encoding}."]
    separator = "tabulation" if statement.delimiter == chr(9) else statement.delimiter
    where = f"en-tête ligne {statement.header_line}" if statement.header_line else "sans ligne d'en-tête"
    roles = [r for r in ("date", "libelle", "tiers", "complement", "debit", "credit", "montant")
             if r in statement.columns]
    if statement.how == "en-tête":
        read = ", ".join(statement.columns[r] for r in roles)
        return [f"Relevé {statement.path.name} : {statement.encoding}, séparateur « {separator} », {where} "
                f"(colonnes lues : {read})."]
    from ..ledger.statement_columns import ROLE_NAMES
    read = "; ".join(f"{ROLE_NAMES[r]} = {statement.columns[r]}"
                     + (f" (ex. « {statement.examples[r][:30]} »)" if statement.examples.get(r) else "")
                     for r in roles)
    how = "d'après leur contenu" if statement.how == "contenu" else "comme indiqué par --colonnes"
    lines = [f"Relevé {statement.path.name} : {statement.encoding}, séparateur « {separator} », {where}.",
             f"Colonnes comprises {how} : {read}."]
    if statement.how == "contenu":
        numbers = ",".join(f"{r}={statement.columns[r].split()[1]}" for r in roles)
        lines.append(f"Vérifiez-les ; si c'est faux, relancez avec --colonnes {numbers} corrigé.")
    return lines


def preview(statement, proposals: list[importing.Proposal]) -> list[str]:
    """The preview table and the summary, in French."""
    from ..ledger import importing

    lines = describe_layout(statement)
    if statement.ignored_columns:
        lines.append(f"Colonnes ignorées : {', '.join(statement.ignored_columns)}.")
    header = f"{'Ligne':>5}  {'Date':10}  {'Montant':>13}  {'Catégorie':12}  {'Mode':14}  {'Référence':12}  " \
             f"{'Client':18}  Statut"
    lines += ["", header, "-" * len(header)]
    for p in proposals:
        v = p.values
        categorie = (v.get("categorie", "") + (" (défaut)" if p.default_categorie else "")) if v else ""
        status = p.status + (f" — {p.reason}" if p.reason else "")
        client = (v.get("client", "")[:17] + "*") if p.client_proposed else v.get("client", "")
        label = p.line.label if not v else ""
        lines.append(f"{p.line.line:>5}  {day(p.line.date):10}  {euros(p.line.amount):>13}  {categorie[:12]:12}  "
                     f"{v.get('mode', '')[:14]:14}  {v.get('reference', '')[:12]:12}  "
                     f"{(client or label)[:18]:18}  {status}")
    counts = {s: sum(1 for p in proposals if p.status == s)
              for s in (importing.NOUVELLE, importing.DEJA, importing.DOUBLON, importing.IGNOREE, importing.CLOSE)}
    debits = sum(1 for line in statement.lines if line.amount < 0)
    lines += ["", f"Résumé : {counts[importing.NOUVELLE]} à ajouter, {counts[importing.DEJA]} déjà importée(s), "
                  f"{counts[importing.DOUBLON]} déjà saisie(s) à la main ?, "
                  f"{counts[importing.IGNOREE]} ignorée(s), {counts[importing.CLOSE]} en période close ; "
                  f"{_n(debits, 'débit')} non importé(s) (ce ne sont pas des recettes)."]
    if counts[importing.DOUBLON]:
        lines.append("« déjà saisie à la main ? » : une recette du livre a le même montant à 7 jours près (ou la "
                     "même référence) ; ce crédit n'est pas ajouté, sauf avec --ajouter-lignes N.")
    if statement.skipped:
        shown = ", ".join(f"{n} ({why})" for n, why in statement.skipped[:20])
        more = f" … ({len(statement.skipped)} au total)" if len(statement.skipped) > 20 else ""
        lines.append(f"Lignes du relevé sans opération écartées : {shown}{more}.")
    new = [p for p in proposals if p.status == importing.NOUVELLE]
    if any(p.client_proposed for p in new):
        lines.append("* client proposé d'après le relevé (aucune règle ne le donne) : vérifiez-le dans le livre.")
    todo = []
    for key, what in (("reference", "référence de la pièce"), ("client", "client"), ("mode", "mode de règlement")):
        missing = sum(1 for p in new if not p.values.get(key))
        if missing:
            todo.append(f"{what} ({missing})")
    if any(p.default_categorie for p in new):
        todo.append(f"catégorie par défaut, celle des Paramètres ({sum(1 for p in new if p.default_categorie)})")
    if todo:
        lines.append("À compléter ou vérifier ensuite dans le livre : " + ", ".join(todo)
                     + " ; « xlae verifier » signale ce qui manque.")
    return lines
