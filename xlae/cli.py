"""Command line ``xlae``: one sub-command per module of ``xlae.commands``.

Why: each capability (simulator, template, batch, ledger tools) owns its module
and registers itself; this file only dispatches and turns every user error into
a French message with exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from typing import Sequence

from . import __version__, commands
from .errors import XlaeError, os_reason

# argparse's own messages, in French (argparse looks ``_`` up at call time).
_FRENCH = {
    "usage: ": "usage : ",
    "options": "options",
    "positional arguments": "arguments",
    "show this help message and exit": "affiche cette aide et quitte",
    "the following arguments are required: %s": "arguments obligatoires manquants : %s",
    "unrecognized arguments: %s": "arguments non reconnus : %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "choix invalide : %(value)r (choix possibles : %(choices)s)",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s : %(message)s",
    "expected one argument": "une valeur attendue",
    "invalid %(type)s value: %(value)r": "valeur invalide : %(value)r",
    "%(prog)s: error: %(message)s\n": "%(prog)s : erreur : %(message)s\n",
    "not allowed with argument %s": "incompatible avec l'argument %s",
    "ambiguous option: %(option)s could match %(matches)s": "option ambiguë : %(option)s peut désigner %(matches)s",
}
argparse._ = lambda text: _FRENCH.get(text, text)  # type: ignore[attr-defined]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="xlae", description="Les règles des micro-entrepreneurs dans vos classeurs Excel.")
    parser.add_argument("--version", action="version", version=f"xlae {__version__}",
                        help="affiche la version et quitte")
    parser.add_argument("--bareme", metavar="FICHIER",
                        help="barème CSV à utiliser à la place du barème intégré (ou variable XLAE_BAREME)")
    sub = parser.add_subparsers(dest="commande", metavar="COMMANDE", title="commandes")
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{commands.__name__}.{info.name}")
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.commande is None:
        parser.print_help()
        return 2
    try:
        if args.bareme:
            from .rates import set_rates_path
            set_rates_path(args.bareme)
        return int(args.run(args) or 0)
    except XlaeError as error:
        print(f"Erreur : {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into `head` and closed early: not an error
        sys.stderr.close()
        return 0
    except OSError as error:  # a file operation no command anticipated: French reason, never a traceback
        where = f" sur « {error.filename} »" if error.filename else ""
        print(f"Erreur : opération impossible{where} ({os_reason(error)}).", file=sys.stderr)
        return 2
    except MemoryError:
        print("Erreur : mémoire insuffisante pour cette commande.", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("Interrompu.", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
