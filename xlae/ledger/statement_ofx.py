"""OFX statements (« format Money / Quicken »), read with ofxtools.

Why: every French bank offers OFX besides CSV, with named fields (date, amount,
name, memo) and no column to guess. The format (SGML 1.x headers, unclosed
tags, Windows-1252) is a parser's job: ofxtools is maintained, pure Python and
has no dependency. Each transaction keeps the line of its <STMTTRN> in the file.
"""

from __future__ import annotations

import re
import tempfile
from decimal import Decimal
from pathlib import Path

from ..errors import XlaeError
from .statement import Statement, StatementLine, decode, paris_offset

_TRANSACTION = re.compile(rb"<STMTTRN>", re.IGNORECASE)


def read_ofx(path: Path, raw: bytes) -> Statement:
    try:
        from ofxtools.Parser import OFXTree
    except ImportError:
        raise XlaeError(f"relevé {path.name} : pour lire un relevé OFX, installez le module ofxtools "
                        "(pip install ofxtools) ou téléchargez le relevé au format CSV.", "releve") from None
    tree = OFXTree()
    try:
        with tempfile.TemporaryFile() as copy:  # the bytes already read: no second read of the user's file
            copy.write(raw)
            copy.seek(0)
            tree.parse(copy)
            ofx = tree.convert()
        transactions = [t for s in ofx.statements for t in s.transactions]
    except Exception as error:  # ofxtools raises its own ParseError, ValueError, KeyError…: all mean « unreadable »
        why = "en-tête OFX absent ou invalide" if "Header" in type(error).__name__ else "contenu OFX invalide"
        raise XlaeError(f"relevé {path.name} : fichier OFX illisible ({why}) ; réexportez-le depuis votre banque "
                        "ou choisissez le format CSV. Rien n'a été importé.", "releve") from None
    lines = [raw.count(b"\n", 0, m.start()) + 1 for m in _TRANSACTION.finditer(raw)]
    statement = Statement(path, _charset(raw), "", 0, {"date": "DTPOSTED", "libelle": "NAME + MEMO",
                                                        "montant": "TRNAMT"}, [], how="OFX")
    for index, transaction in enumerate(transactions):
        number = lines[index] if index < len(lines) else 0
        posted = transaction.dtposted  # aware, in UTC: the date is the one in Paris
        if posted.tzinfo is not None:
            posted = posted.replace(tzinfo=None) + paris_offset(posted.replace(tzinfo=None) - posted.utcoffset())
        date = posted.date()
        label = " ".join(p for p in (transaction.name, transaction.memo) if p)
        amount = Decimal(transaction.trnamt).quantize(Decimal("0.01"))
        if amount:
            statement.lines.append(StatementLine(number, date, " ".join(label.split()), amount,
                                                 transaction.payee.name if getattr(transaction, "payee", None)
                                                 else "", transaction.trntype or ""))
        else:
            statement.skipped.append((number, "opération de montant nul"))
    if not statement.lines:
        raise XlaeError(f"relevé {path.name} : aucune opération dans ce fichier OFX.", "releve")
    return statement


def _charset(raw: bytes) -> str:
    match = re.search(rb"CHARSET:\s*(\S+)", raw[:1024])
    if match and match.group(1) in (b"1252", b"ISO-8859-1", b"8859-1"):
        return "OFX (Windows-1252)"
    return "OFX (" + decode(raw[:4096])[1] + ")"
