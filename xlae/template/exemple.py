"""The filled example workbook: an IT freelancer in BNC, created in mid-2025.

Why: a user (and the README's demo) needs a realistic workbook to see every
figure of the summary at work; it is generated from code with a fixed seed so
that the committed file can be checked for staleness like the template.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from . import build
from . import layout as L

SEED = 20250616
CREATION = dt.date(2025, 6, 16)
YEAR = 2026
LAST_MONTH = 10  # the books stop at the end of October 2026: every row is in the past
# The day its cached dashboard is computed for (reproducible bytes): mid-November, the October declaration
# is the next one. A spreadsheet recomputes TODAY() on opening.
TODAY = dt.date(YEAR, LAST_MONTH + 1, 15)
DAILY_RATE = 480
CLIENTS = ("Atelier Numérique SARL", "Boulangerie Morel SAS", "Cabinet Lefèvre Avocats", "Coopérative Vélocité",
           "Mairie de Saint-Aubin", "Studio Pixel & Son")
MISSIONS = ("Développement d'une application web", "Maintenance du site et corrections",
            "Audit de sécurité du réseau", "Formation aux outils bureautiques", "Migration des serveurs")
PARAMETRES = {"activite": "bnc", "nature": "liberale", "date_creation": CREATION, "acre": "oui",
              "versement_liberatoire": "non", "periodicite": "mensuelle", "zone": "metropole",
              "departement": "35", "annee": YEAR, "ca_annee_precedente": None}


def _months() -> list[tuple[int, int]]:
    """Months with activity: from creation to October 2026 (no date in the future), August off."""
    months = []
    year, month = CREATION.year, CREATION.month
    while (year, month) <= (YEAR, LAST_MONTH):
        if month != 8:
            months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _from_creation(day: dt.date) -> dt.date:
    """No purchase before the creation date (the verifier would rightly flag it)."""
    return max(day, CREATION)


def recettes(rnd: random.Random) -> list[dict[str, Any]]:
    rows = []
    number = 0
    for year, month in _months():
        for _ in range(rnd.randint(1, 3)):
            day = rnd.randint(1, 28)
            if dt.date(year, month, day) < CREATION:
                day = CREATION.day
            number += 1
            days = rnd.randint(2, 6)
            rows.append({"date": dt.date(year, month, day), "reference": f"F{year}-{number:03d}",
                         "client": rnd.choice(CLIENTS), "nature": rnd.choice(MISSIONS), "categorie": "bnc",
                         "montant": float(DAILY_RATE * days),
                         "mode": rnd.choice(("Virement", "Virement", "Virement", "Chèque")),
                         "observations": f"{days} jours à {DAILY_RATE} €"})
    rows.sort(key=lambda r: r["date"])
    return rows


def achats(rnd: random.Random) -> list[dict[str, Any]]:
    rows = [{"date": dt.date(2025, 6, 20), "reference": "FA-2025-01", "fournisseur": "Informatique Direct",
             "nature": "Ordinateur portable", "montant": 1899.0, "mode": "Carte bancaire"}]
    for year, month in _months():
        rows.append({"date": _from_creation(dt.date(year, month, 5)), "reference": f"AB-{year}{month:02d}",
                     "fournisseur": "Nuage Logiciels", "nature": "Abonnement logiciels de développement",
                     "montant": 29.0, "mode": "Prélèvement"})
        if rnd.random() < 0.5:
            rows.append({"date": _from_creation(dt.date(year, month, rnd.randint(6, 28))),
                         "reference": f"CW-{year}{month:02d}",
                         "fournisseur": "La Ruche Coworking", "nature": "Location de bureau partagé",
                         "montant": float(rnd.choice((120, 180, 240))), "mode": "Carte bancaire"})
    rows.append({"date": dt.date(2026, 3, 12), "reference": "FO-2026-01", "fournisseur": "Organisme Formatech",
                 "nature": "Formation certifiante", "montant": 650.0, "mode": "Virement"})
    rows.sort(key=lambda r: r["date"])
    return rows


def example_workbook(rows: int = L.MAX_ROWS):
    rnd = random.Random(SEED)
    wb = build.build_workbook(PARAMETRES, rows)
    build.fill_ledger(wb, L.SHEET_RECETTES, recettes(rnd))
    build.fill_ledger(wb, L.SHEET_ACHATS, achats(rnd))
    return wb


def example_bytes(rows: int = L.MAX_ROWS, today: dt.date = TODAY) -> bytes:
    """The example's xlsx bytes with computed values (deterministic); ``rows`` as in ``build.build_workbook``."""
    return build.computed_bytes(example_workbook(rows), rows, today)
