"""Write the computed copy: the input zip with cached values in its formula cells.

Why: the copy must show its numbers in any viewer (LibreOffice, a phone, pandas)
while keeping the user's data, formats, other sheets and formulas; it is
written atomically (temporary file in the output folder, then rename) so that
an interruption never leaves half a workbook, and never over its input.
"""

from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path, PurePosixPath
from typing import Any, Mapping

from ..atomic import atomic_path
from ..template import layout
from . import xlsx

COPY_COMPRESSION = 3
_KEY = re.compile(r"^(?:'((?:[^']|'')+)'|([^!]+))!\$?([A-Z]{1,3})\$?(\d+)$")


def by_sheet(values: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """``{"C7": 1, "Recettes!J2": 0}`` → ``{"Synthèse": {"C7": 1}, "Recettes": {"J2": 0}}``."""
    grouped: dict[str, dict[str, Any]] = {}
    for key, value in values.items():
        match = _KEY.match(key) if "!" in key else None  # most keys are the Synthèse's own refs
        if match:
            sheet = match.group(1).replace("''", "'") if match.group(1) is not None else match.group(2)
            ref = match.group(3) + match.group(4)
        else:
            sheet, ref = layout.SHEET_SYNTHESE, key.replace("$", "")
        grouped.setdefault(sheet, {})[ref] = value
    return grouped


def changed_members(archive: zipfile.ZipFile, package: xlsx.Package,
                    values: Mapping[str, Any]) -> dict[str, bytes | None]:
    """New bytes of each member to replace (None: drop): patched sheets, workbook.xml, calcChain."""
    changes: dict[str, bytes | None] = {}
    for sheet, cells in by_sheet(values).items():
        part = package.sheets.get(sheet)
        if part is None:
            continue
        changes[part], _ = xlsx.member_with_cached_values(archive, part, cells)
    names = set(archive.namelist())
    workbook = xlsx.workbook_path(archive)
    if workbook in names:
        changes[workbook] = xlsx.without_full_calc(archive.read(workbook))
    chains = [n for n in names if n.lower().endswith("calcchain.xml")]
    if chains:
        rels = str(PurePosixPath(workbook).parent / "_rels" / (PurePosixPath(workbook).name + ".rels"))
        types, new_rels = xlsx.without_calc_chain(archive.read("[Content_Types].xml"),
                                                  archive.read(rels) if rels in names else b"")
        changes["[Content_Types].xml"] = types
        if rels in names:
            changes[rels] = new_rels
        for chain in chains:
            changes[chain] = None
    return changes


def write_copy(archive: zipfile.ZipFile, package: xlsx.Package, values: Mapping[str, Any],
               source: Path, target: Path) -> None:
    """The computed copy at ``target``, atomically; never over ``source`` nor any existing file.

    The copy's data is on disk before it gets its name; the output folder itself is
    flushed once per batch, after the last copy (``batch.recalculate``), not per copy.
    """
    if target.exists() and source.exists() and os.path.samefile(source, target):
        raise ValueError(f"la copie {target} serait écrite sur son classeur d'origine")
    changes = changed_members(archive, package, values)
    with atomic_path(target, suffix=".xlsx.tmp", replace=False, sync_folder=False) as temporary, \
            open(temporary, "wb") as stream:
        # level 3: the rewritten Synthèse (≈ 400 KB of XML) deflates in 1.1 ms instead of 2.5 ms at
        # level 6, for 33 KB instead of 25 KB — a tenth of a small workbook's time (bench_lot.py)
        xlsx.copy_with_changes(archive, stream, changes, compresslevel=COPY_COMPRESSION)
