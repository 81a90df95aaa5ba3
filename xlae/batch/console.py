"""What a batch prints: the report table on stdout, failures on stderr, where the files are."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from .batch import BatchResult
from .report import REPORT_CSV, terminal_table


def print_result(result: BatchResult, out: TextIO | None = None, err: TextIO | None = None) -> None:
    out = out or sys.stdout
    err = err or sys.stderr
    for line in terminal_table([o.row for o in result.outcomes]):
        print(line, file=out)
    failed = [o for o in result.outcomes if not o.ok]
    done = len(result.outcomes) - len(failed)
    print("", file=out)
    plural = "s" if done > 1 else ""
    print(f"{done} classeur{plural} recalculé{plural}" + (f", {len(failed)} en échec" if failed else "")
          + f". Copies et rapport dans : {result.folder}", file=out)
    print(f"Rapport : {result.report_xlsx.name}, {result.report_csv.name}", file=out)
    renamed = [Path(o.target).name for o in result.outcomes if o.target and Path(o.target).name != Path(o.source).name]
    if renamed or result.report_csv.name != REPORT_CSV:
        print("Des fichiers de ces noms étaient déjà dans le dossier : ils sont gardés tels quels, les nouveaux "
              f"portent un numéro ({', '.join((renamed + [result.report_csv.name])[:4])}…).", file=out)
    for outcome in result.outcomes:
        if outcome.row is not None and outcome.row.remarque:
            print(f"Remarque : {outcome.source} — {outcome.row.remarque}", file=out)
    for outcome in failed:
        print(f"Échec : {outcome.source} — {outcome.error}", file=err)
