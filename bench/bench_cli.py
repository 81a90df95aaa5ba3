"""Start-up of the ``xlae`` command: ``--version``, ``--help`` and each ``CMD --help``, whole process.

Run: ``python bench/bench_cli.py [--repetitions N]``. Each line is the median of N runs
(default 15) of a fresh process, as a user measures it (wall time, peak RSS of the child
from ``os.wait4``), against ``python -c pass`` measured in the same run; the in-process
column is the time of ``import xlae.cli`` + ``main([...])`` inside the process.
Target (issue 15): ``xlae --version`` and ``xlae --help`` under 150 ms whole process.
Not a test: timings depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import os
import pkgutil
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from process import fresh_command, fresh_process  # noqa: E402
from xlae import commands  # noqa: E402

TARGET_MS = 150.0
INSIDE = """
import sys, time
t = time.perf_counter()
import contextlib, io, json
import xlae.cli
with contextlib.redirect_stdout(io.StringIO()):
    try:
        xlae.cli.main(sys.argv[1:])
    except SystemExit:
        pass
print(json.dumps({"inside": time.perf_counter() - t}))
"""


def run(code: str | None, argv: list[str]) -> tuple[float, float, float]:
    """(wall s, peak RSS MB, in-process s) of one fresh ``python -c code`` process (None: ``argv`` itself)."""
    result = fresh_process(code, *argv) if code is not None else fresh_command(argv)
    return result["wall"], result["rss_mb"], result.get("inside", float("nan"))


def median(code: str | None, argv: list[str], repetitions: int) -> tuple[float, float, float]:
    runs = [run(code, argv) for _ in range(repetitions)]
    return tuple(statistics.median(r[i] for r in runs) for i in range(3))  # type: ignore[return-value]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repetitions", type=int, default=15)
    options = parser.parse_args()
    n = options.repetitions
    python = sys.executable
    base_wall, base_rss, _ = median("pass", [], n)
    print(f"Médiane de {n} processus ({os.cpu_count()} cœurs, charge {os.getloadavg()[0]:.1f}) ; "
          f"référence « python -c pass » : {base_wall * 1000:.0f} ms, {base_rss:.0f} Mo")
    print(f"{'commande':28} {'mur (ms)':>9} {'× réf.':>7} {'moins réf. (ms)':>16} {'dans le proc. (ms)':>19} "
          f"{'mém. (Mo)':>10}")
    names = sorted(info.name for info in pkgutil.iter_modules(commands.__path__))
    missed = []
    for argv in [["--version"], ["--help"]] + [[name, "--help"] for name in names]:
        wall, rss, inside = median(INSIDE, argv, n)
        label = "xlae " + " ".join(argv)
        flag = ""
        if argv in (["--version"], ["--help"]) and wall * 1000 >= TARGET_MS:
            flag = "  (cible < 150 ms MANQUÉE)"
            missed.append(label)
        print(f"{label:28} {wall * 1000:9.0f} {wall / base_wall:6.1f}× {(wall - base_wall) * 1000:16.0f} "
              f"{inside * 1000:19.0f} {rss:10.0f}{flag}")
    script = Path(python).with_name("xlae")
    if script.exists():  # the installed entry point, as a user types it
        wall, rss, _ = median(None, [str(script), "--version"], n)
        print(f"{'(script installé) --version':28} {wall * 1000:9.0f} {wall / base_wall:6.1f}× "
              f"{(wall - base_wall) * 1000:16.0f} {'':>19} {rss:10.0f}")
    print("Cible atteinte : --version et --help < 150 ms" if not missed else "Cible manquée : " + ", ".join(missed))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
