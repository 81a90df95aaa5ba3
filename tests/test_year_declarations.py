"""The one computation of the URSSAF declarations (``xlae.year.declarations``), on hand-computed cases.

Rates from the bundled sheet: BNC 21,1 % until 30/06/2024, 23,1 % from 01/07/2024
(décret 2024-484), 24,6 % in 2025, 25,6 % in 2026; vente 12,3 %; CFP libérale 0,2 %,
commerciale vente 0,1 %; TFC libérale 0, commerciale vente 0,015 %; VL BNC 2,2 %.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from xlae.errors import XlaeError
from xlae.rules.vocabulary import Activite, Nature, Periodicite, Zone
from xlae.year import declarations as Y

BNC, VENTE = Activite.BNC, Activite.VENTE
NATURES = {a: (Nature.LIBERALE if a.value.startswith("bnc") else Nature.COMMERCIALE) for a in Activite}


def terms(creation=None, periodicite=Periodicite.MENSUELLE, acre=False, vl=False) -> Y.Terms:
    return Y.Terms(creation, periodicite, acre, Zone.METROPOLE, vl, None, NATURES)


def test_bnc_first_declaration_2024_is_cut_on_1_july() -> None:
    t = terms(dt.date(2024, 5, 10), vl=True)
    ca = {(2024, 5): {BNC: D("1234.56")}, (2024, 6): {BNC: D("765.44")},
          (2024, 7): {BNC: D("1000")}, (2024, 8): {BNC: D("1000")}}
    [line] = Y.lines(ca, dt.date(2024, 5, 10), dt.date(2024, 8, 31), [BNC], Y.rules_rates(t))
    assert [(p.ca, p.rates.taux, p.last) for p in line.parts] == [
        (D("2000.00"), D("0.211"), dt.date(2024, 6, 30)), (D("2000"), D("0.231"), dt.date(2024, 8, 31))]
    assert line.cotisations == D("884.00")   # 2 000 × 21,1 % = 422,00 ; 2 000 × 23,1 % = 462,00
    assert line.cfp == D("8.00")             # 2 000 × 0,2 % = 4,00, twice
    assert line.tfc == D("0.00")             # libérale : pas de TFC
    assert line.vl == D("88.00")             # 2 000 × 2,2 % = 44,00, twice
    assert line.total == D("980.00")         # 884 + 8 + 0 + 88


def test_one_rounding_per_rate_period_not_per_month() -> None:
    t = terms(periodicite=Periodicite.TRIMESTRIELLE)
    ca = {(2026, m): {VENTE: D("10.05")} for m in (1, 2, 3)}
    [line] = Y.lines(ca, dt.date(2026, 1, 1), dt.date(2026, 3, 31), [VENTE], Y.rules_rates(t))
    assert len(line.parts) == 1
    # 30,15 × 12,3 % = 3,70845 → 3,71 (month by month: 3 × round(1,23615) = 3,72)
    assert line.cotisations == D("3.71")
    assert line.cfp == D("0.03")            # 30,15 × 0,1 % = 0,03015 → 0,03
    assert line.tfc == D("0.00")            # 30,15 × 0,015 % = 0,0045225 → 0,00


def test_a_rate_that_cannot_be_found_is_an_error_not_a_zero() -> None:
    t = terms(None, acre=True)               # ACRE without a creation date
    [line] = Y.lines({(2026, 1): {VENTE: D("100")}}, dt.date(2026, 1, 1), dt.date(2026, 1, 31), [VENTE],
                     Y.rules_rates(t))
    assert line.parts[0].cotisations is None and "date de création" in line.parts[0].rates.error
    assert line.cfp == D("0.10")             # 100 × 0,1 % : the CFP does not depend on the ACRE
    with pytest.raises(XlaeError, match="date de création"):
        line.cotisations


def test_first_declaration_begun_the_year_before_is_whole_in_of_year() -> None:
    t = terms(dt.date(2025, 11, 5), Periodicite.TRIMESTRIELLE)
    ca = {(2025, 11): {BNC: D("1000")}, (2026, 1): {BNC: D("1000")}, (2026, 5): {BNC: D("500")}}
    found = Y.of_year(ca, 2026, t, [BNC])
    assert [(d.debut, d.fin, d.echeance, d.premiere) for d in found] == [
        (dt.date(2025, 11, 5), dt.date(2026, 3, 31), dt.date(2026, 4, 30), True),   # T4 2025 + T1 2026
        (dt.date(2026, 4, 1), dt.date(2026, 6, 30), dt.date(2026, 7, 31), False),
        (dt.date(2026, 7, 1), dt.date(2026, 9, 30), dt.date(2026, 10, 31), False),
        (dt.date(2026, 10, 1), dt.date(2026, 12, 31), dt.date(2027, 1, 31), False)]
    first = found[0].lines[0]
    assert [p.last for p in first.parts] == [dt.date(2025, 12, 31), dt.date(2026, 3, 31)]
    assert first.cotisations == D("502.00")  # 1 000 × 24,6 % = 246 ; 1 000 × 25,6 % = 256
    assert found[1].lines[0].cotisations == D("128.00")   # 500 × 25,6 %
    assert found[1].lines[0].parts[0].cumulated((2026, 4)) == 0


def test_creation_in_december_gives_one_declaration_ending_the_next_year() -> None:
    t = terms(dt.date(2026, 12, 3))
    [only] = Y.of_year({}, 2026, t, [VENTE])
    assert (only.debut, only.fin, only.echeance) == (dt.date(2026, 12, 3), dt.date(2027, 3, 31), dt.date(2027, 4, 30))
    assert only.lines[0].total == 0          # no CA: a « néant » declaration, still due
