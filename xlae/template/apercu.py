"""Printed pages of the example workbook as PNG images (LibreOffice headless, then pdftoppm).

Why: the README shows what the template prints; the images must be what the code
writes, so they are regenerated from ``exemple.example_bytes()`` by this module
(``python -m xlae.template.apercu docs/images``) and a test compares their count
with a fresh render. LibreOffice recomputes TODAY(): the dashboard shows the day
of the render.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from ..errors import XlaeError

PREFIX = "exemple-page"
RESOLUTION = 70  # dots per inch: an A4 page is about 820 × 580 pixels


def _tool(*names: str) -> str:
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    raise XlaeError(f"{names[0]} introuvable : installez LibreOffice (libreoffice-calc) et poppler-utils.")


def render_pdf(workbook: Path, folder: Path) -> Path:
    """The PDF LibreOffice prints for ``workbook`` (every sheet, their print areas and breaks)."""
    profile = folder / "profil"
    subprocess.run([_tool("soffice", "libreoffice"), "--headless", "--norestore",
                    f"-env:UserInstallation={profile.as_uri()}", "--convert-to", "pdf", "--outdir", str(folder),
                    str(workbook)], check=True, capture_output=True, timeout=300)
    return folder / (workbook.stem + ".pdf")


def render_pages(target: Path) -> list[Path]:
    """Write ``PREFIX-NN.png`` pages of the example into ``target`` (old pages removed first)."""
    from .exemple import example_bytes

    target.mkdir(parents=True, exist_ok=True)
    for old in target.glob(f"{PREFIX}-*.png"):
        old.unlink()
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        workbook = folder / "exemple-auto-entrepreneur.xlsx"
        workbook.write_bytes(example_bytes())
        pdf = render_pdf(workbook, folder)
        subprocess.run([_tool("pdftoppm"), "-png", "-r", str(RESOLUTION), str(pdf), str(target / PREFIX)],
                       check=True, capture_output=True, timeout=300)
    return sorted(target.glob(f"{PREFIX}-*.png"))


def page_count(pdf: Path) -> int:
    """Pages of a PDF (pdfinfo)."""
    out = subprocess.run([_tool("pdfinfo"), str(pdf)], check=True, capture_output=True, text=True).stdout
    return next(int(line.split()[-1]) for line in out.splitlines() if line.startswith("Pages:"))


if __name__ == "__main__":
    pages = render_pages(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/images"))
    print(f"{len(pages)} page(s) écrite(s) : {', '.join(p.name for p in pages)}")
