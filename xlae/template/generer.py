"""Generated ledgers for tests and benchmarks: realistic rows plus known invalid ones.

Why: the template must be checked on hundreds of rows across categories, with
months without receipts, a creation date in mid-year and the bad rows users
really type; the generator also says how many invalid rows it planted.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from . import build
from . import layout as L


@dataclass
class Ledgers:
    recettes: list[dict[str, Any]]
    achats: list[dict[str, Any]]
    parametres: dict[str, Any]
    # Planted problems: counts by kind, as the summary should report them.
    invalid: dict[str, int] = field(default_factory=dict)


def sample(seed: int = 1, rows: int = 300, year: int = 2026, creation: dt.date = dt.date(2025, 3, 10),
           categories: tuple[str, ...] = ("bnc", "service_bic", "vente"), quiet_months: tuple[int, ...] = (5, 8),
           invalid: bool = True, booleans: bool = False, **parametres: Any) -> Ledgers:
    """Receipts over the year before and ``year`` (none in ``quiet_months`` of ``year``), purchases, bad rows."""
    rnd = random.Random(seed)
    start = max(creation, dt.date(year - 1, 1, 1))
    span = (dt.date(year, 12, 31) - start).days
    recettes: list[dict[str, Any]] = []
    while len(recettes) < rows:
        day = start + dt.timedelta(days=rnd.randrange(span + 1))
        if day.year == year and day.month in quiet_months:
            continue
        recettes.append({"date": day, "reference": f"F-{len(recettes) + 1:05d}", "client": f"Client {rnd.randint(1, 40)}",
                         "nature": "Prestation", "categorie": rnd.choice(categories),
                         "montant": round(rnd.uniform(20, 2500), 2), "mode": rnd.choice(L.PAYMENT_MODES)})
    recettes.sort(key=lambda r: r["date"])
    achats = [{"date": start + dt.timedelta(days=rnd.randrange(span + 1)), "reference": f"A-{i:04d}",
               "fournisseur": f"Fournisseur {rnd.randint(1, 9)}", "nature": "Fournitures",
               "montant": round(rnd.uniform(5, 900), 2), "mode": rnd.choice(L.PAYMENT_MODES)}
              for i in range(max(10, rows // 10))]
    achats.sort(key=lambda r: r["date"])
    counts = {"recettes_date": 0, "recettes_montant": 0, "recettes_categorie": 0, "recettes_a_corriger": 0,
              "recettes_vides": 0, "achats_date": 0, "achats_montant": 0, "achats_a_corriger": 0, "achats_vides": 0}
    if invalid:
        base = max(creation, dt.date(year, 3, 1))  # planted rows fall in the shown year, after creation
        month_end = (base.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
        bad_receipts = [
            ({"date": f"{base:%d/%m/%Y}", "categorie": categories[0], "montant": 100.0}, ("date",)),
            ({"date": base, "categorie": categories[0], "montant": "12,50 €"}, ("montant",)),
            ({"date": base, "categorie": "conseil", "montant": 80.0}, ("categorie",)),
            ({"date": base, "categorie": categories[0], "montant": -40.0}, ("montant",)),
            ({"client": "Client sans montant"}, ("date", "montant", "categorie")),
            # valid: a date with a time of day on the last day of the month, category in capitals
            ({"date": dt.datetime(month_end.year, month_end.month, month_end.day, 18, 30),
              "categorie": categories[0].upper(), "montant": 10.0}, ()),
        ]
        if booleans:  # Excel: TRUE is not a number (LibreOffice counts it as 1)
            bad_receipts.append(({"date": True, "categorie": categories[0], "montant": 5.0}, ("date",)))
        for offset, (row, problems) in enumerate(bad_receipts):
            recettes.insert(5 + offset * 7, row)
            for kind in problems:
                counts[f"recettes_{kind}"] += 1
            counts["recettes_a_corriger"] += bool(problems)
        recettes.insert(3, {})
        counts["recettes_vides"] += 1
        achats.insert(2, {"date": "hier", "montant": 10.0, "fournisseur": "Papeterie"})
        achats.insert(4, {"date": base, "montant": "dix euros"})
        achats.insert(6, {})
        counts.update(achats_date=1, achats_montant=1, achats_a_corriger=2, achats_vides=1)
    params = {"activite": categories[0], "date_creation": creation, "acre": "oui", "periodicite": "mensuelle",
              "zone": "metropole", "annee": year, "versement_liberatoire": "oui"}
    params.update(parametres)
    return Ledgers(recettes, achats, params, counts)


def workbook_bytes(ledgers: Ledgers, rows: int = L.MAX_ROWS) -> bytes:
    """The template filled with these ledgers (rows from the first data row, in order)."""
    wb = build.build_workbook(ledgers.parametres, rows)
    build.fill_ledger(wb, L.SHEET_RECETTES, ledgers.recettes)
    build.fill_ledger(wb, L.SHEET_ACHATS, ledgers.achats)
    return build.workbook_bytes(wb)
