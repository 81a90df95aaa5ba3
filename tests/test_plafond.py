"""CA ceilings: prorata temporis, the ceilings at the limit and 1 € over, and
the two-consecutive-years tolerance (CA of N and N-1 against the ceiling of N+1)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from conftest import D, day
from xlae.errors import XlaeError
from xlae.rules.money import cents
from xlae.rules.plafond import depassement, limits, plafond, prorata, prorata_days
from xlae.rules.vocabulary import Activite

V, S, B, C = Activite.VENTE, Activite.SERVICE_BIC, Activite.BNC, Activite.BNC_CIPAV


@pytest.mark.parametrize("creation,annee,days", [
    (None, 2026, 365),              # no creation date: full year
    ("2024-01-01", 2024, 365),      # leap year: 366 days counted, capped at 365
    ("2024-07-01", 2024, 184),      # Jul 31 + Aug 31 + Sep 30 + Oct 31 + Nov 30 + Dec 31 = 184
    ("2024-12-31", 2024, 1),        # the creation day counts
    ("2024-02-29", 2024, 307),      # Mar→Dec 306 + 29 Feb = 307
    ("2026-01-01", 2026, 365),
    ("2026-07-01", 2026, 184),
    ("2026-12-31", 2026, 1),
    ("2026-03-01", 2026, 306),      # 365 − 31 − 28 = 306
    ("2025-10-20", 2025, 73),       # Oct 12 + Nov 30 + Dec 31 = 73
    ("2025-06-15", 2026, 365),      # created the year before: full year
    ("2027-01-01", 2026, 0),        # created after the year: no activity
])
def test_prorata_days_inclusive_divisor_365(creation, annee, days):
    start = day(creation) if creation else None
    assert prorata_days(start, annee) == (days, 365)
    assert prorata(start, annee) == Decimal(days) / Decimal(365)


@pytest.mark.parametrize("activite,annee,creation,expected", [
    # The ceiling the CA of ``annee`` is judged against is the one in force for annee + 1
    # (regime-year convention): CA 2024 → 2025 ceiling, CA 2025 → 2026 ceiling.
    (V, 2023, None, "188700"), (V, 2024, None, "188700"), (V, 2025, None, "203100"), (V, 2026, None, "203100"),
    (S, 2024, None, "77700"), (S, 2025, None, "83600"), (S, 2026, None, "83600"),
    (B, 2024, None, "77700"), (B, 2025, None, "83600"), (B, 2026, None, "83600"),
    (C, 2024, None, "77700"), (C, 2025, None, "83600"), (C, 2026, None, "83600"),
    (B, 2025, "2025-08-01", "35043.29"),         # 83 600 × 153 / 365 = 35 043.287… (2026 ceiling)
    (B, 2031, None, "83600"),                    # after the newest rates: newest values
    (B, 2026, "2025-10-20", "83600"),            # created the year before: not prorated
    (B, 2026, "2026-10-20", "16720.00"),         # 83 600 × 73 / 365 = 16 720
    (V, 2026, "2026-10-20", "40620.00"),         # 203 100 × 73 / 365 = 40 620
    (B, 2024, "2024-10-20", "15540.00"),         # 77 700 × 73 / 365 = 15 540 (leap year, still ÷ 365)
    (V, 2024, "2024-07-01", "95125.48"),         # 188 700 × 184 / 365 = 95 125.479…
    (B, 2026, "2026-07-01", "42143.56"),         # 83 600 × 184 / 365 = 42 143.561…
    (S, 2024, "2024-12-31", "212.88"),           # 77 700 × 1 / 365 = 212.876…
    (S, 2024, "2024-01-01", "77700.00"),         # leap year from 1 January: 366 → capped, full ceiling
    (S, 2026, "2026-01-01", "83600.00"),
])
def test_plafond(activite, annee, creation, expected):
    assert cents(plafond(activite, annee, day(creation) if creation else None)) == D(expected)


def test_limits_single_and_mixed():
    (sales,) = limits({V}, 2025)
    assert (sales.label, sales.activites, sales.amount) == ("CA de ventes", (V,), D(188700))
    (services,) = limits({B}, 2026)
    assert (services.label, services.activites, services.amount) == ("CA", (B,), D(83600))
    total, services = limits({V, S, B}, 2026)
    # Mixed: total CA against the sales ceiling, services (BIC + BNC) against the services one.
    assert (total.label, total.activites, total.amount) == ("CA global", (V, S, B), D(203100))
    assert (services.label, services.activites, services.amount) == (
        "CA de prestations de services", (S, B), D(83600))


# Each ceiling at the limit and 1 € over. The CA of year N decides the regime of
# N+1, so it is compared with the ceiling of N+1 (2024 → 2025: 77 700 / 188 700;
# 2025 → 2026: 83 600 / 203 100).
@pytest.mark.parametrize("activite,annee,creation,ca,code", [
    (B, 2024, None, "77700", "sous_plafond"),
    (B, 2024, None, "77701", "depassement_a_confirmer"),
    (S, 2024, None, "77700", "sous_plafond"),
    (S, 2024, None, "77701", "depassement_a_confirmer"),
    (C, 2024, None, "77700.00", "sous_plafond"),
    (C, 2024, None, "77700.01", "depassement_a_confirmer"),  # one cent over is over
    (V, 2024, None, "188700", "sous_plafond"),
    (V, 2024, None, "188701", "depassement_a_confirmer"),
    (B, 2025, None, "83600", "sous_plafond"),
    (B, 2025, None, "83601", "depassement_a_confirmer"),
    (B, 2025, None, "80000", "sous_plafond"),     # > 77 700 of 2025 but ≤ 83 600 of 2026 (regime year)
    (V, 2025, None, "203100", "sous_plafond"),
    (V, 2025, None, "203101", "depassement_a_confirmer"),
    (B, 2031, None, "83601", "depassement_a_confirmer"),
    # prorated creation year (no N-1: one year over is tolerated)
    (B, 2025, "2025-10-20", "16720", "sous_plafond"),         # 83 600 × 73/365 = 16 720
    (B, 2025, "2025-10-20", "16721", "premier_depassement"),
    (V, 2025, "2025-10-20", "40620", "sous_plafond"),         # 203 100 × 73/365 = 40 620
    (V, 2025, "2025-10-20", "40621", "premier_depassement"),
    (B, 2024, "2024-10-20", "15540", "sous_plafond"),         # 77 700 × 73/365 = 15 540 (leap year)
    (B, 2024, "2024-10-20", "15541", "premier_depassement"),
    (B, 2025, "2025-07-01", "42143", "sous_plafond"),         # 42 143 × 365 ≤ 83 600 × 184
    (B, 2025, "2025-07-01", "42144", "premier_depassement"),  # 42 144 × 365 = 15 382 560 > 15 382 400
    (B, 2026, "2026-12-31", "229", "sous_plafond"),           # 83 600 / 365 = 229.04
    (B, 2026, "2026-12-31", "230", "premier_depassement"),
    (S, 2024, "2024-01-01", "77700", "sous_plafond"),         # full leap year: not prorated
    (S, 2024, "2024-01-01", "77701", "premier_depassement"),
])
def test_ceiling_at_the_limit_and_one_euro_over(activite, annee, creation, ca, code):
    status = depassement({activite: D(ca)}, annee, day(creation) if creation else None)
    assert status.code == code


def test_under_the_ceiling_says_share_and_next_year():
    status = depassement({B: D(41800)}, 2026)
    # 41 800 / 83 600 = 50 %
    assert status.share == D("0.5")
    assert status.message == "Sous le plafond : 50,0 % utilisé ; régime micro maintenu en 2027."


def test_first_year_over_is_tolerated():
    status = depassement({B: D(90000)}, 2025, None, {B: D(50000)})
    assert status.code == "premier_depassement"
    assert status.message == (
        "Premier dépassement (CA 2025 de 90 000 € > plafond 2026 de 83 600 €) : toléré, le régime micro "
        "est conservé en 2026 ; un second dépassement en 2026 ferait sortir du régime au 1er janvier 2027.")


def test_previous_year_over_the_old_ceiling_but_not_the_regime_year_one():
    # CA 2024 of 80 000 > 77 700 (ceiling 2025) but ≤ 83 600 (ceiling 2026, the regime year judged).
    status = depassement({B: D(90000)}, 2025, None, {B: D(80000)})
    assert status.code == "premier_depassement"


def test_second_consecutive_year_over_exits_on_1_january_next_year():
    status = depassement({B: D(90000)}, 2025, None, {B: D(84000)})
    assert status.code == "sortie"
    assert status.message == (
        "Deuxième année consécutive au-dessus du plafond (CA 2025 de 90 000 € > plafond 2026 de 83 600 € ; "
        "CA 2024 de 84 000 € également au-dessus) : sortie du régime micro au 1er janvier 2026.")


def test_previous_year_unknown():
    status = depassement({S: D(90000)}, 2026)
    assert status.code == "depassement_a_confirmer"
    assert status.message == (
        "Dépassement en 2026 (CA 2026 de 90 000 € > plafond 2027 de 83 600 €). CA 2025 non renseigné : si "
        "lui aussi dépassait le plafond, sortie du régime micro au 1er janvier 2027 ; sinon régime conservé "
        "en 2027 (tolérance d'une année).")


def test_creation_year_over_the_prorated_ceiling_is_a_first_year():
    status = depassement({B: D(20000)}, 2026, day("2026-10-20"))
    assert status.code == "premier_depassement"
    # 83 600 × 73 / 365 = 16 720
    assert "CA 2026 de 20 000 € > plafond 2027 de 16 720 € (proratisé)" in status.message
    # 20 000 / 16 720 = 119.6 %
    assert status.share.quantize(D("0.001")) == D("1.196")


@pytest.mark.parametrize("previous,code", [
    ("16721", "sortie"),               # 2025 prorated: 83 600 × 73/365 = 16 720 < 16 721
    ("16720", "premier_depassement"),  # at the prorated limit: not over
])
def test_creation_the_year_before_prorates_the_previous_year(previous, code):
    status = depassement({B: D(83601)}, 2026, day("2025-10-20"), {B: D(previous)})
    assert status.code == code


def test_revenue_before_the_creation_date_is_refused():
    with pytest.raises(XlaeError) as error:
        depassement({B: D(1000)}, 2025, day("2026-03-01"))
    assert error.value.argument == "date_creation"
    assert str(error.value) == ("date_creation : le 01/03/2026 est postérieur à l'année 2025 alors que "
                                "du CA y est déclaré.")
    # No CA before creation: nothing to say but "under".
    assert depassement({B: D(0)}, 2025, day("2026-03-01")).code == "sous_plafond"


@pytest.mark.parametrize("ca,code,fragment", [
    # global 150 000 + 90 000 = 240 000 > 203 100 and services 90 000 > 83 600
    ({V: "150000", S: "90000"}, "depassement_a_confirmer", "CA global 2025 de 240 000 € > plafond 2026 de 203 100 €"),
    # global 184 000 ≤ 203 100 but services 84 000 > 83 600
    ({V: "100000", S: "84000"}, "depassement_a_confirmer",
     "CA de prestations de services 2025 de 84 000 € > plafond 2026 de 83 600 €"),
    # global 203 100 at the limit, services 83 600 at the limit
    ({V: "119500", B: "83600"}, "sous_plafond", "100,0 % utilisé"),
    # BIC services + BNC tested together (URSSAF reading), flagged
    ({S: "50000", B: "33601"}, "depassement_a_confirmer", "Activité mixte BIC + BNC"),
])
def test_mixed_activity(ca, code, fragment):
    status = depassement({k: D(v) for k, v in ca.items()}, 2025)
    assert status.code == code
    assert fragment in status.message


def test_mixed_second_year_over_on_another_test_leaves_the_regime():
    # CGI 50-0: a year keeps the regime only if global CA ≤ 203 100 AND services CA ≤ 83 600.
    # 2026: global 210 000 > 203 100 (services 0 ≤ 83 600) → 2026 over.
    # 2025: global 10 000 + 90 000 = 100 000 ≤ 203 100 but services 90 000 > 83 600 → 2025 over too.
    # Two consecutive years over → no micro regime on 1 January 2027.
    status = depassement({V: D(210000), S: D(0)}, 2026, None, {V: D(10000), S: D(90000)})
    assert status.code == "sortie"
    assert "CA de prestations de services 2025 de 90 000 €" in status.message
    assert status.message.endswith("sortie du régime micro au 1er janvier 2027.")
