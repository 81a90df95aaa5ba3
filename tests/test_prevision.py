"""Forecast crossing dates (ceiling, VAT thresholds) and the VAT crossing worksheet,
hand-computed: crossing day = floor(threshold × days elapsed / CA to date) + 1, counted from
1 January (or the creation day)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from xlae.rules import prevision
from xlae.rules.vocabulary import Activite
from xlae.udfs_droits import ae_date_depassement, ae_tva_depassement

ERR = "Erreur : "
D = Decimal


def test_vat_thresholds_2026_services():
    # 20 000 € from 01/01 to 30/04/2026 (120 days):
    # base threshold of 2027 37 500 (UNCERTAIN, kept): 37 500 × 120 / 20 000 = 225 → day 226 = 14/08/2026
    assert ae_date_depassement(20000, "service_bic", "2026-04-30", "tva") == dt.date(2026, 8, 14)
    # majoré 2026 41 250: 41 250 × 120 / 20 000 = 247.5 → day 248 = 05/09/2026
    assert ae_date_depassement(20000, "service_bic", "2026-04-30", "tva_majore") == dt.date(2026, 9, 5)
    # ceiling of 2027 83 600: 501.6 days > 365 → not this year
    assert ae_date_depassement(20000, "service_bic", "2026-04-30") == "pas cette année"


def test_leap_year_and_month_start_before_2025():
    # 10 000 € in January (31 days); majoré 39 100 (2023 and 2024): 39 100 × 31 / 10 000 = 121.21 → day 122
    assert ae_date_depassement(10000, "bnc", "2024-01-31", "tva_majore") == dt.date(2024, 5, 1)   # leap year
    assert ae_date_depassement(10000, "bnc", "2023-01-31", "tva_majore") == dt.date(2023, 5, 2)
    found = prevision.forecast({Activite.BNC: D(10000)}, dt.date(2024, 1, 31), "tva_majore")
    assert "TVA due à compter du 01/05/2024" in found.message           # 1st day of the month before 2025
    found = prevision.forecast({Activite.BNC: D(10000)}, dt.date(2025, 1, 31), "tva_majore")
    # 2025: majoré 41 250 × 31 / 10 000 = 127.875 → day 128 = 08/05/2025, VAT from that very day
    assert found.date == dt.date(2025, 5, 8) and "TVA due à compter du 08/05/2025" in found.message


def test_creation_year_prorated_ceiling_and_pace():
    # created 01/03/2026: ceiling 83 600 × 306 / 365 = 70 086.58 ; pace since 01/03 (61 days to 30/04)
    # 70 086.58 × 61 / 20 000 = 213.76 → day 214 from 01/03 = 30/09/2026
    assert ae_date_depassement(20000, "bnc", "2026-04-30", "plafond", "2026-03-01") == dt.date(2026, 9, 30)
    found = prevision.forecast({Activite.BNC: D(20000)}, dt.date(2026, 4, 30), "plafond", dt.date(2026, 3, 1))
    assert "70 086,58 €" in found.message and "premier dépassement : toléré" in found.message


def test_at_the_threshold_and_one_euro_over_on_31_december():
    # CA = ceiling of 2027 (83 600) on 31/12/2026: not over → not this year ; 83 601 → already over
    assert ae_date_depassement(83600, "bnc", "2026-12-31") == "pas cette année"
    assert ae_date_depassement(83601, "bnc", "2026-12-31") == "déjà dépassé"
    # 37 500 on 30/12 (364 days): 37 500 × 364 / 37 500 = 364 → day 365 = 31/12/2026
    assert ae_date_depassement(37500, "bnc", "2026-12-30", "tva") == dt.date(2026, 12, 31)
    # 37 397: 37 500 × 364 / 37 397 = 365.003 → day 366 → next year
    assert ae_date_depassement(37397, "bnc", "2026-12-30", "tva") == "pas cette année"
    assert ae_date_depassement(0, "bnc", "2026-06-30", "tva") == "pas cette année"


def test_mixed_activity_earliest_test():
    # vente 50 000 + services 30 000 to 30/06/2026 (181 days), VAT base of 2027:
    # CA global 80 000 vs 85 000: 85 000 × 181 / 80 000 = 192.3 → day 193 = 12/07/2026
    # services 30 000 vs 37 500: 226.25 → day 227 = 15/08 ; the earliest wins
    found = ae_date_depassement([[50000, 30000]], [["vente", "service_bic"]], "2026-06-30", "tva")
    assert found == dt.date(2026, 7, 12)


def test_tolerance_before_2025_in_the_message():
    # CA 2023 over the base threshold only: franchise kept in 2024 (tolerance), lost if 2024 repeats
    found = prevision.forecast({Activite.BNC: D(20000)}, dt.date(2023, 6, 30), "tva")
    assert "maintenue en 2024 (tolérance d'une année)" in found.message


@pytest.mark.parametrize("args,fragment", [
    ((-1, "bnc", "2026-01-31"), "ca : montant négatif"),
    ((1000, "bnc", "2026-01-31", "tva_super"), "seuil : valeur « tva_super » refusée"),
    ((1000, "bnc", "2022-06-30"), "date_calcul : le 30/06/2022 est antérieur à la couverture"),
    ((1000, "bnc", "2026-01-31", None, "2026-03-01"), "date_creation : le 01/03/2026 est postérieur"),
])
def test_forecast_bad_input(args, fragment):
    result = ae_date_depassement(*args)
    assert isinstance(result, str) and result.startswith(ERR) and fragment in result


# --- VAT crossing worksheet ----------------------------------------------------

def _column(values):
    return [[v] for v in values]


def test_majore_crossed_receipts_to_reissue_2026():
    # 5 000 € on the 10th of each month: cumulative 45 000 on 10/09 > 41 250 → VAT from 10/09/2026 ;
    # receipts of 10/09, 10/10, 10/11, 10/12: 4 × 5 000 = 20 000 €
    dates = [f"2026-{m:02d}-10" for m in range(1, 13)]
    assert ae_tva_depassement(_column(dates), _column([5000] * 12), _column(["service_bic"] * 12), 2026) \
        == dt.date(2026, 9, 10)
    receipts = [prevision.Receipt(dt.date(2026, m, 10), Activite.SERVICE_BIC, D(5000), f"F{m}", m + 1)
                for m in range(1, 13)]
    (crossing,) = prevision.tva_depassement(receipts, 2026).crossings
    assert [r.reference for r in crossing.a_refacturer] == ["F9", "F10", "F11", "F12"]
    assert "4 recette(s) à refacturer avec TVA (20 000 €)" in crossing.message


def test_majore_exactly_reached_is_not_crossed_and_base_only_ends_the_franchise():
    # 41 250 exactly = majoré 2026: not exceeded ; 41 250 > base of 2027 (37 500) → franchise ends 01/01/2027
    result = ae_tva_depassement(_column(["2026-03-01", "2026-06-01"]), _column([40000, 1250]),
                                _column(["bnc", "bnc"]), 2026)
    assert "la franchise" not in result and "perdue au 1er janvier 2027" in result
    # one euro more: crossed on 01/06/2026
    assert ae_tva_depassement(_column(["2026-03-01", "2026-06-01"]), _column([40000, 1251]),
                              _column(["bnc", "bnc"]), 2026) == dt.date(2026, 6, 1)


def test_before_2025_vat_from_the_first_of_the_month():
    # 2024: majoré 39 100 crossed on 20/08/2024 (35 000 + 5 000) → VAT from 01/08/2024 ; receipts of August on
    receipts = [prevision.Receipt(dt.date(2024, 3, 1), Activite.BNC, D(35000)),
                prevision.Receipt(dt.date(2024, 8, 5), Activite.BNC, D(1000), "A"),
                prevision.Receipt(dt.date(2024, 8, 20), Activite.BNC, D(5000), "B")]
    (crossing,) = prevision.tva_depassement(receipts, 2024).crossings
    assert (crossing.jour_majore, crossing.tva_due_depuis) == (dt.date(2024, 8, 20), dt.date(2024, 8, 1))
    assert [r.reference for r in crossing.a_refacturer] == ["A", "B"]


def test_no_threshold_crossed_and_other_years_ignored():
    result = ae_tva_depassement(_column(["2026-01-05", "2025-12-31"]), _column([1000, 90000]),
                                _column(["vente", "vente"]), 2026)
    assert result == "Seuils de franchise de TVA non dépassés en 2026."


@pytest.mark.parametrize("dates,montants,activites,fragment", [
    (["2026-01-01"], [1, 2], ["bnc", "bnc"], "même taille"),
    (["2026-01-01"], [-5], ["bnc"], "montants (cellule 1) : montant négatif"),
    (["pas une date"], [5], ["bnc"], "dates (cellule 1) : valeur « pas une date » refusée"),
    (["2026-01-01"], [5], ["danse"], "activites (cellule 1) : valeur « danse » refusée"),
    ([None], [5], ["bnc"], "dates (cellule 1) : vide"),
])
def test_vat_worksheet_bad_input(dates, montants, activites, fragment):
    result = ae_tva_depassement(_column(dates), _column(montants), _column(activites), 2026)
    assert isinstance(result, str) and result.startswith(ERR) and fragment in result
