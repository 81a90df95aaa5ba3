"""A self-contained ``main.py`` for xlwings Lite: xlae's functions with no web hosting.

Why: xlwings Lite (Excel 365 on Windows, Mac and the web) runs Python in the
browser and installs packages only from PyPI or from a wheel the user hosts at
an https address. Our users host nothing: the ``main.py`` written here carries
the modules the AE_* functions import and the rates sheet, zipped and encoded,
and unpacks them into Pyodide's temporary folder when Lite loads it.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

from . import __version__

UDF_MODULES = ("xlae.udfs", "xlae.udfs_droits")
LINE = 100  # characters of base64 per line of main.py
_EPOCH = (1980, 1, 1, 0, 0, 0)  # zip timestamps: the same bytes at every build

HEADER = '''"""xlae {version} pour xlwings Lite — les fonctions AE_* des micro-entrepreneurs dans Excel.

Fichier généré par « xlae lite » : ne le modifiez pas. Dans Excel, ouvrez xlwings Lite,
remplacez tout le contenu de l'onglet main.py par ce fichier, enregistrez (Ctrl+S) :
=AE_PLAFOND("bnc"; 2026) répond 83600. Rien à ajouter dans requirements.txt.
Contenu : {count} fichiers de xlae, barème intégré ({rows} lignes), empreinte {digest}.
"""

import base64
import hashlib
import io
import os
import sys
import tempfile
import zipfile

_XLAE = (
'''

FOOTER = '''
)


def _install():
    """Unpack xlae once per content into the temporary folder and put it first on sys.path."""
    data = base64.b64decode("".join(_XLAE))
    digest = hashlib.sha256(data).hexdigest()[:16]
    target = os.path.join(tempfile.gettempdir(), "xlae-lite-" + digest)
    if not os.path.isdir(os.path.join(target, "xlae")):
        partial = target + ".%d" % os.getpid()
        zipfile.ZipFile(io.BytesIO(data)).extractall(partial)
        try:
            os.replace(partial, target)
        except OSError:  # another load unpacked it first
            pass
    for name in [m for m in sys.modules if m == "xlae" or m.startswith("xlae.")]:
        if not (getattr(sys.modules[name], "__file__", "") or "").startswith(target):
            del sys.modules[name]  # an older main.py's xlae: take this one
    if target not in sys.path:
        sys.path.insert(0, target)


_install()

from xlae.excel import upper_case_names  # noqa: E402
from xlae.udfs import *  # noqa: E402,F401,F403 - the AE_* functions, registered by xlwings Lite
from xlae.udfs_droits import *  # noqa: E402,F401,F403 - rights, income tax, forecasts

__getattr__ = upper_case_names(globals())  # xlwings Lite calls them by their Excel name
'''


def bundled_modules() -> list[str]:
    """The xlae modules that importing the UDF module loads, asked of a fresh interpreter."""
    code = (f"import sys, json, {', '.join(UDF_MODULES)}; "
            "print(json.dumps(sorted(m for m in sys.modules if m == 'xlae' or m.startswith('xlae.'))))")
    output = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    return json.loads(output)


def bundle_files() -> dict[str, bytes]:
    """Archive name → bytes: each bundled module's source, the rates sheet and the data package."""
    root = Path(__file__).resolve().parent.parent
    files: dict[str, bytes] = {}
    for name in bundled_modules():
        module = sys.modules.get(name) or __import__(name, fromlist=["_"])
        path = Path(module.__file__).resolve()
        files[path.relative_to(root).as_posix()] = path.read_bytes()
    data = Path(__file__).resolve().parent / "data"
    for path in (data / "__init__.py", data / "baremes.csv"):
        files[path.relative_to(root).as_posix()] = path.read_bytes()
    return files


def main_py() -> str:
    """The text of the self-contained ``main.py``."""
    files = bundle_files()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[name])
    data = buffer.getvalue()
    encoded = base64.b64encode(data).decode("ascii")
    rows = files["xlae/data/baremes.csv"].decode("utf-8").count("\n") - 1
    header = HEADER.format(version=__version__, count=len(files), rows=rows,
                           digest=hashlib.sha256(data).hexdigest()[:16])
    lines = "".join(f'    "{encoded[i:i + LINE]}"\n' for i in range(0, len(encoded), LINE))
    return header + lines + FOOTER
