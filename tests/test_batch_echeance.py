"""The report's "Prochaine échéance": first declaration whose due date is on or after the reference date."""

from __future__ import annotations

import datetime as dt

import pytest

from xlae import cli
from xlae.batch.summary import next_due_date

D = dt.date
MONTHLY = {"periodicite": "mensuelle", "date_creation": D(2025, 7, 1)}
QUARTERLY = {"periodicite": "trimestrielle", "date_creation": D(2025, 7, 1)}


@pytest.mark.parametrize("params, today, expected", [
    # February's declaration is due on the last day of March: still ahead on 10/03 and on 31/03 itself.
    (MONTHLY, D(2026, 3, 10), D(2026, 3, 31)),
    (MONTHLY, D(2026, 3, 31), D(2026, 3, 31)),
    (MONTHLY, D(2026, 4, 1), D(2026, 4, 30)),    # then March's, due 30/04
    # First quarterly declaration: Q3 2025 + the next quarter, due 31/01/2026; then Q1 2026, due 30/04.
    (QUARTERLY, D(2026, 1, 15), D(2026, 1, 31)),
    (QUARTERLY, D(2026, 2, 1), D(2026, 4, 30)),
    # Before the creation date: the first declaration (June + the 3 following months), due 31/10/2026.
    ({"periodicite": "mensuelle", "date_creation": D(2026, 6, 16)}, D(2026, 1, 10), D(2026, 10, 31)),
    # No creation date, periodicity empty (monthly, as AE_ECHEANCE reads it): December 2025 due 31/01/2026.
    ({"periodicite": None, "date_creation": None}, D(2026, 1, 1), D(2026, 1, 31)),
    # Creation date typed as a French text, as AE_ECHEANCE accepts it.
    ({"periodicite": "Mensuelle", "date_creation": "01/07/2025"}, D(2026, 3, 10), D(2026, 3, 31)),
])
def test_next_due_date(params: dict, today: dt.date, expected: dt.date) -> None:
    assert next_due_date(params, today) == expected


@pytest.mark.parametrize("params", [{"periodicite": "hebdomadaire", "date_creation": None},
                                    {"periodicite": "mensuelle", "date_creation": "le printemps"}])
def test_unreadable_parameters_give_no_date(params: dict) -> None:
    assert next_due_date(params, D(2026, 3, 10)) is None


def test_bad_reference_date_is_bad_usage(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["recalculer", "x.xlsx", "--date-reference", "31/02/2026"])
    assert exit_info.value.code == 2
    assert "--date-reference : la date « 31/02/2026 » n'existe pas" in capsys.readouterr().err
