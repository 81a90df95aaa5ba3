"""One measurement in a fresh interpreter, as a user measures it (``/usr/bin/time``).

Why: every benchmark compares whole processes (start-up and imports included) beside
in-process figures; ``os.wait4`` gives the CPU time and peak RSS of that process and of
the workers it waited for, not those of earlier measurements (``RUSAGE_CHILDREN`` would).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The measured processes' environment: ours, with xlae on the path and bytecode caching on.

    Why bytecode: an installed xlae has its ``.pyc`` files (pip compiles them), so a user's
    process never compiles xlae's 15 000 lines; with ``PYTHONDONTWRITEBYTECODE`` set (as in some
    sandboxes) every measured process did, ≈ 0.35 s, while the floor's pandas had its ``.pyc``.
    """
    env = dict(os.environ, PYTHONPATH=str(ROOT), **(extra or {}))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def warm_up() -> None:
    """Import what the measures run once, so that their bytecode is cached before the first one."""
    subprocess.run([sys.executable, "-c", "import xlae.cli, xlae.batch.batch, xlae.template.synthese, "
                    "xlae.ledger.importing, xlae.ledger.checks, xlae.ledger.declaration, xlae.ledger.closing"],
                   env=environment(), check=True)


# Appended to a measured script's JSON: its own peak RSS since exec (VmHWM of its memory map). Why:
# Linux carries the parent's high-water mark over fork and exec into ``ru_maxrss``, so a child of a
# 240 MB benchmark process reported at least 240 MB however little it used itself.
PEAK = """
def _peak_mb():
    try:
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) / 1024 for line in status if line.startswith("VmHWM:"))
    except (OSError, StopIteration, ValueError):
        return None
"""


def fresh_process(code: str, *args: str, env: dict[str, str] | None = None) -> dict:
    """Run ``python -c code args``: the JSON of its last stdout line, plus ``wall`` (s), ``cpu`` (s,
    user + system, children included) and ``rss_mb``: the ``peak_mb`` the script reports (``PEAK``), else
    the peak RSS of the largest process as ``os.wait4`` gives it."""
    return fresh_command([sys.executable, "-c", code, *args], env)


def fresh_command(argv: list[str], env: dict[str, str] | None = None) -> dict:
    """``fresh_process`` for any command line (the installed ``xlae`` script…); a last stdout line
    that is not JSON gives no keys besides the measures."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        process = subprocess.Popen(argv, stdout=out, stderr=err, env=environment(env))
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if process.returncode:
            raise SystemExit(err.read()[-2000:])
        lines = out.read().strip().splitlines()
    result = json.loads(lines[-1]) if lines and lines[-1].startswith("{") else {}
    rss = usage.ru_maxrss / 1024  # Linux: KB; at least the parent's own peak at fork (see PEAK)
    result.update(wall=wall, cpu=usage.ru_utime + usage.ru_stime, rss_mb=result.get("peak_mb") or rss)
    return result
