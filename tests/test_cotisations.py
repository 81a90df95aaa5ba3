"""Micro-social rates (CSS D613-4) at each change date, ACRE (window, share by
creation date, rounding, Cipav fixed rate), DROM periods, and the amounts."""

from __future__ import annotations

import pytest

from conftest import D, day
from xlae.errors import XlaeError
from xlae.rules.cotisations import acre_end, cotisations, taux_cotisations
from xlae.rules.vocabulary import Activite, Zone

V, S, B, C = Activite.VENTE, Activite.SERVICE_BIC, Activite.BNC, Activite.BNC_CIPAV


@pytest.mark.parametrize("activite,on,expected", [
    (V, "2023-01-01", "0.123"), (V, "2026-12-31", "0.123"),
    (S, "2023-01-01", "0.212"), (S, "2026-12-31", "0.212"),
    (B, "2023-01-01", "0.211"),
    (B, "2024-06-30", "0.211"), (B, "2024-07-01", "0.231"),   # décret 2024-484
    (B, "2024-12-31", "0.231"), (B, "2025-01-01", "0.246"),
    (B, "2025-12-31", "0.246"), (B, "2026-01-01", "0.256"),   # décret 2025-943 (not 26.1 %)
    (C, "2024-06-30", "0.212"), (C, "2024-07-01", "0.232"),   # Cipav 2024-07-01
    (C, "2026-01-01", "0.232"),
    (B, "2031-03-15", "0.256"),                                # after the newest rates
])
def test_normal_rate_at_each_change_date(activite, on, expected):
    rate = taux_cotisations(activite, day(on))
    assert rate.taux == D(expected)
    assert rate.explication == f"taux normal {activite.value}"


def test_date_before_coverage_is_refused():
    with pytest.raises(XlaeError) as error:
        taux_cotisations(V, day("2022-12-31"))
    assert str(error.value) == ("date : le 31/12/2022 est antérieur à la couverture du barème "
                                "(à partir du 01/01/2023).")


@pytest.mark.parametrize("creation,end", [
    ("2026-03-01", "2026-12-31"),  # Q1 2026 + 3 quarters → end of Q4 2026
    ("2026-08-15", "2027-06-30"),  # Q3 2026 + 3 → end of Q2 2027
    ("2026-06-30", "2027-03-31"),  # Q2 + 3 → Q1 2027
    ("2026-07-01", "2027-06-30"),
    ("2025-11-01", "2026-09-30"),  # Q4 2025 + 3 → Q3 2026
    ("2026-12-31", "2027-09-30"),
    ("2024-01-01", "2024-12-31"),
])
def test_acre_end(creation, end):
    assert acre_end(day(creation)) == day(end)


