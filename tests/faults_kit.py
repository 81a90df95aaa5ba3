"""Helpers of the fault tests (tests/test_faults_*.py): real processes, hostile files, small disks.

Why here: each fault test needs the same few tools — run ``xlae`` as a user
would (a separate process, its exit code and French text, never a traceback),
write a bank statement, rewrite one part of a workbook's zip.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Callable, Iterator

import pytest

from xlae.template import exemple

ROOT = Path(__file__).resolve().parents[1]


def xlae_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ, PYTHONIOENCODING="utf-8")  # the same xlae as the tests (installed or PYTHONPATH)
    env.pop("XLAE_BAREME", None)
    env.update(extra)
    return env


def start(*args: str, cwd: Path, **env: str) -> subprocess.Popen:
    """``xlae ARGS`` in its own process (started, not waited for)."""
    return subprocess.Popen([sys.executable, "-m", "xlae", *args], cwd=cwd, env=xlae_env(**env),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")


def finish(process: subprocess.Popen, timeout: float = 120) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of a started process; a traceback fails the test."""
    out, err = process.communicate(timeout=timeout)
    assert "Traceback" not in err and "Traceback" not in out, err
    return process.returncode, out, err


def run(*args: str, cwd: Path, timeout: float = 120, **env: str) -> tuple[int, str, str]:
    return finish(start(*args, cwd=cwd, **env), timeout)


def example(path: Path) -> Path:
    """The README's example workbook (an IT freelancer in BNC, receipts of 2025 and 2026)."""
    path.write_bytes(exemple.example_bytes())
    return path


def statement(path: Path, count: int, tag: str, month: int = 1) -> Path:
    """A bank CSV with ``count`` distinct credits of ``month``/2026 (labels carry ``tag``).

    The cents come from the tag, so that two statements never hold the same credit (the
    importer would rightly hold the second as « déjà saisie à la main ? »)."""
    lines = ["Date;Libellé;Montant"]
    for i in range(count):
        lines.append(f"{1 + i % 28:02d}/{month:02d}/2026;VIR RECU DE CLIENT {tag} {i};{100 + i},{sum(map(ord, tag)) % 100:02d}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def member_of(path: Path, sheet: str) -> str:
    """Zip member holding the sheet named ``sheet``."""
    from xlae.batch import xlsx

    with zipfile.ZipFile(path) as archive:
        return xlsx.read_package(archive).sheets[sheet]


def rewrite(source: Path, target: Path, member: str, change: Callable[[bytes], bytes]) -> Path:
    """Copy of the workbook ``source`` with one zip member changed."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info.filename)
            new.writestr(info, change(data) if info.filename == member else data)
    return target


def set_cell_value(xml: bytes, ref: str, text: str) -> bytes:
    """The sheet XML with the stored value of cell ``ref`` replaced by ``text`` (kept as a number cell)."""
    changed, count = re.subn(rb'(<c r="' + ref.encode() + rb'"[^>]*>)<v>[^<]*</v>',
                             lambda m: m.group(1) + b"<v>" + text.encode() + b"</v>", xml, count=1)
    assert count == 1, ref
    return changed


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file() and not p.is_symlink()}


@contextlib.contextmanager
def small_disk(folder: Path, size: str = "1m") -> Iterator[Path]:
    """A tmpfs of ``size`` mounted on ``folder`` (root only: skip with the reason otherwise)."""
    if sys.platform != "linux" or os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("disque plein simulé : il faut Linux et les droits root pour monter un tmpfs")
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                          capture_output=True, text=True)
    if done.returncode:
        pytest.skip(f"disque plein simulé : montage tmpfs impossible ({done.stderr.strip()})")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def fill(folder: Path, leave: int = 0) -> None:
    """Fill the disk of ``folder`` until fewer than ``leave`` bytes are left."""
    with open(folder / ".remplissage", "wb") as handle:
        chunk = b"\0" * 4096
        try:
            while True:
                stats = os.statvfs(folder)
                if stats.f_bavail * stats.f_frsize <= leave:
                    break
                handle.write(chunk)
                handle.flush()
        except OSError:
            pass
