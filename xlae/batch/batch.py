"""A whole ``xlae recalculer`` run: find the workbooks, plan the copies, run, report.

Why: the command and ``xlae demo`` share it; it decides what is bad usage
(exit 2, nothing written) before any work starts, so that a typo in a path
does not cost a half-done batch.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, TextIO

from ..atomic import fsync_folder
from ..errors import XlaeError, os_reason
from . import report, runner, summary
from .progress import Progress

SUFFIXES = (".xlsx", ".xlsm", ".xls")
_REPORT = re.compile(r"rapport(?:-\d+)?\.xlsx", re.IGNORECASE)  # reports of earlier runs, not workbooks
DEFAULT_OUTPUT = "recalcule"


@dataclass
class BatchResult:
    outcomes: list[runner.Outcome]
    folder: Path
    report_xlsx: Path
    report_csv: Path

    @property
    def exit_code(self) -> int:
        return 0 if all(o.ok for o in self.outcomes) else 1


def collect(paths: list[str]) -> list[Path]:
    """Workbooks named, or found at the top of each folder named (lock files and reports skipped)."""
    found: list[Path] = []
    for text in paths:
        path = Path(text)
        if path.is_dir():
            # Not only regular files: a FIFO or a broken link named .xlsx gets a report row saying what it is.
            inside = sorted(p for p in path.iterdir() if not p.is_dir() and p.suffix.lower() in SUFFIXES
                            and not p.name.startswith(("~$", ".")) and not _REPORT.fullmatch(p.name))
            if not inside:
                raise XlaeError(f"CHEMIN : aucun classeur .xlsx dans le dossier « {text} ».", "CHEMIN")
            found += inside
        elif os.path.lexists(path):  # a broken link too: its report row says where it points
            found.append(path)
        else:
            raise XlaeError(f"CHEMIN : « {text} » n'existe pas (ni fichier, ni dossier).", "CHEMIN")
    unique: dict[Path, Path] = {}
    for path in found:
        unique.setdefault(path.resolve(), path)
    return list(unique.values())


def prepare_output(folder: Path, sources: list[Path]) -> Path:
    """Create the output folder, check it is writable and holds none of the inputs."""
    if folder.exists() and not folder.is_dir():
        raise XlaeError(f"--sortie : « {folder} » est un fichier, pas un dossier.", "--sortie")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, probe = tempfile.mkstemp(prefix=".xlae-", dir=folder)
        os.close(handle)
        os.unlink(probe)
    except OSError as error:
        raise XlaeError(f"--sortie : impossible d'écrire dans le dossier « {folder} » "
                        f"({os_reason(error)}).", "--sortie") from None
    resolved = folder.resolve()
    for source in sources:
        if source.resolve().parent == resolved:
            raise XlaeError(f"--sortie : « {folder} » contient le classeur « {source.name} » ; la copie "
                            "recalculée l'écraserait. Choisissez un autre dossier de sortie.", "--sortie")
    return resolved


def plan(sources: list[Path], folder: Path) -> list[runner.Job]:
    """One target per source, in ``folder``, same name (``-2``, ``-3``… when names collide).

    A name already taken in ``folder`` (a previous run's copy, a user's file) is
    never reused: this run writes beside it, under the next free number.
    """
    used: set[str] = {report.REPORT_XLSX.lower(), report.REPORT_CSV.lower()}
    jobs = []
    for source in sources:
        name = source.name
        number = 1
        while name.lower() in used or os.path.lexists(folder / name):
            number += 1
            name = f"{source.stem}-{number}{source.suffix}"
        used.add(name.lower())
        jobs.append(runner.Job(str(source), str(folder / name)))
    return jobs


def report_names(folder: Path, jobs: list[runner.Job]) -> tuple[str, str]:
    """« rapport.xlsx » and « rapport.csv », or the first « rapport-N » pair that replaces nothing."""
    taken = {Path(job.target).name.lower() for job in jobs}
    number = 1
    while True:
        stem = "rapport" if number == 1 else f"rapport-{number}"
        names = (f"{stem}.xlsx", f"{stem}.csv")
        if not any(n.lower() in taken or os.path.lexists(folder / n) for n in names):
            return names
        number += 1


def recalculate(paths: list[str], output: str | None = None, workers: int | None = None,
                engine: str = "auto", rates_path: str | None = None,
                stream: TextIO | None = None, progress: bool = True,
                today: dt.date | None = None) -> BatchResult:
    """Run the batch and write the reports; raises ``XlaeError`` for bad usage only.

    ``today``: reference date of the report's "Prochaine échéance" (default: the day of the run).
    """
    if engine not in runner.ENGINES:
        raise XlaeError(f"--moteur : « {engine} » inconnu (choix : {', '.join(runner.ENGINES)}).", "--moteur")
    if workers is not None and workers < 1:
        raise XlaeError(f"--jobs : {workers} refusé ; indiquez un nombre de processus ≥ 1.", "--jobs")
    if engine == "excel":
        from . import excel

        excel.check_available()
    sources = collect(paths)
    folder = prepare_output(Path(output or DEFAULT_OUTPUT), sources)
    today = today or dt.date.today()
    jobs = [runner.Job(j.source, j.target, engine, today) for j in plan(sources, folder)]
    bar = Progress(len(jobs), stream or sys.stderr, enabled=progress)
    done: Callable[[runner.Outcome], None] = lambda o: bar.advance(Path(o.source).name, o.error)
    try:
        if engine == "excel":
            from . import excel

            outcomes = excel.run(jobs, done)
        else:
            count = runner.default_workers(len(jobs)) if workers is None else workers
            outcomes = runner.run(jobs, count, rates_path, done)
    except BaseException:
        bar.clear()
        raise
    fsync_folder(folder)  # the names of every copy, on disk before the report that lists them
    rows = [o.row for o in outcomes]
    amber, red = summary.alert_thresholds()
    xlsx_name, csv_name = report_names(folder, jobs)
    try:
        written = (report.write_xlsx(rows, folder, amber, red, xlsx_name), report.write_csv(rows, folder, csv_name))
    except OSError as error:  # disk full, folder removed meanwhile…
        copies = sum(1 for o in outcomes if o.target)
        raise XlaeError(f"--sortie : écriture du rapport impossible dans « {folder} » ({os_reason(error)}) ; "
                        f"{copies} copie(s) recalculée(s) déjà écrite(s) dans ce dossier, aucun rapport "
                        "incomplet n'a été laissé. Libérez de la place puis relancez.", "--sortie") from None
    return BatchResult(outcomes, folder, *written)
