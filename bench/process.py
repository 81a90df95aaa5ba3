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


def fresh_process(code: str, *args: str, env: dict[str, str] | None = None) -> dict:
    """Run ``python -c code args``: the JSON of its last stdout line, plus ``wall`` (s), ``cpu`` (s,
    user + system, children included) and ``rss_mb`` (peak RSS of the largest process)."""
    return fresh_command([sys.executable, "-c", code, *args], env)


def fresh_command(argv: list[str], env: dict[str, str] | None = None) -> dict:
    """``fresh_process`` for any command line (the installed ``xlae`` script…); a last stdout line
    that is not JSON gives no keys besides the measures."""
    environment = dict(os.environ, PYTHONPATH=str(ROOT), **(env or {}))
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        process = subprocess.Popen(argv, stdout=out, stderr=err, env=environment)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if process.returncode:
            raise SystemExit(err.read()[-2000:])
        lines = out.read().strip().splitlines()
    result = json.loads(lines[-1]) if lines and lines[-1].startswith("{") else {}
    result.update(wall=wall, cpu=usage.ru_utime + usage.ru_stime, rss_mb=usage.ru_maxrss / 1024)  # Linux: KB
    return result
