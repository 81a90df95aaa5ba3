"""``xlae lite``: writes the self-contained ``main.py`` to paste into xlwings Lite.

Why: the route to the AE_* functions in Excel 365 (Windows, Mac, web) that
needs neither Python on the computer nor a web server (see ``xlae.lite``).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import XlaeError

DEFAULT_NAME = "main.py"


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("lite", help="écrit le main.py à coller dans xlwings Lite (Excel 365, Mac, web)",
                            description="Écrit un fichier main.py autonome (xlae et son barème inclus) à coller "
                                        "dans l'onglet main.py de xlwings Lite : les fonctions AE_* sont alors "
                                        "disponibles dans Excel, sans rien installer d'autre.")
    parser.add_argument("--sortie", metavar="FICHIER", default=DEFAULT_NAME,
                        help=f"fichier à écrire (défaut : ./{DEFAULT_NAME}) ; un fichier existant n'est "
                             "remplacé qu'avec --force")
    parser.add_argument("--force", action="store_true", help="remplace le fichier s'il existe")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from .. import atomic
    from ..lite import main_py

    target = Path(args.sortie)
    if target.is_dir():
        raise XlaeError(f"--sortie : « {target} » est un dossier ; donnez un nom de fichier (ex. main.py).")
    if target.exists() and not args.force:
        raise XlaeError(f"--sortie : « {target} » existe déjà ; il n'est pas remplacé (ajoutez --force).")
    text = main_py()
    try:
        atomic.write_bytes(target, text.encode("utf-8"))
    except OSError as error:
        raise XlaeError(f"--sortie : impossible d'écrire « {target} » ({error.strerror or error}).") from None
    print(f"Écrit : {target} ({len(text) // 1024} Ko).")
    print("Dans Excel : ouvrez xlwings Lite, remplacez tout le contenu de l'onglet main.py par ce fichier,")
    print('enregistrez (Ctrl+S), puis tapez =AE_PLAFOND("bnc"; 2026) dans une cellule.')
    return 0
