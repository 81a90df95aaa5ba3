"""Recalculate one workbook, or a batch of them in parallel processes.

Why: each workbook is independent, so a batch is a map over files; a file that
cannot be read becomes a report row with its French reason and the others go
on. Workers are plain functions over picklable jobs so that
``ProcessPoolExecutor`` can run them on every core.
"""

from __future__ import annotations

import datetime as dt
import os
import time
import traceback
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from ..errors import XlaeError, os_reason
from ..template.coverage import covered_rows
from ..books.calamine import opened
from ..template import standard
from . import summary, writer
from .report import ReportRow

ENGINES = ("auto", "python", "formules", "excel")
IN_FLIGHT_PER_WORKER = 3  # chunks submitted ahead per worker (``run``)
CHUNK_JOBS = 8            # small workbooks per chunk
CHUNK_BYTES = 1 << 20     # files per chunk: a large workbook goes alone
ENGINE_LABELS = {"python": "rapide (règles xlae)", "formules": "formules (moteur général)", "excel": "Excel"}


@dataclass(frozen=True)
class Job:
    source: str
    target: str
    engine: str = "auto"
    today: dt.date | None = None  # reference date of "Prochaine échéance" (None: the day of the run)


@dataclass
class Outcome:
    source: str
    target: str | None
    engine: str | None = None
    values: dict[str, Any] = field(default_factory=dict)
    row: ReportRow | None = None
    error: str | None = None
    customised: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error is None


def recalculate(job: Job) -> Outcome:
    """Read, evaluate and write one workbook; every failure becomes ``Outcome.error``."""
    started = time.perf_counter()
    source, target = Path(job.source), Path(job.target)
    outcome = Outcome(job.source, None)
    try:
        with opened(source, ledger_formulas=False, baremes=True) as (archive, package, books):
            formulas = books.summary_formulas
            books.parametres  # every named parameter cell exists, else the reason (not_template)
            rows = covered_rows(formulas)
            changed = standard.differences(formulas, rows)
            replaced, modified = standard.customisation(formulas, rows)
            outcome.customised = changed
            engine = job.engine
            if engine == "auto":
                engine = "formules" if changed else "python"
            if engine == "python" and changed:
                raise XlaeError(f"synthèse personnalisée (formules modifiées : {standard.refs_text(changed)}) : le moteur "
                                "rapide ne la connaît pas ; relancez avec --moteur auto ou formules.")
            outcome.engine = engine
            if engine == "python":
                values = summary.evaluate_standard(books, rows, job.today)
            elif engine == "formules":
                values = summary.evaluate_formulas(source)
            else:
                raise XlaeError(f"moteur « {engine} » inconnu ici.")
            writer.write_copy(archive, package, values, source, target)
        outcome.values = values
        outcome.target = str(target)
        outcome.row = summary.report_row(source.name, books, values, job.today)
        outcome.row.remarque = standard.modified_note(modified)
        notes = (standard.replaced_note(replaced), summary.rows_beyond_template(books, rows),
                 summary.ledger_problems(books), summary.summary_problems(books, values),
                 summary.baremes_note(books))
        if any(notes):
            outcome.error = f"copie écrite, mais {' ; '.join(p.rstrip('.') for p in notes if p)}."
    except XlaeError as error:
        outcome.error = str(error)
    except FileExistsError:
        outcome.error = (f"un fichier {target.name} est apparu dans le dossier de sortie pendant le calcul ; "
                         "il n'a pas été remplacé, relancez.")
    except PermissionError as error:
        outcome.error = f"écriture impossible ({os_reason(error)} : {error.filename})."
    except OSError as error:
        outcome.error = f"erreur d'entrée-sortie ({os_reason(error)})."
    except MemoryError:
        outcome.error = "mémoire insuffisante pour ce classeur."
    except Exception as error:  # a bug of xlae: report it on this row, keep the batch going
        last = traceback.extract_tb(error.__traceback__)[-1]
        outcome.error = (f"erreur inattendue de xlae ({type(error).__name__} : {error}, "
                         f"{Path(last.filename).name}:{last.lineno}) ; merci de la signaler.")
    if outcome.row is None:
        outcome.row = ReportRow(source.name)
    outcome.row.erreur = outcome.error
    outcome.seconds = time.perf_counter() - started
    return outcome