@pytest.mark.parametrize("activite,creation,on,expected", [
    # share 50 % (creations until 2026-06-30), rounded to 1 decimal of %
    (V, "2026-03-01", "2026-03-01", "0.062"),   # 12.3 × 50 % = 6.15 → 6.2 %
    (V, "2026-03-01", "2026-12-31", "0.062"),   # last day of the window
    (V, "2026-03-01", "2027-01-01", "0.123"),   # window over: normal rate
    (V, "2026-03-01", "2026-02-28", "0.123"),   # before the start: normal rate
    (S, "2026-03-01", "2026-06-01", "0.106"),   # 21.2 × 50 % = 10.6
    (B, "2023-03-01", "2023-05-01", "0.106"),   # 21.1 × 50 % = 10.55 → 10.6
    (B, "2024-03-01", "2024-06-30", "0.106"),   # 10.55 → 10.6
    (B, "2024-03-01", "2024-07-01", "0.116"),   # 23.1 × 50 % = 11.55 → 11.6
    (B, "2025-01-15", "2025-02-01", "0.123"),   # 24.6 × 50 % = 12.3
    (B, "2025-11-01", "2025-12-31", "0.123"),
    (B, "2025-11-01", "2026-01-01", "0.128"),   # 25.6 × 50 % = 12.80 (2 decimals from 2026)
    (B, "2025-11-01", "2026-09-30", "0.128"),   # ACRE until 30/09/2026
    (B, "2025-11-01", "2026-10-01", "0.256"),
    (B, "2026-06-30", "2026-06-30", "0.128"),   # created 30 June 2026: 50 %
    # share 75 % (creations from 2026-07-01)
    (B, "2026-07-01", "2026-07-01", "0.192"),   # 25.6 × 75 % = 19.20
    (S, "2026-06-30", "2026-07-01", "0.106"),   # created the day before: 50 %
    (S, "2026-07-01", "2026-07-01", "0.159"),   # 21.2 × 75 % = 15.9
    (V, "2026-08-15", "2026-09-01", "0.092"),   # 12.3 × 75 % = 9.225 → 9.2
    (V, "2026-08-15", "2027-06-30", "0.092"),   # last day of the window (2027: 1 decimal still)
    (V, "2026-08-15", "2027-07-01", "0.123"),   # ended
    # Cipav: fixed ACRE rate, not share × rate
    (C, "2024-03-01", "2024-06-30", "0.121"),
    (C, "2024-03-01", "2024-07-01", "0.139"),
    (C, "2025-11-01", "2026-01-01", "0.134"),
    (C, "2026-07-01", "2026-07-01", "0.134"),   # kept for creations from 2026-07-01 (MS)
    (C, "2026-07-01", "2027-07-01", "0.232"),   # window over
])
def test_acre(activite, creation, on, expected):
    assert taux_cotisations(activite, day(on), True, day(creation)).taux == D(expected)


def test_acre_explanations():
    rate = taux_cotisations(V, day("2026-09-01"), True, day("2026-08-15"))
    assert rate.explication == "ACRE : 75 % du taux normal, arrondi à 1 décimale(s), jusqu'au 30/06/2027"
    assert [r.parametre for r in rate.rows] == ["taux_cotisations", "acre_part", "acre_decimales"]
    assert taux_cotisations(V, day("2027-01-01"), True, day("2026-03-01")).explication == (
        "taux normal (ACRE terminée le 31/12/2026)")
    assert taux_cotisations(V, day("2026-02-01"), True, day("2026-03-01")).explication == (
        "taux normal (ACRE pas encore commencée)")
    assert taux_cotisations(C, day("2026-09-01"), True, day("2026-08-15")).explication == (
        "taux ACRE Cipav fixe, jusqu'au 30/06/2027")


def test_acre_without_creation_date_is_refused():
    with pytest.raises(XlaeError) as error:
        taux_cotisations(V, day("2026-05-01"), True, None)
    assert error.value.argument == "date_creation"
    assert "acre" in str(error.value) and "date_creation" in str(error.value)


@pytest.mark.parametrize("activite,zone,creation,on,expected", [
    # created Q3 2024: P1 for 8 quarters (Q3 2024 … Q2 2026), P2 to the end of 2026 (3rd calendar year)
    (S, Zone.DROM, "2024-08-01", "2024-08-01", "0.036"),
    (S, Zone.DROM, "2024-08-01", "2026-06-30", "0.036"),
    (S, Zone.DROM, "2024-08-01", "2026-07-01", "0.106"),
    (S, Zone.DROM, "2024-08-01", "2026-12-31", "0.106"),
    (S, Zone.DROM, "2024-08-01", "2027-01-01", "0.142"),
    # BNC DROM, created Q1 2024: P1 to the end of 2025, P2 in 2026, after from 2027
    (B, Zone.DROM, "2024-01-15", "2024-06-30", "0.036"),
    (B, Zone.DROM, "2024-01-15", "2024-07-01", "0.039"),
    (B, Zone.DROM, "2024-01-15", "2025-01-01", "0.041"),
    (B, Zone.DROM, "2024-01-15", "2025-12-31", "0.041"),
    (B, Zone.DROM, "2024-01-15", "2026-01-01", "0.131"),
    (B, Zone.DROM, "2024-01-15", "2027-01-01", "0.174"),
    (V, Zone.MAYOTTE, "2026-03-01", "2026-03-01", "0.021"),
    (V, Zone.MAYOTTE, "2023-01-01", "2025-01-01", "0.062"),   # Q1 2023 + 8 = Q1 2025 → P2
    (V, Zone.MAYOTTE, "2023-01-01", "2026-01-01", "0.082"),
    (C, Zone.DROM, "2023-01-01", "2024-06-30", "0.071"),
    (C, Zone.DROM, "2023-01-01", "2024-07-01", "0.078"),
    (C, Zone.DROM, "2020-01-01", "2024-07-01", "0.155"),
])
def test_drom_periods(activite, zone, creation, on, expected):
    assert taux_cotisations(activite, day(on), False, day(creation), zone).taux == D(expected)


