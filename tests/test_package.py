"""The package builds as a wheel ready for publication, with everything the functions need."""

from __future__ import annotations

import email
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_builds_with_rates_sheet_and_french_readme(tmp_path):
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", str(ROOT), "-w", str(tmp_path)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    wheel = next(tmp_path.glob("xlae-*-py3-none-any.whl"))
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        metadata = email.message_from_string(
            archive.read(next(n for n in names if n.endswith("METADATA"))).decode("utf-8"))
        entry_points = archive.read(next(n for n in names if n.endswith("entry_points.txt"))).decode()
    for needed in ("xlae/data/baremes.csv", "xlae/udfs.py", "xlae/excel.py", "xlae/lite.py", "xlae/rules/plafond.py"):
        assert needed in names
    assert not any(n.startswith(("tests/", "bench/")) for n in names)
    assert metadata["Name"] == "xlae" and metadata["License-Expression"] == "MIT"
    assert metadata["Description-Content-Type"] == "text/markdown"
    assert "les règles des micro-entrepreneurs" in metadata.get_payload()
    assert any(r.startswith("xlwings") and "<0.38" in r for r in metadata.get_all("Requires-Dist"))
    assert "xlae = xlae.cli:main" in entry_points
