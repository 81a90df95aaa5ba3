"""Abattement forfaitaire (71 / 50 / 34 %, at least 305 € per fraction of CA,
never more than the CA) and taxable revenu."""

from __future__ import annotations

import pytest

from conftest import D
from xlae.rates import bundled_text, parse_rates
from xlae.rules.abattement import abattement, fractions, revenu
from xlae.rules.vocabulary import Activite

V, S, B, C = Activite.VENTE, Activite.SERVICE_BIC, Activite.BNC, Activite.BNC_CIPAV


@pytest.mark.parametrize("activite,ca,expected_abattement,expected_revenu", [
    (V, "0", "0", "0"),
    (V, "100", "100", "0"),            # min 305 but never above the CA: 100, revenu 0
    (V, "429", "305", "124"),          # 429 × 71 % = 304.59 < 305 → 305 ; 429 − 305 = 124
    (V, "430", "305.30", "124.70"),    # 430 × 71 % = 305.30 (break-even 305 / 0.71 = 429.58)
    (V, "1000", "710", "290"),         # 1 000 × 71 % = 710
    (V, "1234.56", "876.54", "358.02"),  # 1 234.56 × 0.71 = 876.5376 → 876.54
    (S, "609", "305", "304"),          # 609 × 50 % = 304.50 < 305
    (S, "610", "305", "305"),          # 610 × 50 % = 305 (break-even)
    (S, "611", "305.50", "305.50"),
    (S, "1001.01", "500.51", "500.50"),  # 500.505 rounded half up → 500.51
    (S, "30000", "15000", "15000"),
    (B, "300", "300", "0"),            # below the minimum: abattement = CA
    (B, "897", "305", "592"),          # 897 × 34 % = 304.98 < 305 (break-even 305 / 0.34 = 897.06)
    (B, "898", "305.32", "592.68"),    # 898 × 34 % = 305.32
    (B, "42000", "14280", "27720"),    # 42 000 × 34 % = 14 280
    (C, "42000", "14280", "27720"),    # Cipav: same micro-BNC abattement
])
def test_single_activity(activite, ca, expected_abattement, expected_revenu):
    for annee in (2023, 2026):  # 71 / 50 / 34 % and 305 € unchanged 2023-2026
        assert abattement({activite: D(ca)}, annee) == D(expected_abattement)
        assert revenu({activite: D(ca)}, annee) == D(expected_revenu)


@pytest.mark.parametrize("ca,expected_abattement,expected_revenu", [
    # fact sheet §b: vente 1 000 → 710 ; services 100 → min(100, 305) = 100 ; revenu 1 100 − 810 = 290
    ({V: "1000", S: "100"}, "810", "290"),
    # 50 000 × 71 % = 35 500 ; 20 000 × 34 % = 6 800 ; revenu 70 000 − 42 300 = 27 700
    ({V: "50000", B: "20000"}, "42300", "27700"),
    # each fraction below 305: each abattement = its CA → revenu 0
    ({V: "200", S: "200"}, "400", "0"),
    # 400 → max(305, 284) = 305 ; 700 → max(305, 350) = 350 ; revenu 1 100 − 655 = 445
    ({V: "400", S: "700"}, "655", "445"),
    # BNC SSI + Cipav are one fraction (CGI 102 ter): 1 000 × 34 % = 340, one floor only
    ({B: "500", C: "500"}, "340", "660"),
    # three fractions: 305 + 305 + 305 (each below its break-even)
    ({V: "400", S: "600", B: "800"}, "915", "885"),
    # a zero fraction is ignored (no 305 € floor on nothing)
    ({V: "1000", S: "0"}, "710", "290"),
])
def test_mixed_activity_floor_per_fraction(ca, expected_abattement, expected_revenu):
    amounts = {k: D(v) for k, v in ca.items()}
    assert abattement(amounts, 2026) == D(expected_abattement)
    assert revenu(amounts, 2026) == D(expected_revenu)


def test_fractions_group_bnc_and_cipav():
    assert fractions({V: D(1), B: D(2), C: D(3)}) == {V: D(1), B: D(5)}


def test_alternative_single_floor_on_the_sum():
    # Rates sheet switch abattement_minimum_par_fraction = 0 (mon-entreprise reading).
    text = bundled_text().replace("abattement_minimum_par_fraction,toutes,toutes,2001-01-01,1,",
                                  "abattement_minimum_par_fraction,toutes,toutes,2001-01-01,0,")
    rates = parse_rates(text, "essai")
    # 710 + 50 = 760 ; floor 305 + 305 = 610 ; max(610, 760) = 760 ; revenu 1 100 − 760 = 340 (MS figure)
    assert abattement({V: D(1000), S: D(100)}, 2026, rates) == D(760)
    assert revenu({V: D(1000), S: D(100)}, 2026, rates) == D(340)
    # single activity: unchanged, 305 € minimum (200 capped at the CA)
    assert abattement({B: D(897)}, 2026, rates) == D(305)
    assert abattement({B: D(200)}, 2026, rates) == D(200)