def test_acre_is_not_cumulated_with_drom_rates():
    rate = taux_cotisations(V, day("2026-05-01"), True, day("2026-03-01"), Zone.DROM)
    assert rate.taux == D("0.021")
    assert rate.explication == "taux DROM jusqu'au 8e trimestre civil ; ACRE non cumulable, non appliquée"


def test_drom_needs_creation_date():
    with pytest.raises(XlaeError, match="date_creation : les taux DROM dépendent de l'ancienneté"):
        taux_cotisations(V, day("2026-05-01"), False, None, Zone.DROM)


@pytest.mark.parametrize("ca,activite,on,acre,creation,expected", [
    ("30000", S, "2026-01-01", False, None, "6360.00"),     # 30 000 × 21.2 % = 6 360
    ("10000", V, "2026-01-01", False, None, "1230.00"),     # 10 000 × 12.3 % = 1 230
    ("42000", B, "2026-01-01", False, None, "10752.00"),    # 42 000 × 25.6 % = 10 752
    ("1234.56", B, "2026-01-01", False, None, "316.05"),    # 1 234.56 × 25.6 % = 316.047…
    ("15", V, "2026-01-01", False, None, "1.85"),           # 15 × 12.3 % = 1.845 → 1.85 (half up)
    ("1.25", S, "2026-01-01", False, None, "0.27"),         # 1.25 × 21.2 % = 0.265 → 0.27
    ("10000", V, "2026-09-01", True, "2026-08-15", "920.00"),   # 10 000 × 9.2 %
    ("10000", B, "2026-07-01", True, "2026-07-01", "1920.00"),  # 10 000 × 19.2 %
    ("0", B, "2026-01-01", False, None, "0.00"),
])
def test_cotisations_amounts(ca, activite, on, acre, creation, expected):
    amount = cotisations(D(ca), activite, day(on), acre, day(creation) if creation else None)
    assert amount == D(expected)
    assert str(amount) == expected  # to the cent


def test_acre_of_a_business_created_before_the_coverage():
    # Created 2022-11-15 (Q4 2022): ACRE until the end of Q3 2023, share 50 % (rows since 2020).
    assert acre_end(day("2022-11-15")) == day("2023-09-30")
    # 2023: 12.3 × 50 % = 6.15 → 6.2 %
    assert taux_cotisations(V, day("2023-09-30"), True, day("2022-11-15")).taux == D("0.062")
    assert taux_cotisations(V, day("2023-10-01"), True, day("2022-11-15")).taux == D("0.123")
    # Created in 2020, ACRE long over: the normal rate, not an error.
    assert taux_cotisations(B, day("2026-05-01"), True, day("2020-03-01")).taux == D("0.256")


def test_acre_creation_before_the_first_acre_row_is_named():
    with pytest.raises(XlaeError) as error:
        taux_cotisations(V, day("2026-05-01"), True, day("2019-06-01"))
    assert error.value.argument == "date_creation"
    assert "01/06/2019" in str(error.value) and "01/01/2020" in str(error.value)