def _init_worker(rates_path: str | None) -> None:
    """Each worker uses the same rates sheet as the parent (spawned workers start afresh)."""
    from ..rates import set_rates_path

    if rates_path:
        set_rates_path(rates_path)


def run(jobs: list[Job], workers: int = 1, rates_path: str | None = None,
        on_done: Callable[[Outcome], None] | None = None,
        task: Callable[[Job], Outcome] = recalculate) -> list[Outcome]:
    """Outcomes in the order of ``jobs``; ``workers`` > 1 uses that many processes."""
    results: dict[int, Outcome] = {}
    if workers <= 1 or len(jobs) <= 1:
        for index, job in enumerate(jobs):
            results[index] = task(job)
            if on_done:
                on_done(results[index])
        return [results[i] for i in range(len(jobs))]
    _warm_up()
    pool = ProcessPoolExecutor(max_workers=min(workers, len(jobs)), initializer=_init_worker,
                               initargs=(rates_path,))
    # A few chunks in flight per worker, not the whole batch: ``wait`` visits every pending future
    # at each call, so 10 000 submitted at once cost the parent ~2 ms per workbook (40 s of CPU
    # for 10 000, on the same two cores as the workers). Small workbooks go by chunks (``_chunks``):
    # each future costs the parent ~0.5 ms (pickling, pipes, the executor's threads).
    window = IN_FLIGHT_PER_WORKER * workers
    queue = iter(_chunks(jobs, workers))

    def died(index: int) -> Outcome:  # the worker died (killed, out of memory…): its English text says no more
        outcome = Outcome(jobs[index].source, None, row=ReportRow(Path(jobs[index].source).name),
                          error="le processus de calcul s'est arrêté brutalement (tué, ou mémoire insuffisante ?) ; "
                                "le classeur n'a pas été recalculé, relancez-le seul.")
        outcome.row.erreur = outcome.error
        return outcome

    def finished(index: int, outcome: Outcome) -> None:
        results[index] = outcome
        if on_done:
            on_done(outcome)

    pending: dict[Future[list[Outcome]], list[int]] = {}

    def fill() -> None:
        while len(pending) < window:
            indexes = next(queue, None)
            if indexes is None:
                return
            try:
                pending[pool.submit(_lean, task, [jobs[i] for i in indexes])] = indexes
            except BrokenProcessPool:  # a worker died: the pool takes no more jobs, as pending ones fail
                for index in indexes:
                    finished(index, died(index))

    try:
        fill()
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                indexes = pending.pop(future)
                try:
                    outcomes = future.result()
                except Exception:
                    outcomes = [died(index) for index in indexes]
                for index, outcome in zip(indexes, outcomes):
                    finished(index, outcome)
            fill()
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    return [results[i] for i in range(len(jobs))]


def _chunks(jobs: list[Job], workers: int) -> Iterator[list[int]]:
    """Indexes of ``jobs`` in consecutive chunks: up to ``CHUNK_JOBS`` small workbooks together (at most
    ``CHUNK_BYTES`` of files), a large one alone, and never so few chunks that a worker would idle."""
    most = max(1, min(CHUNK_JOBS, len(jobs) // (workers * IN_FLIGHT_PER_WORKER * 2)))
    chunk: list[int] = []
    size = 0
    for index, job in enumerate(jobs):
        try:
            length = os.stat(job.source).st_size
        except (OSError, ValueError):
            length = 0  # the worker says what is wrong with it
        if chunk and (len(chunk) >= most or size + length > CHUNK_BYTES):
            yield chunk
            chunk, size = [], 0
        chunk.append(index)
        size += length
    if chunk:
        yield chunk


def _lean(task: Callable[[Job], Outcome], jobs: list[Job]) -> list[Outcome]:
    """``task`` of each job in a worker, each outcome sent back without the computed cells: the parent
    reads the report row only, and 10 000 workbooks × 700 cells would fill its memory (and the pipe)."""
    outcomes = []
    for job in jobs:
        outcome = task(job)
        outcome.values = {}
        outcomes.append(outcome)
    return outcomes


def _warm_up() -> None:
    """Import the heavy modules once before forking, so workers share them."""
    from importlib import import_module

    import_module("pandas")
    try:
        import_module("python_calamine")
        import_module("xlae.template.synthese")
    except ImportError:
        pass


def default_workers(count: int) -> int:
    return max(1, min(os.cpu_count() or 1, count))
