"""URSSAF declaration due dates: monthly, quarterly, first declaration (≥ 90 days)."""

from __future__ import annotations

import pytest

from conftest import day
from xlae.errors import XlaeError
from xlae.rules.echeance import declaration
from xlae.rules.vocabulary import Periodicite

M, T = Periodicite.MENSUELLE, Periodicite.TRIMESTRIELLE


@pytest.mark.parametrize("periodicite,on,creation,debut,fin,echeance,premiere", [
    # monthly: last day of the following month
    (M, "2026-05-15", None, "2026-05-01", "2026-05-31", "2026-06-30", False),  # May → 30 June
    (M, "2026-01-31", None, "2026-01-01", "2026-01-31", "2026-02-28", False),
    (M, "2024-01-15", None, "2024-01-01", "2024-01-31", "2024-02-29", False),  # leap February
    (M, "2026-12-10", None, "2026-12-01", "2026-12-31", "2027-01-31", False),  # December → next year
    # first monthly declaration: month of start + 3 months, due the end of the month after
    (M, "2025-03-06", "2025-03-06", "2025-03-06", "2025-06-30", "2025-07-31", True),  # 6 March → 31 July
    (M, "2025-06-30", "2025-03-06", "2025-03-06", "2025-06-30", "2025-07-31", True),
    (M, "2025-07-01", "2025-03-06", "2025-07-01", "2025-07-31", "2025-08-31", False),
    (M, "2025-09-15", "2025-09-15", "2025-09-15", "2025-12-31", "2026-01-31", True),  # SP: Sept → January
    (M, "2025-11-20", "2025-11-20", "2025-11-20", "2026-02-28", "2026-03-31", True),
    (M, "2026-05-15", "2020-01-01", "2026-05-01", "2026-05-31", "2026-06-30", False),  # old business
    # quarterly: Q1 → 30 April, Q2 → 31 July, Q3 → 31 October, Q4 → 31 January N+1
    (T, "2026-02-10", None, "2026-01-01", "2026-03-31", "2026-04-30", False),
    (T, "2026-04-01", None, "2026-04-01", "2026-06-30", "2026-07-31", False),
    (T, "2026-09-30", None, "2026-07-01", "2026-09-30", "2026-10-31", False),
    (T, "2026-11-05", None, "2026-10-01", "2026-12-31", "2027-01-31", False),
    # first quarterly declaration: quarter of start + the next one
    (T, "2025-01-10", "2025-01-10", "2025-01-10", "2025-06-30", "2025-07-31", True),  # 10 Jan → 31 July
    (T, "2025-07-01", "2025-01-10", "2025-07-01", "2025-09-30", "2025-10-31", False),
    (T, "2025-11-03", "2025-11-03", "2025-11-03", "2026-03-31", "2026-04-30", True),  # Q4 + Q1
])
def test_declaration(periodicite, on, creation, debut, fin, echeance, premiere):
    found = declaration(day(on), periodicite, day(creation) if creation else None)
    assert (found.debut, found.fin, found.echeance, found.premiere) == (
        day(debut), day(fin), day(echeance), premiere)


def test_label():
    assert declaration(day("2026-05-15")).libelle == "du 01/05/2026 au 31/05/2026"


def test_date_before_creation_is_refused():
    with pytest.raises(XlaeError) as error:
        declaration(day("2025-03-05"), M, day("2025-03-06"))
    assert error.value.argument == "date"
    assert str(error.value) == ("date : le 05/03/2025 précède la date de création (06/03/2025) ; "
                                "aucune déclaration ne couvre ce jour.")
