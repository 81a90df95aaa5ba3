"""Income tax (barème, QF cap, décote), the versement libératoire comparison and the 2042-C-PRO
boxes, against hand computations from /work/shared/droits-impot.md §4."""

from __future__ import annotations

import pytest

from xlae.udfs_droits import ae_case_2042, ae_impot, ae_impot_vl

ERR = "Erreur : "


@pytest.mark.parametrize("ca,activite,expected", [
    # Worked examples of §4.6, single person, 1 part, income year 2025 (tranche 1 limit 11 600, 2: 29 579)
    (20000, "vente", 0.0),          # 20 000 × 29 % = 5 800 < 11 600 → 0
    (30000, "bnc", 413.15),         # 19 800 : (19 800 − 11 600) × 11 % = 902 ; décote 897 − 45.25 % × 902 = 488.85 ; 413.15
    (60000, "service_bic", 2103.99),  # 30 000 : 17 979 × 11 % = 1 977.69 + 421 × 30 % = 126.30 → 2 103.99
    (70000, "bnc", 6963.99),        # 46 200 : 1 977.69 + 16 621 × 30 % = 4 986.30 → 6 963.99
])
def test_fact_sheet_examples(ca, activite, expected):
    assert ae_impot(ca, activite, 2025) == expected


def test_decote_threshold_one_part():
    # décote applies while brut < 897 / 0.4525 = 1 982.32 (2025)
    # revenu 29 579 (top of tranche 2): brut 1 977.69 ; décote 897 − 45.25 % × 1 977.69 = 897 − 894.904725 = 2.10 ; 1 975.59
    assert ae_impot(0, "bnc", 2025, 1, 29579) == 1975.59
    # revenu 29 600: brut 1 977.69 + 21 × 30 % = 1 983.99 > 1 982.32 → no décote
    assert ae_impot(0, "bnc", 2025, 1, 29600) == 1983.99
    # one euro more than the first tranche: 11 601 → brut 0.11 ; décote min(0.11, 897 − 0.05) → net 0
    assert ae_impot(0, "bnc", 2025, 1, 11601) == 0.0


@pytest.mark.parametrize("annee,revenu,expected", [
    # Tranche 1 limit of each income year, and one euro over: brut 0 and 0.11 € (décote cancels it)
    (2023, 11294, 0.0), (2024, 11497, 0.0), (2025, 11600, 0.0),
    # 2023, revenu 40 000, 1 part: (28 797 − 11 294) × 11 % = 1 925.33 + (40 000 − 28 797) × 30 % = 3 360.90 → 5 286.23
    (2023, 40000, 5286.23),
    # 2024: (29 315 − 11 497) × 11 % = 1 959.98 + 10 685 × 30 % = 3 205.50 → 5 165.48
    (2024, 40000, 5165.48),
    # 2025: 1 977.69 + 10 421 × 30 % = 3 126.30 → 5 103.99 ; 2026 (barème UNCERTAIN, 2025 kept): the same
    (2025, 40000, 5103.99), (2026, 40000, 5103.99),
    # 2025, revenu 100 000, 1 part: 1 977.69 + (84 577 − 29 579) × 30 % = 16 499.40 + 15 423 × 41 % = 6 323.43 → 24 800.52
    (2025, 100000, 24800.52),
    # 2025, 200 000: 1 977.69 + 16 499.40 + (181 917 − 84 577) × 41 % = 39 909.40 + 18 083 × 45 % = 8 137.35 → 66 523.84
    (2025, 200000, 66523.84),
])
def test_barème_by_income_year(annee, revenu, expected):
    assert ae_impot(0, "vente", annee, 1, revenu) == expected


def test_couple_two_parts_and_couple_decote():
    # Couple, 2 parts, BNC 30 000 (19 800) + other income 20 000 = 39 800 ; quotient 19 900
    # (19 900 − 11 600) × 11 % = 913 × 2 = 1 826 ; décote couple 1 483 − 45.25 % × 1 826 = 656.735 → 656.74 ; 1 169.26
    assert ae_impot(30000, "bnc", 2025, 2, 20000) == 1169.26
    # Couple 2 parts, revenu 80 000 : quotient 40 000 → 5 103.99 × 2 = 10 207.98 (no décote)
    assert ae_impot(0, "bnc", 2025, 2, 80000) == 10207.98


def test_quotient_familial_cap():
    # Single + 1 child (1.5 parts), revenu 60 000, 2025:
    # 1.5 parts: quotient 40 000 → 5 103.99 × 1.5 = 7 655.985 ; 1 part: 1 977.69 + 30 421 × 30 % = 11 103.99
    # cap: 11 103.99 − 1 807 × 1 = 9 296.99 > 7 655.99 → 9 296.99
    assert ae_impot(0, "bnc", 2025, 1.5, 60000) == 9296.99
    # Not capped: revenu 30 000, 1.5 parts: quotient 20 000 → 924 × 1.5 = 1 386 ; 1 part 2 103.99 − 1 807 = 296.99
    # décote 897 − 45.25 % × 1 386 = 269.835 → 269.84 ; 1 386 − 269.84 = 1 116.16
    assert ae_impot(0, "bnc", 2025, 1.5, 30000) == 1116.16
    # Couple + 2 children (3 parts), revenu 90 000: 3 parts quotient 30 000 → 2 103.99 × 3 = 6 311.97 ;
    # 2 parts quotient 45 000 → 6 603.99 × 2 = 13 207.98 − 2 × 1 807 = 9 593.98 → capped 9 593.98
    assert ae_impot(0, "bnc", 2025, 3, 90000) == 9593.98
    # 2023 cap (1 759): revenu 60 000, 1.5 parts: 1 part 1 925.33 + 31 203 × 30 % = 11 286.23 − 1 759 = 9 527.23 ;
    # 1.5 parts quotient 40 000 → 5 286.23 × 1.5 = 7 929.345 → 9 527.23
    assert ae_impot(0, "bnc", 2023, 1.5, 60000) == 9527.23


