"""VAT franchise en base (CGI 293 B): thresholds 2024 vs 2025 and every branch
of ``statut_tva`` under the pre-2025 and the post-2025 rules."""

from __future__ import annotations

import pytest

from conftest import D
from xlae.rules.tva import seuils, statut_tva
from xlae.rules.vocabulary import Activite

V, S, B, C = Activite.VENTE, Activite.SERVICE_BIC, Activite.BNC, Activite.BNC_CIPAV


@pytest.mark.parametrize("activites,annee,expected", [
    ({V}, 2023, [("CA de ventes", (V,), "91900", "101000")]),
    ({V}, 2024, [("CA de ventes", (V,), "91900", "101000")]),
    ({V}, 2025, [("CA de ventes", (V,), "85000", "93500")]),
    ({V}, 2026, [("CA de ventes", (V,), "85000", "93500")]),
    ({V}, 2031, [("CA de ventes", (V,), "85000", "93500")]),
    ({S}, 2024, [("CA de services", (S,), "36800", "39100")]),
    ({B}, 2025, [("CA de services", (B,), "37500", "41250")]),
    ({C}, 2026, [("CA de services", (C,), "37500", "41250")]),
    # mixed: goods threshold on the global CA, services threshold on the services CA
    ({V, S, B}, 2026, [("CA global", (V, S, B), "85000", "93500"),
                       ("CA de services", (S, B), "37500", "41250")]),
])
def test_seuils(activites, annee, expected):
    found = [(t.label, t.activites, str(t.base), str(t.majore)) for t in seuils(activites, annee)]
    assert found == [(label, acts, base, majore) for label, acts, base, majore in expected]


def status(ca, previous, annee):
    return statut_tva({k: D(v) for k, v in ca.items()}, {k: D(v) for k, v in previous.items()}, annee)


# Post-2025 rules (2026, services 37 500 / 41 250): CA(N-1) > base → VAT from 1 January;
# CA(N) > majoré → VAT from the very day.
POST_2025 = [
    ({B: "30000"}, {B: "20000"}, "franchise",
     "Franchise en base de TVA en 2026, maintenue en 2027 (CA de services 2026 de 30 000 € ≤ 37 500 €)."),
    ({B: "37500"}, {B: "37500"}, "franchise",       # both at the base threshold: kept
     "Franchise en base de TVA en 2026, maintenue en 2027 (CA de services 2026 de 37 500 € ≤ 37 500 €)."),
    ({B: "10000"}, {B: "37501"}, "due_depuis_janvier",  # no more tolerance year
     "TVA due depuis le 1er janvier 2026 : CA de services 2025 de 37 501 € > seuil de 37 500 €."),
    ({B: "10000"}, {B: "41251"}, "due_depuis_janvier",
     "TVA due depuis le 1er janvier 2026 : CA de services 2025 de 41 251 € > seuil de 41 250 €."),
    ({S: "41251"}, {S: "10000"}, "due_en_cours_annee",
     "TVA due à compter du jour du dépassement : CA de services 2026 de 41 251 € > seuil majoré de 41 250 €."),
    ({S: "41250"}, {S: "10000"}, "franchise_perdue_n1",
     "Franchise en 2026, perdue au 1er janvier 2027 : CA de services 2026 de 41 250 € > seuil de 37 500 € ; "
     "ne pas dépasser 41 250 € cette année."),
    ({V: "85001"}, {V: "0"}, "franchise_perdue_n1",
     "Franchise en 2026, perdue au 1er janvier 2027 : CA de ventes 2026 de 85 001 € > seuil de 85 000 € ; "
     "ne pas dépasser 93 500 € cette année."),
    # mixed: global 60 000 + 30 000 = 90 000 > 85 000; services 30 000 ≤ 37 500
    ({V: "60000", S: "30000"}, {V: "50000", S: "20000"}, "franchise_perdue_n1",
     "Franchise en 2026, perdue au 1er janvier 2027 : CA global 2026 de 90 000 € > seuil de 85 000 € ; "
     "ne pas dépasser 93 500 € cette année."),
    # mixed: services over the majoré threshold wins over the global one
    ({V: "10000", S: "42000"}, {V: "0", S: "0"}, "due_en_cours_annee",
     "TVA due à compter du jour du dépassement : CA de services 2026 de 42 000 € > seuil majoré de 41 250 €."),
    # mixed: previous global 86 000 > 85 000 → due from January, whatever this year
    ({V: "1000"}, {V: "56000", B: "30000"}, "due_depuis_janvier",
     "TVA due depuis le 1er janvier 2026 : CA global 2025 de 86 000 € > seuil de 85 000 €."),
]

