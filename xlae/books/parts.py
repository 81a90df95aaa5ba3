"""Check every XML part of a workbook before any reader trusts it.

Why: the fast reader (calamine) reads a sheet with one mismatched tag without a
word, and the ledger tools never parse the sheets they do not need (a damaged
Synthèse went unnoticed by ``declaration``): a damaged file would give figures
as if it were whole. One streaming pass of expat over each part (bounded
memory, about 0.2 s for 100 000 ledger rows) finds a broken tag, a truncated
part, a part whose compressed data is damaged, a DTD (never in an Excel file:
entity expansion is how an XML bomb inflates), a shared-string cell whose index
is not a number and a sheet part missing from the archive, and names the part
and its sheet.
"""

from __future__ import annotations

import re
import weakref
import zipfile
import zlib
from xml.parsers import expat

from ..batch import xlsx
from .archive import UnreadableWorkbook

_CHUNK = 1 << 20
_OVERLAP = 4096  # a cell cut between two chunks is searched again whole
# A shared-string cell (t="s") whose value is not an index: <c r="E2" t="s"><v>abc</v></c>
# (the literal first: 0.03 s over 100 000 rows).
_BAD_SHARED = re.compile(rb't="s"[^>]*>\s*<v>(?![0-9]+</v>)')
_REF = re.compile(rb'\br="([A-Z]{1,3}[0-9]{1,7})"')
_REASONS = {
    expat.errors.XML_ERROR_TAG_MISMATCH: "une balise fermante ne correspond pas à la balise ouverte",
    expat.errors.XML_ERROR_NO_ELEMENTS: "partie vide ou tronquée",
    expat.errors.XML_ERROR_UNCLOSED_TOKEN: "partie tronquée",
    expat.errors.XML_ERROR_PARTIAL_CHAR: "partie tronquée au milieu d'un caractère",
    expat.errors.XML_ERROR_INVALID_TOKEN: "caractère ou balise invalide",
    expat.errors.XML_ERROR_UNDEFINED_ENTITY: "entité XML inconnue",
    expat.errors.XML_ERROR_JUNK_AFTER_DOC_ELEMENT: "contenu après la fin du document",
    expat.errors.XML_ERROR_SYNTAX: "syntaxe XML invalide",
    expat.errors.XML_ERROR_DUPLICATE_ATTRIBUTE: "attribut en double",
    expat.errors.XML_ERROR_UNBOUND_PREFIX: "préfixe d'espace de noms non déclaré",
}


class DamagedPart(UnreadableWorkbook):
    """Une partie du classeur est endommagée ou absente (le message nomme la partie et sa feuille)."""


class _Doctype(Exception):
    pass


# Parts found well formed before, by name, declared sizes and CRC, and a digest of their compressed
# bytes (``xlsx.raw_key``): every standard workbook of a batch holds the same Synthèse, styles,
# theme… (≈ 700 KB of XML, ≈ 5 ms of expat per workbook), whose compressed bytes (≈ 60 KB) hash
# in a tenth of a millisecond.
# Equal compressed bytes inflate to equal XML, so the verdict is the same; a damaged part is never kept.
_WELL_FORMED: dict[tuple, bool] = {}  # -> a sheet without any formula tag (``formula_free``)
_UNSEEN = object()
_WELL_FORMED_KEPT = 256
_KNOWN_MAX = 4 << 20  # larger parts are a workbook's own ledger: seen once, not worth remembering


