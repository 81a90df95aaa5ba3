"""CFP by nature (incl. the contested 0.2 % on commercial services), TFC
(CCI / CMA, Alsace-Moselle, none for liberal professions) and VL."""

from __future__ import annotations

import pytest

from conftest import D, day
from xlae.errors import XlaeError
from xlae.rates import bundled_text, parse_rates
from xlae.rules.contributions import cfp, cfp_row, parse_departement, tfc, vl
from xlae.rules.vocabulary import Activite, Nature

V, S, B, C = Activite.VENTE, Activite.SERVICE_BIC, Activite.BNC, Activite.BNC_CIPAV
COM, ART, LIB = Nature.COMMERCIALE, Nature.ARTISANALE, Nature.LIBERALE
ON = day("2026-03-01")


@pytest.mark.parametrize("activite,nature,ca,expected", [
    (V, COM, "10000", "10.00"),    # commerçant, sales: 10 000 × 0.1 %
    (S, COM, "10000", "20.00"),    # commercial services: 0.2 % (statute; URSSAF simulator 0.1 %)
    (S, ART, "10000", "30.00"),    # artisan: 0.3 % on all CA
    (V, ART, "10000", "30.00"),
    (B, LIB, "10000", "20.00"),    # liberal: 0.2 %
    (C, LIB, "10000", "20.00"),
    (S, COM, "1234.56", "2.47"),   # 1 234.56 × 0.2 % = 2.469 → 2.47
    (V, COM, "5", "0.01"),         # 5 × 0.1 % = 0.005 → 0.01 (half up)
])
def test_cfp(activite, nature, ca, expected):
    for on in (day("2023-01-01"), ON):  # unchanged 2023-2026
        assert cfp(D(ca), activite, on, nature) == D(expected)


def test_cfp_urssaf_variant_is_a_rates_sheet_switch():
    row = cfp_row(S, ON, COM)
    assert (row.valeur, row.statut) == (D("0.002"), "UNCERTAIN")
    text = bundled_text().replace("cfp_taux,commerciale_service,toutes,2022-01-01,0.002,",
                                  "cfp_taux,commerciale_service,toutes,2022-01-01,0.001,")
    # 10 000 × 0.1 % = 10 with the URSSAF simulator's reading
    assert cfp(D(10000), S, ON, COM, parse_rates(text, "essai")) == D("10.00")


@pytest.mark.parametrize("activite,nature,departement,expected", [
    (S, COM, None, "4.40"),     # CCI services: 10 000 × 0.044 %
    (V, COM, None, "1.50"),     # CCI sales: 10 000 × 0.015 %
    (S, COM, "57", "4.40"),     # CCI: same rate in Moselle
    (S, ART, None, "48.00"),    # CMA services: 0.48 %
    (S, ART, "67", "65.00"),    # Bas-Rhin: 0.65 %
    (S, ART, "68", "65.00"),    # Haut-Rhin: 0.65 %
    (S, ART, "57", "83.00"),    # Moselle: 0.83 %
    (S, ART, "75", "48.00"),
    (V, ART, None, "22.00"),    # CMA achat-revente: 0.22 %
    (V, ART, "67", "29.00"),    # 0.29 %
    (V, ART, "57", "37.00"),    # 0.37 %
    (B, LIB, None, "0.00"),     # liberal professions: no TFC
    (C, LIB, "57", "0.00"),
])
def test_tfc(activite, nature, departement, expected):
    assert tfc(D(10000), activite, ON, nature, departement) == D(expected)


def test_tfc_rounding():
    # 1 234.56 × 0.044 % = 0.5432… → 0.54
    assert tfc(D("1234.56"), S, ON, COM) == D("0.54")


@pytest.mark.parametrize("activite,expected", [
    (V, "100.00"),   # 10 000 × 1 %
    (S, "170.00"),   # 10 000 × 1.7 %
    (B, "220.00"),   # 10 000 × 2.2 %
    (C, "220.00"),
])
def test_vl(activite, expected):
    for on in (day("2023-01-01"), ON, day("2031-01-01")):
        assert vl(D(10000), activite, on) == D(expected)


@pytest.mark.parametrize("value,expected", [
    (None, None), ("", None), ("  ", None),
    (57, "57"), (57.0, "57"), ("57", "57"), (" 67 ", "67"), (1, "01"), ("9", "09"),
    ("Moselle", "57"), ("bas-rhin", "67"), ("Haut-Rhin", "68"), ("haut rhin", "68"),
    ("2a", "2A"), ("2B", "2B"), (974, "974"), ("976", "976"), ("95", "95"),
])
def test_parse_departement(value, expected):
    assert parse_departement(value) == expected


@pytest.mark.parametrize("value", ["96", "975", "0", "abc", 57.5, "2C"])
def test_parse_departement_refuses(value):
    with pytest.raises(XlaeError) as error:
        parse_departement(value)
    message = str(error.value)
    assert message.startswith("departement : valeur ")
    assert "01 à 95, 2A, 2B, 971 à 976" in message
