"""LibreOffice headless for the tests: the real spreadsheet engine opening our files.

One place for finding ``soffice`` and converting, so every test that asks a real
spreadsheet (formulas recalculated, an imported sheet, the batch report) runs it
the same way: its own user profile (no clash between runs), a bounded time.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    assert found, "LibreOffice (soffice) introuvable : installez libreoffice-calc (voir .ci/run)."
    return found


def convert(paths: list[Path] | Path, folder: Path, to: str = "xlsx", out: Path | None = None,
            timeout: int = 180) -> Path:
    """Convert ``paths`` with LibreOffice (profile in ``folder``) into ``out`` (default ``folder/lo``)."""
    out = out or folder / "lo"
    files = [paths] if isinstance(paths, Path) else paths
    subprocess.run([soffice(), "--headless", "--norestore", f"-env:UserInstallation={(folder / 'profil').as_uri()}",
                    "--convert-to", to, "--outdir", str(out), *map(str, files)],
                   check=True, capture_output=True, timeout=timeout)
    return out
