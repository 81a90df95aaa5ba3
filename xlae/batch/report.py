"""The consolidated report of a batch: rapport.xlsx, rapport.csv and the terminal table.

Why: an accountant following fifty clients reads one table — who is near the
ceiling, what is due and when, which file could not be read — not fifty
workbooks. The CSV is for French spreadsheets (``;``, decimal comma, UTF-8
with BOM) and escapes any cell a spreadsheet would take for a formula.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, fields
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable

from ..atomic import write_bytes
from ..format import NBSP

FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")
REPORT_XLSX = "rapport.xlsx"
REPORT_CSV = "rapport.csv"
SHEET_TITLE = "Rapport"


@dataclass
class ReportRow:
    fichier: str
    activite: str | None = None
    annee: int | None = None
    ca: float | None = None
    plafond: float | None = None
    part_plafond: float | None = None
    derniere_periode: float | None = None
    echeance: dt.date | None = None
    prochaine_echeance: dt.date | None = None
    tva: str | None = None
    situation_plafond: str | None = None
    lignes_invalides: int | None = None
    erreur: str | None = None
    remarque: str | None = None   # not a failure: a customised Synthèse evaluated as it is


TITLES = {
    "fichier": "Fichier",
    "activite": "Activité",
    "annee": "Année",
    "ca": "CA encaissé à date (€)",
    "plafond": "Plafond proratisé (€)",
    "part_plafond": "Part du plafond utilisée",
    "derniere_periode": "Cotisations et contributions de la dernière période (€)",
    "echeance": "Échéance de la dernière période",
    "prochaine_echeance": "Prochaine échéance",
    "tva": "Statut TVA",
    "situation_plafond": "Situation au regard du plafond",
    "lignes_invalides": "Lignes invalides",
    "erreur": "Erreur",
    "remarque": "Remarque",
}
MONEY = ("ca", "plafond", "derniere_periode")
KEYS = tuple(f.name for f in fields(ReportRow))


def text_of(key: str, value: Any) -> str:
    """French rendering of one report value (CSV and terminal)."""
    if value is None:
        return ""
    if isinstance(value, (dt.date, dt.datetime)):
        return f"{value:%d/%m/%Y}"
    if key in MONEY and isinstance(value, (int, float, Decimal)):
        return f"{Decimal(str(value)):,.2f}".replace(",", NBSP).replace(".", ",")
    if key == "part_plafond" and isinstance(value, (int, float, Decimal)):
        return f"{float(value) * 100:.1f}".replace(".", ",") + " %"
    return str(value)


def escape_cell(text: str) -> str:
    """Prefix a quote to any cell a spreadsheet would evaluate (CSV injection)."""
    return "'" + text if text.startswith(FORMULA_LEADS) else text


def csv_text(rows: Iterable[ReportRow]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([escape_cell(TITLES[k]) for k in KEYS])
    for row in rows:
        writer.writerow([escape_cell(text_of(k, getattr(row, k)).replace(NBSP, "")) for k in KEYS])
    return buffer.getvalue()


def write_csv(rows: list[ReportRow], folder: Path, name: str = REPORT_CSV) -> Path:
    """The CSV report; an existing file of that name is never replaced (``FileExistsError``)."""
    target = folder / name
    write_bytes(target, ("\ufeff" + csv_text(rows)).encode("utf-8"), replace=False)
    return target


def write_xlsx(rows: list[ReportRow], folder: Path, amber: float, red: float, name: str = REPORT_XLSX) -> Path:
    """One row per workbook, frozen header, filters, ceiling use coloured orange then red.

    Written as SpreadsheetML directly (``report_xlsx``): openpyxl's import and save cost
    about 0.15 s of every ``xlae recalculer`` run for one small sheet (issues 10 and 15).
    """
    from .report_xlsx import workbook_bytes

    formats = {**{key: "#,##0.00 €" for key in MONEY}, "part_plafond": "0.0 %",
               "echeance": "DD/MM/YYYY", "prochaine_echeance": "DD/MM/YYYY", "annee": "0"}
    widths = {"fichier": 32, "activite": 14, "tva": 48, "situation_plafond": 48, "erreur": 48, "remarque": 48}
    # getattr, not dataclasses.asdict: asdict deep-copies the row, and was called once per cell
    # (14 per workbook: ~1 ms per row, 10 s for a batch of 10 000, after its last workbook)
    table = [[_cell_value(getattr(row, k)) for k in KEYS] for row in rows]
    data = workbook_bytes(SHEET_TITLE, [TITLES[k] for k in KEYS], table,
                          formats=[formats.get(k) for k in KEYS], widths=[widths.get(k, 16) for k in KEYS],
                          alert_column=KEYS.index("part_plafond"), amber=amber, red=red)
    target = folder / name
    write_bytes(target, data, replace=False)
    return target


def _cell_value(value: Any) -> Any:
    if isinstance(value, str):
        return escape_cell(value)  # a file name or message must not become a formula
    if isinstance(value, Decimal):
        return float(value)
    return value


def terminal_table(rows: list[ReportRow], width: int = 44) -> list[str]:
    """The report as aligned text lines (long statuses shortened)."""
    table = [[TITLES[k] if k not in SHORT else SHORT[k] for k in KEYS]]
    for row in rows:
        table.append([_shorten(text_of(k, getattr(row, k)), width) for k in KEYS])
    keep = [i for i, key in enumerate(KEYS) if key in ("fichier", "erreur") or any(r[i] for r in table[1:])]
    sizes = [max(len(r[i]) for r in table) for i in keep]
    lines = []
    for number, line in enumerate(table):
        cells = [line[i].rjust(size) if KEYS[i] in RIGHT and number else line[i].ljust(size)
                 for i, size in zip(keep, sizes)]
        lines.append(" │ ".join(cells).rstrip())
        if number == 0:
            lines.append("─┼─".join("─" * size for size in sizes))
    return lines


SHORT = {"ca": "CA (€)", "plafond": "Plafond (€)", "part_plafond": "Part", "derniere_periode":
         "Dernière période (€)", "situation_plafond": "Plafond", "lignes_invalides": "Invalides",
         "echeance": "Échéance (dernière)", "prochaine_echeance": "Prochaine échéance", "tva": "TVA"}
RIGHT = ("ca", "plafond", "part_plafond", "derniere_periode", "lignes_invalides", "annee")


def _shorten(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width - 1] + "…"
