"""The example's printed pages: readable A4 pages, and the committed images match a fresh render.

LibreOffice headless prints the example (``xlae.template.apercu``); the test checks the
page count against docs/images (regenerate with ``python -m xlae.template.apercu
docs/images``), that every page is A4 landscape, that the Synthèse prints at a scale
keeping 11 pt text at 8 pt or more, and that the chart covers no cell in use.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import openpyxl
import pytest

from xlae.template import apercu, build, exemple, layout as L, synthese as S

ROOT = Path(__file__).resolve().parents[1]
IMAGES = ROOT / "docs" / "images"


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("apercu")
    workbook = folder / "exemple.xlsx"
    workbook.write_bytes(exemple.example_bytes())
    return apercu.render_pdf(workbook, folder)


def test_committed_pages_match_a_fresh_render(pdf: Path) -> None:
    committed = sorted(IMAGES.glob(f"{apercu.PREFIX}-*.png"))
    assert len(committed) == apercu.page_count(pdf), \
        "docs/images est périmé : relancez « python -m xlae.template.apercu docs/images »"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    synthese_pages = [p.name for p in committed if f"docs/images/{p.name}" in readme]
    assert synthese_pages, "le README ne montre aucune page de l'exemple"


def test_pages_are_a4_landscape(pdf: Path) -> None:
    out = subprocess.run(["pdfinfo", "-f", "1", "-l", "99", str(pdf)], capture_output=True, text=True, check=True).stdout
    sizes = [tuple(float(x) for x in line.split(":", 1)[1].split("pts")[0].split(" x "))
             for line in out.splitlines() if line.startswith("Page") and " size:" in line]
    assert len(sizes) == apercu.page_count(pdf)
    # A4 landscape: 297 × 210 mm = 841,9 × 595,3 pt
    assert all(abs(w - 841.9) < 1 and abs(h - 595.3) < 1 for w, h in sizes), sizes


def test_synthese_print_setup_keeps_text_readable() -> None:
    ws = openpyxl.load_workbook(ROOT / "workbooks" / "exemple-auto-entrepreneur.xlsx")[L.SHEET_SYNTHESE]
    assert ws.page_setup.scale * 11 / 100 >= 8  # Calibri 11 at 76 % ≈ 8,4 pt
    assert not ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_cols == "$A:$A"
    assert [b.id for b in ws.row_breaks.brk] == [r - 1 for r in (*build.PAGE_STARTS, S.CHART_ROW - 1)]
    anchor = ws._charts[0].anchor._from
    assert anchor.row + 1 == S.CHART_ROW and anchor.col == 0
    used = max(int(c.ref[1:]) for c in S.summary_cells() if re.fullmatch(r"[A-P]\d+", c.ref))
    assert used == S.ROW_DROITS_LAST < S.CHART_ROW  # the chart starts below every figure of the printed columns
    for sheet in (L.SHEET_PARAMETRES, L.SHEET_RECETTES, L.SHEET_ACHATS, L.SHEET_SYNTHESE):
        assert openpyxl.load_workbook(ROOT / "workbooks" / "exemple-auto-entrepreneur.xlsx")[sheet].print_area