def test_mixed_activity_income():
    # vente 20 000 → 5 800 ; BNC 30 000 → 19 800 ; 25 600 : (25 600 − 11 600) × 11 % = 1 540 ;
    # décote 897 − 696.85 = 200.15 → 1 339.85
    assert ae_impot([[20000, 30000]], [["vente", "bnc"]], 2025) == 1339.85


def test_vl_comparison_texts():
    text = ae_impot_vl(30000, "bnc", 2025)
    # barème 413.15 ; VL 30 000 × 2.2 % = 660 → barème cheaper by 246.85 ; RFR 2023 ≤ 28 797 (1 part)
    assert "impôt au barème 413,15 €" in text and "660 €" in text
    assert "le barème est moins cher de 246,85 €" in text and "RFR 2023 ≤ 28 797 € (1 part)" in text
    text = ae_impot_vl(60000, "service_bic", 2025, 1, 0, 25000)
    # 2 103.99 vs 60 000 × 1.7 % = 1 020 → VL cheaper by 1 083.99 ; RFR 25 000 ≤ 28 797 → allowed
    assert "le versement libératoire est moins cher de 1 083,99 €" in text and "versement libératoire autorisé" in text
    # Couple 2 parts, RFR 2024 of 60 000 > 2 × 29 315 = 58 630 → not allowed (VL for 2026 income)
    text = ae_impot_vl(60000, "service_bic", 2026, 2, 0, 60000)
    assert "non autorisé : RFR 2024 de 60 000 € > 58 630 € (2 parts)" in text
    assert "incertain" in text  # barème for 2026 income UNCERTAIN
    # RFR exactly at the limit is allowed; one euro over is not (2025: 28 797 per part)
    assert "autorisé : RFR 2023 de 28 797 €" in ae_impot_vl(60000, "service_bic", 2025, 1, 0, 28797)
    assert "non autorisé" in ae_impot_vl(60000, "services", 2025, 1, 0, 28798)


def test_vl_with_other_income_uses_the_taux_effectif():
    # Single, BNC 70 000 (46 200) + salaries 20 000: barème on 66 200 : 1 977.69 + 36 621 × 30 % = 12 963.99
    # VL: 1 540 ; other income at the taux effectif: 12 963.99 × 20 000 / 66 200 = 3 916.61 (no décote)
    text = ae_impot_vl(70000, "bnc", 2025, 1, 20000)
    assert "impôt au barème 12 963,99 €" in text
    assert "avec versement libératoire 5 456,61 € (1 540 € sur le CA + impôt sur les autres revenus 3 916,61 €)" in text
    # 12 963.99 − 5 456.61 = 7 507.38
    assert "le versement libératoire est moins cher de 7 507,38 €" in text


@pytest.mark.parametrize("activite,vl,case", [
    ("vente", False, "5KO"), ("service_bic", False, "5KP"), ("bnc", False, "5HQ"), ("bnc_cipav", False, "5HQ"),
    ("vente", True, "5TA"), ("service_bic", True, "5TB"), ("bnc", True, "5TE"), ("cipav", "oui", "5TE"),
])
def test_2042_c_pro_boxes(activite, vl, case):
    assert ae_case_2042(activite, vl) == case


@pytest.mark.parametrize("call,fragment", [
    (lambda: ae_impot(-1, "bnc", 2025), "ca : montant négatif"),
    (lambda: ae_impot(1000, "bnc", 2025, 0), "parts : valeur « 0 » refusée"),
    (lambda: ae_impot(1000, "bnc", 2025, -2), "parts : valeur « -2 » refusée"),
    (lambda: ae_impot(1000, "bnc", 2025, 1.3), "par quart de part"),
    (lambda: ae_impot(1000, "bnc", 2025, 1.5, 0, True), "un couple a au moins 2 parts"),
    (lambda: ae_impot(1000, "bnc", 2022), "annee : 2022 est antérieure à la couverture"),
    (lambda: ae_impot(1000, "bnc", 2025, 1, -10), "autres_revenus : montant négatif"),
    (lambda: ae_impot_vl(1000, "bnc", 2025, 1, 0, -1), "rfr : montant négatif"),
    (lambda: ae_case_2042("astrologue"), "activite : valeur « astrologue » refusée"),
    (lambda: ae_case_2042("bnc", "peut-être"), "versement_liberatoire : valeur « peut-être » refusée"),
])
def test_bad_input(call, fragment):
    result = call()
    assert isinstance(result, str) and result.startswith(ERR) and fragment in result
