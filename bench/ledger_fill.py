"""Fill the template's Recettes sheet with N generated rows, fast (XML injection, no openpyxl).

Why: openpyxl needs about a minute to write 100 000 rows; the benchmark needs
several big workbooks built from the real template in seconds.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import re
import zipfile

from xlae.batch import xlsx
from xlae.template import build, layout

CATEGORIES = ("bnc", "service_bic", "vente")
EPOCH = dt.date(1899, 12, 30)


def workbook(rows: int, year: int = 2026, activite: str = "bnc", seed: int = 1,
             chronological: bool = False, room: int = 0) -> bytes:
    """The template (parameters filled) with ``rows`` receipts of ``year``.

    ``chronological``: dates in row order (a livre ``xlae verifier`` finds clean, which
    ``xlae cloturer`` accepts); else random days of the year.

    The template covers the default 10 000 ledger rows, or ``rows`` (+ ``room``, rows
    left for an import) when more, as ``xlae modele --lignes`` would generate it: the
    summary counts every row.
    """
    return fill(template(max(rows + room, layout.MAX_ROWS), year, activite), rows, year, activite, seed,
                chronological)


def template(covered: int = layout.MAX_ROWS, year: int = 2026, activite: str = "bnc") -> bytes:
    """The empty template with its parameters filled, covering ``covered`` ledger rows."""
    return build.workbook_bytes(build.build_workbook({"activite": activite, "annee": year}, covered))


def fill(template_bytes: bytes, rows: int, year: int = 2026, activite: str = "bnc", seed: int = 1,
         chronological: bool = False) -> bytes:
    """``template_bytes`` with ``rows`` generated receipts of ``year`` (seeded) in its Recettes sheet."""
    source = zipfile.ZipFile(io.BytesIO(template_bytes))
    part = xlsx.read_package(source).sheets[layout.SHEET_RECETTES]
    sheet = source.read(part)
    styles = {column: style for style, column in re.findall(rb'<col [^>]*style="(\d+)"[^>]*min="(\d+)"', sheet)}
    date_style = styles.get(b"1", b"0").decode()
    money_style = styles.get(b"6", b"0").decode()
    rng = random.Random(seed)
    start = (dt.date(year, 1, 1) - EPOCH).days
    lines = []
    days = sorted(rng.randrange(365) for _ in range(rows)) if chronological else None
    for r in range(layout.FIRST_DATA_ROW, layout.FIRST_DATA_ROW + rows):
        category = activite if rng.random() < 0.9 else rng.choice(CATEGORIES)
        day = days[r - layout.FIRST_DATA_ROW] if days else rng.randrange(365)
        lines.append(
            f'<row r="{r}"><c r="A{r}" s="{date_style}"><v>{start + day}</v></c>'
            f'<c r="B{r}" t="inlineStr"><is><t>F{r:06d}</t></is></c>'
            f'<c r="C{r}" t="inlineStr"><is><t>Client {rng.randrange(500)}</t></is></c>'
            f'<c r="D{r}" t="inlineStr"><is><t>Prestation</t></is></c>'
            f'<c r="E{r}" t="inlineStr"><is><t>{category}</t></is></c>'
            f'<c r="F{r}" s="{money_style}"><v>{rng.randrange(1000, 200000) / 100}</v></c>'
            f'<c r="G{r}" t="inlineStr"><is><t>Virement</t></is></c></row>')
    last = layout.FIRST_DATA_ROW + rows - 1
    sheet = sheet.replace(b"</sheetData>", "".join(lines).encode() + b"</sheetData>", 1)
    sheet = re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="A1:I{last}"'.encode(), sheet, count=1)
    out = io.BytesIO()
    xlsx.copy_with_changes(source, out, {part: sheet})
    return out.getvalue()