def check_parts(archive: zipfile.ZipFile, advice: str) -> None:
    """Raise ``DamagedPart`` (French, naming the part and its sheet) unless every XML part is well formed
    and every sheet of workbook.xml is in the archive. ``advice``: the remedy appended to the message."""
    sheets: dict[str, str] = {}
    for info in archive.infolist():
        name = info.filename
        if not name.lower().endswith((".xml", ".rels")) or info.is_dir():
            continue
        key = xlsx.raw_key(archive, info, _KNOWN_MAX)
        known = _WELL_FORMED.get(key, _UNSEEN) if key is not None else _UNSEEN
        if known is _UNSEEN:
            reason, formula_free = _xml_problem(archive, info)
        else:
            reason, formula_free = None, known
        if formula_free:
            _FORMULA_FREE.setdefault(archive, set()).add(name)
        if not reason and key is not None and known is _UNSEEN:
            if len(_WELL_FORMED) >= _WELL_FORMED_KEPT:
                del _WELL_FORMED[next(iter(_WELL_FORMED))]  # oldest first
            _WELL_FORMED[key] = formula_free
        if reason:
            if not sheets:
                sheets = _sheet_of_part(archive)
            sheet = f" (feuille « {sheets[name]} »)" if name in sheets else ""
            raise DamagedPart(f"partie « {name} »{sheet} endommagée ({reason}) : {advice}.")
    present = set(archive.namelist())
    for sheet, member in _sheet_parts(archive).items():
        if member not in present:
            raise DamagedPart(f"partie « {member} » (feuille « {sheet} ») absente de l'archive : la feuille est "
                              f"déclarée dans le classeur mais son contenu manque : {advice}.")


def formula_free(archive: zipfile.ZipFile, member: str) -> bool:
    """Did the check of ``archive`` see that sheet ``member`` holds no formula (no ``<f`` tag at all)?

    Why: the ledger tools list the formula cells of the ledgers (37 MB of XML at 100 000 rows,
    ≈ 0.2 s to inflate and scan again) where there almost never is one; the check's own pass
    looks for the tag ``xlsx.formula_cells`` starts from, in each chunk it reads anyway.
    """
    return member in _FORMULA_FREE.get(archive, ())


# archive -> its sheet parts without a formula tag, as seen by check_parts (gone with the archive)
_FORMULA_FREE: "weakref.WeakKeyDictionary[zipfile.ZipFile, set[str]]" = weakref.WeakKeyDictionary()


def _xml_problem(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[str | None, bool]:
    """(why the part is damaged or None, whether it is a sheet without any formula tag)."""
    parser = expat.ParserCreate()

    def refuse_doctype(*_args: object) -> None:
        raise _Doctype

    parser.StartDoctypeDeclHandler = refuse_doctype
    sheet = "/worksheets/" in info.filename
    tail = b""
    needle = None  # « <f » (root's prefix) then what xlsx.formula_cells takes for the end of the name
    formula = False
    try:
        with archive.open(info) as stream:
            while True:
                chunk = stream.read(_CHUNK)
                parser.Parse(chunk, not chunk)
                if sheet:
                    text = tail + chunk
                    bad = _BAD_SHARED.search(text)
                    if bad:  # calamine would read such a cell as empty, without a word
                        ref = _REF.search(text, text.rfind(b"<c", 0, bad.start()), bad.end())
                        where = f"cellule {ref.group(1).decode()}" if ref else "une cellule"
                        return f"{where} : renvoi vers le tableau des textes partagés qui n'est pas un numéro", False
                    if needle is None:
                        needle = re.compile(re.escape(xlsx.formula_needle(chunk)) + rb"[ >/\t\r\n]")
                    formula = formula or needle.search(text) is not None
                    tail = chunk[-_OVERLAP:]
                if not chunk:
                    return None, sheet and not formula
    except expat.ExpatError as error:
        why = _REASONS.get(expat.errors.messages[error.code], "XML mal formé")
        return f"{why}, ligne {error.lineno}, colonne {error.offset + 1}", False
    except _Doctype:
        return "déclaration DOCTYPE, qu'un classeur Excel n'a jamais : fichier suspect", False
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError):
        return "données compressées endommagées", False


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    try:
        return xlsx.read_package(archive).sheets
    except Exception:  # workbook.xml or its relationships missing: the readers say which, in French
        return {}


def _sheet_of_part(archive: zipfile.ZipFile) -> dict[str, str]:
    return {member: sheet for sheet, member in _sheet_parts(archive).items()}
