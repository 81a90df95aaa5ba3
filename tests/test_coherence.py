"""The Synthèse and ``xlae declaration`` give the same figures for every declaration of the year.

Both take their declarations from the one computation, ``xlae.year.declarations``;
what differs is the reading: the Synthèse's month rows mirror its formulas (a row
counts when ISNUMBER says so), the declaration reads the ledger strictly through
``books.cells``. This test holds the two readings to one answer (issue 11, item 4)
on generated workbooks: monthly and quarterly declarants, a creation mid-year (first
declaration of 4 months / 2 quarters), ACRE ending inside the year, BNC 2024 (rate
21.1 % → 23.1 % on 1 July, inside a first declaration), a first declaration begun the
year before (BNC rate change on 1 January, vente rate unchanged) and mixed activities
with cents. For each declaration: CA by category, cotisations, CFP, TFC, VL, total,
due date.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from xlae.ledger import declaration
from xlae.ledger.periods import parse_period
from xlae.books.calamine import open_books
from xlae.rules import cotisations
from xlae.rules.money import cents
from xlae.rules.vocabulary import Activite
from xlae.books.calamine import read_books
from xlae.template import generer, layout as L, synthese as S

MIXED = ("vente", "service_bic", "bnc")
SCENARIOS = {
    # name: (year, creation, periodicite, acre, categories)
    "mensuel_creation_mi_annee": (2026, dt.date(2026, 5, 20), "mensuelle", "oui", MIXED),
    "trimestriel_acre_finit_en_mars": (2026, dt.date(2025, 5, 20), "trimestrielle", "oui", MIXED),
    "mensuel_bnc_2024_changement_juillet": (2024, dt.date(2024, 5, 10), "mensuelle", "non", ("bnc", "vente")),
    "trimestriel_bnc_2024_changement_juillet": (2024, dt.date(2024, 5, 10), "trimestrielle", "oui", ("bnc",)),
    "trimestriel_premiere_declaration_sur_deux_ans": (2026, dt.date(2025, 11, 5), "trimestrielle", "non",
                                                       ("bnc", "vente")),
    "mensuel_premiere_declaration_sur_deux_ans": (2026, dt.date(2025, 12, 3), "mensuelle", "oui", MIXED),
}


def _declarations(path: Path, year: int, periodicite: str, creation: dt.date) -> list[declaration.Declaration]:
    """Every declaration of the year (each first declaration once), from the declaration tool."""
    codes = ([f"{year}-{m:02d}" for m in range(1, 13)] if periodicite == "mensuelle"
             else [f"{year}-T{q}" for q in range(1, 5)])
    found: dict[tuple, declaration.Declaration] = {}
    book = open_books(path)
    for code in codes:
        if parse_period(code).fin < creation:
            continue
        d = declaration.compute(book, code)
        found.setdefault((d.debut, d.fin), d)
    return list(found.values())


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """name -> (Synthèse values, declarations of the year), each workbook generated once."""
    result = {}
    folder = tmp_path_factory.mktemp("coherence")
    for seed, (name, (year, creation, periodicite, acre, categories)) in enumerate(sorted(SCENARIOS.items())):
        ledgers = generer.sample(seed=seed, rows=160, year=year, creation=creation, categories=categories,
                                 quiet_months=(8,), invalid=False, periodicite=periodicite, acre=acre,
                                 versement_liberatoire="oui")
        path = folder / f"{name}.xlsx"
        path.write_bytes(generer.workbook_bytes(ledgers))
        result[name] = (S.evaluate(read_books(path).inputs()), _declarations(path, year, periodicite, creation))
    return result


def _months_of(values: dict, d: declaration.Declaration) -> list[int]:
    """Month rows of the Synthèse whose due date is this declaration's."""
    return [r for r in range(S.MONTH_FIRST, S.MONTH_FIRST + 12) if values[f"M{r}"] == d.echeance]