# Pre-2025 rules (2023/2024, services 36 800 / 39 100): one year between base and
# majoré tolerated if N-2 was under the base; majoré crossed → VAT from the 1st of the month.
PRE_2025 = [
    ({S: "36800"}, {S: "36800"}, 2024, "franchise",
     "Franchise en base de TVA en 2024, maintenue en 2025 (CA de services 2024 de 36 800 € ≤ 37 500 €)."),
    ({S: "10000"}, {S: "39101"}, 2024, "due_depuis_janvier",
     "TVA due depuis le 1er janvier 2024 : CA de services 2023 de 39 101 € > seuil de 39 100 €."),
    ({S: "10000"}, {S: "37000"}, 2024, "a_verifier",
     "Franchise maintenue en 2024 seulement si le CA 2022 était ≤ 36 800 € (CA de services 2023 de "
     "37 000 € entre le seuil de base et le seuil majoré)."),
    ({S: "10000"}, {S: "39100"}, 2024, "a_verifier", None),
    ({S: "39101"}, {S: "10000"}, 2024, "due_en_cours_annee",
     "TVA due à compter du 1er jour du mois du dépassement : CA de services 2024 de 39 101 € > "
     "seuil majoré de 39 100 €."),
    ({V: "101001"}, {V: "0"}, 2023, "due_en_cours_annee", None),
    # 2023 → 2024: the tolerance still exists next year
    ({S: "37000"}, {S: "10000"}, 2023, "franchise_perdue_n1",
     "Franchise en 2023, maintenue en 2024 (tolérance), perdue ensuite si le dépassement se répète : "
     "CA de services 2023 de 37 000 € > seuil de 36 800 € ; ne pas dépasser 39 100 € cette année."),
    # 2024 → 2025 transition: CA 2024 is judged against the 2025 thresholds (fact sheet §h.2).
    # Sales: 90 000 ≤ 91 900 (2024) but > 85 000 (2025) → franchise lost on 1 January 2025.
    ({V: "90000"}, {V: "10000"}, 2024, "franchise_perdue_n1",
     "Franchise en 2024, perdue au 1er janvier 2025 : CA de ventes 2024 de 90 000 € > seuil de 85 000 € ; "
     "ne pas dépasser 101 000 € cette année."),
    # Services: 37 000 > 36 800 (2024) but ≤ 37 500 (2025) → franchise kept in 2025.
    ({S: "37000"}, {S: "10000"}, 2024, "franchise", None),
    # Services: 38 000 > 37 500 (2025), no tolerance from 2025 → lost on 1 January 2025.
    ({S: "38000"}, {S: "10000"}, 2024, "franchise_perdue_n1",
     "Franchise en 2024, perdue au 1er janvier 2025 : CA de services 2024 de 38 000 € > seuil de 37 500 € ; "
     "ne pas dépasser 39 100 € cette année."),
]


@pytest.mark.parametrize("ca,previous,code,message", POST_2025)
def test_statut_tva_from_2025(ca, previous, code, message):
    result = status(ca, previous, 2026)
    assert result.code == code
    assert result.message == message


@pytest.mark.parametrize("ca,previous,annee,code,message", PRE_2025)
def test_statut_tva_before_2025(ca, previous, annee, code, message):
    result = status(ca, previous, annee)
    assert result.code == code
    if message is not None:
        assert result.message == message


def test_2025_uses_the_new_thresholds_for_the_2024_ca():
    # 2025: CA 2024 of 37 000 (services) ≤ 37 500 → franchise; 90 000 sales > 85 000 → VAT from January.
    assert status({S: "1000"}, {S: "37000"}, 2025).code == "franchise"
    assert status({V: "1000"}, {V: "90000"}, 2025).message == (
        "TVA due depuis le 1er janvier 2025 : CA de ventes 2024 de 90 000 € > seuil de 85 000 €.")