def _sum(values: dict, refs: list[str]) -> Decimal:
    return sum((Decimal(repr(values[ref])) for ref in refs), Decimal(0))


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_every_declaration_of_the_year_has_the_same_figures(built, name: str) -> None:
    v, decls = built[name]
    assert decls, name
    carried = isinstance(v[f"Q{S.ROW_CARRY}"], dt.date)
    for d in decls:
        rows = _months_of(v, d)
        last = rows[-1]
        assert v[f"B{last}"] == d.fin and v[f"Q{last}"] == d.fin            # the period ends on that row
        assert v[f"M{last}"] == d.echeance                                    # due date
        from_last_year = carried and d.debut.year < d.fin.year
        by_code = {line.categorie.value: line for line in d.lines}
        for i, code in enumerate(L.CATEGORIES):
            expected = by_code[code].ca if code in by_code else Decimal(0)
            # CA by category: the months' CA (+ the previous-year part of a first declaration).
            monthly = [f"{S.MONTH_COLUMNS[code]}{r}" for r in rows]
            carry = [f"{S.CUMUL_COLS[i]}{S.ROW_CARRY}"] if from_last_year else []
            assert _sum(v, monthly + carry) == expected, (name, d.fin, code)
            # …and the CA the Synthèse rounds on, rate period by rate period.
            closed = [f"{S.CLOSED_COLS[i]}{r}" for r in rows]
            closed += [f"{S.CLOSED_COLS[i]}{S.ROW_CARRY}"] if from_last_year else []
            assert _sum(v, closed) == expected, (name, d.fin, code)
        for col, attribute in (("H", "cotisations"), ("I", "cfp"), ("J", "tfc"), ("K", "vl"), ("L", "total")):
            assert _sum(v, [f"{col}{r}" for r in rows]) == d.total(attribute), (name, d.fin, attribute)
        assert Decimal(repr(v[f"N{last}"])) == d.total("total"), (name, d.fin)   # « À payer à l'échéance »
        assert all(v[f"N{r}"] == "" for r in rows[:-1])
    # Every month of the year from creation on belongs to one declaration, and the year's total is theirs.
    assert sum(len(_months_of(v, d)) for d in decls) == sum(isinstance(v[f"M{r}"], dt.date)
                                                            for r in range(S.MONTH_FIRST, S.MONTH_FIRST + 12))
    assert Decimal(repr(v[f"L{S.MONTH_TOTAL}"])) == sum((d.total("total") for d in decls), Decimal(0))


def test_bnc_2024_first_declaration_is_cut_on_1_july(built) -> None:
    v, decls = built["mensuel_bnc_2024_changement_juillet"]
    first = next(d for d in decls if d.premiere)
    assert (first.debut, first.fin) == (dt.date(2024, 5, 10), dt.date(2024, 8, 31))   # May + 3 months
    bnc = next(line for line in first.lines if line.categorie is Activite.BNC)
    # Two rate periods: May–June at 21.1 %, July–August at 23.1 % (no ACRE), each rounded once.
    assert [p.rates.taux for p in bnc.parts] == [Decimal("0.211"), Decimal("0.231")]
    may_june = Decimal(repr(v["E65"])) + Decimal(repr(v["E66"]))
    july_august = Decimal(repr(v["E67"])) + Decimal(repr(v["E68"]))
    assert v["AC66"] == float(may_june) and v["AC67"] == 0 and v["AC68"] == float(july_august)
    assert bnc.cotisations == cents(may_june * Decimal("0.211")) + cents(july_august * Decimal("0.231"))


def test_previous_year_part_is_rounded_with_its_own_rate(built) -> None:
    v, decls = built["trimestriel_premiere_declaration_sur_deux_ans"]
    first = next(d for d in decls if d.premiere)
    assert (first.debut, first.fin, first.echeance) == (dt.date(2025, 11, 5), dt.date(2026, 3, 31),
                                                        dt.date(2026, 4, 30))   # Q4 2025 + Q1 2026
    assert v[f"Q{S.ROW_CARRY}"] == dt.date(2025, 11, 5)
    # BNC: 24.6 % in 2025, 25.6 % in 2026 → the 2025 part closes on its own (AC74 = W74's twin);
    # vente: 12.3 % both years → one period, carried into January (AA74 = 0, AA63 = 2025 + Q1).
    assert v[f"AC{S.ROW_CARRY}"] == v[f"Y{S.ROW_CARRY}"] > 0 and v[f"AA{S.ROW_CARRY}"] == 0
    vente_q1 = sum(Decimal(repr(v[f"C{r}"])) for r in (61, 62, 63)) + Decimal(repr(v[f"W{S.ROW_CARRY}"]))
    assert Decimal(repr(v["AA63"])) == vente_q1
    bnc_2025, bnc_2026 = Decimal(repr(v[f"Y{S.ROW_CARRY}"])), sum(Decimal(repr(v[f"E{r}"])) for r in (61, 62, 63))
    bnc = next(line for line in first.lines if line.categorie is Activite.BNC)
    assert bnc.cotisations == (cotisations.cotisations(bnc_2025, Activite.BNC, dt.date(2025, 12, 31))
                               + cotisations.cotisations(bnc_2026, Activite.BNC, dt.date(2026, 3, 31)))
