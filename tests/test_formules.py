"""The whole template evaluated by the ``formulas`` engine with the AE_* functions registered.

Every summary cell must equal ``synthese.evaluate`` (no formula engine) and, for
the figures a user declares, an independent computation in this file (pandas over
the ledger + the xlae rules). The engine is slow (its SUMPRODUCTs run cell by cell;
~3 s per workbook on the trimmed copy), so two workbooks only, evaluated once each.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from xlae import formules
from xlae.rules import cotisations, plafond
from xlae.rules.money import cents
from xlae.rules.vocabulary import Activite
from xlae.books.calamine import read_books
from xlae.template import generer, layout as L, synthese as S

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "workbooks" / "exemple-auto-entrepreneur.xlsx"
CREATION = dt.date(2026, 4, 15)


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> tuple[generer.Ledgers, dict, dict]:
    """Mixed activity created mid-2026, 300 receipts, months without receipts, planted bad rows."""
    ledgers = generer.sample(seed=7, rows=300, creation=CREATION, quiet_months=(6, 9), booleans=True,
                             categories=("service_bic", "bnc", "vente"), departement="35")
    path = tmp_path_factory.mktemp("formules") / "rempli.xlsx"
    path.write_bytes(generer.workbook_bytes(ledgers))
    engine = formules.evaluate_with_formulas(path)
    python = S.evaluate(read_books(path).inputs())
    return ledgers, engine, python


def _same(a: object, b: object) -> bool:
    a = S.excel_value(a)
    if isinstance(a, float) and isinstance(b, (int, float)) and not isinstance(b, bool):
        return abs(a - b) < 1e-9
    return a == b or (a == "" and b is None)


def test_engine_agrees_with_evaluate_on_every_summary_cell(filled) -> None:
    _, engine, python = filled
    cells = S.summary_cells()
    assert len(cells) == len(python) > 250
    diffs = {c.ref: (python[c.ref], engine.get(f"{L.SHEET_SYNTHESE}!{c.ref}")) for c in cells
             if not _same(python[c.ref], engine.get(f"{L.SHEET_SYNTHESE}!{c.ref}"))}
    assert diffs == {}


def _valid(rows: list[dict]) -> pd.DataFrame:
    """Independent reading of the ledger: Excel dates, amounts ≥ 0, known categories."""
    frame = pd.DataFrame(rows)
    ok = frame["date"].map(lambda d: isinstance(d, dt.date)) & frame["montant"].map(
        lambda m: isinstance(m, float) and m >= 0)
    if "categorie" in frame:
        ok &= frame["categorie"].map(lambda c: isinstance(c, str) and c.lower() in L.CATEGORIES)
    frame = frame[ok].copy()
    frame["date"] = frame["date"].map(lambda d: d.date() if isinstance(d, dt.datetime) else d)
    if "categorie" in frame:
        frame["categorie"] = frame["categorie"].str.lower()
    frame["mois"] = frame["date"].map(lambda d: (d.year, d.month))
    return frame


def test_figures_match_an_independent_computation(filled) -> None:
    ledgers, engine, _ = filled
    cell = lambda ref: engine[f"{L.SHEET_SYNTHESE}!{ref}"]  # noqa: E731
    receipts = _valid(ledgers.recettes)
    sums = receipts.groupby(["mois", "categorie"])["montant"].apply(
        lambda s: cents(sum((Decimal(repr(x)) for x in s), Decimal(0))))
    year = receipts[receipts["date"].map(lambda d: d.year == 2026)]
    assert year["date"].min() >= CREATION
    # Declarations (monthly, created 15/04/2026): April..July (first, 4 months), then each month.
    # Cotisations per declaration and category: CA of the declaration × rate (ACRE from 15/04/2026,
    # 50 % × normal rate, constant over 2026), rounded once, on the declaration's last month row.
    declarations = {7: range(4, 8), **{m: range(m, m + 1) for m in range(8, 13)}}
    for month in range(1, 13):
        row = S.MONTH_FIRST + month - 1
        end = (dt.date(2026, month, 28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
        social = Decimal(0)
        for code in L.CATEGORIES:
            amount = sums.get(((2026, month), code), Decimal(0))
            assert cell(f"{S.MONTH_COLUMNS[code]}{row}") == pytest.approx(float(amount), abs=1e-9)
            declared = sum((sums.get(((2026, m), code), Decimal(0)) for m in declarations.get(month, ())),
                           Decimal(0))
            social += cotisations.cotisations(declared, Activite(code), end, True, CREATION)
        assert cell(f"H{row}") == pytest.approx(float(social), abs=1e-9)
        if month in (6, 9) or month < 4:
            assert cell(f"G{row}") == 0  # quiet months and months before creation
    assert cell("H64") == cell("H65") == cell("H66") == 0  # inside the first declaration
    # Ceiling prorated: 203 100 × 261 / 365 (15/04 → 31/12 inclusive) for the global (sales) test.
    assert cell("B11") == pytest.approx(float(cents(plafond.plafond(Activite.VENTE, 2026, CREATION))), abs=1e-9)
    assert cell("B11") == pytest.approx(float(cents(Decimal(203100) * 261 / 365)), abs=1e-9)
    assert cell("B5") == pytest.approx(float(cents(sum((Decimal(repr(x)) for x in year["montant"]), Decimal(0)))))
    # First monthly declaration: April + the 3 following months, due 31/08/2026, paid on the July row.
    assert cell("M64") == cell("M67") == (dt.date(2026, 8, 31) - dt.date(1899, 12, 30)).days
    assert cell("N64") == "" and cell("N67") == pytest.approx(sum(cell(f"L{r}") for r in range(64, 68)), abs=1e-6)
    # Purchases by quarter.
    purchases = _valid(ledgers.achats)
    for q in range(1, 5):
        chosen = purchases[purchases["date"].map(lambda d: d.year == 2026 and (d.month - 1) // 3 + 1 == q)]
        total = cents(sum((Decimal(repr(x)) for x in chosen["montant"]), Decimal(0)))
        assert cell(f"H{S.QUARTER_FIRST + q - 1}") == pytest.approx(float(total), abs=1e-9)


def test_invalid_rows_are_counted_as_planted(filled) -> None:
    ledgers, engine, _ = filled
    cell = lambda row: engine[f"{L.SHEET_SYNTHESE}!B{row}"]  # noqa: E731
    planted = ledgers.invalid
    # text date, text amount, unknown category, negative amount, client only, TRUE as date
    assert planted["recettes_a_corriger"] == 6 and planted["recettes_date"] == 3  # text, TRUE, missing
    assert cell(S.ROW_CHECKS + 1) == planted["recettes_a_corriger"]
    assert cell(S.ROW_CHECKS + 2) == planted["recettes_date"]
    assert cell(S.ROW_CHECKS + 3) == planted["recettes_montant"]
    assert cell(S.ROW_CHECKS + 4) == planted["recettes_categorie"]
    assert cell(S.ROW_CHECKS + 5) == planted["recettes_vides"] == 1
    assert cell(S.ROW_CHECKS + 7) == planted["achats_a_corriger"] == 2
    assert cell(S.ROW_CHECKS + 10) == planted["achats_vides"] == 1
    assert cell(S.ROW_INVALID_TOTAL) == 6 + 1 + 2 + 1


@pytest.fixture(scope="module")
def example_values() -> dict:
    return formules.evaluate_with_formulas(EXAMPLE)


def test_example_has_no_error_value_anywhere(example_values) -> None:
    errors = {k: v for k, v in example_values.items()
              if isinstance(v, str) and (v.startswith("#") or v.startswith("Erreur"))}
    assert errors == {}
    python = S.evaluate(read_books(EXAMPLE).inputs())
    assert all(_same(python[c.ref], example_values.get(f"{L.SHEET_SYNTHESE}!{c.ref}")) for c in S.summary_cells())
    # BNC created 16/06/2025, ACRE until 31/03/2026: January at 50 % × 25.6 % = 12.8 %.
    january = example_values[f"{L.SHEET_SYNTHESE}!E61"]
    assert example_values[f"{L.SHEET_SYNTHESE}!H61"] == pytest.approx(round(january * 0.128, 2))


def test_engine_values_of_ae_functions_are_plain() -> None:
    formules.register()
    import formulas
    table = formulas.get_functions()
    import numpy as np
    echeance = table["AE_ECHEANCE"](np.array([[46053.0]], dtype=object), "trimestrielle", None)
    assert echeance == 46142  # 31/01/2026 → Q1 due 30/04/2026 (serial 46142)
    assert table["AE_PLAFOND"]("nimporte", 2026, None).startswith("Erreur : activite")


def test_engine_is_quiet_and_restores_logging(tmp_path: Path, capfd: pytest.CaptureFixture[str],
                                              caplog: pytest.LogCaptureFixture) -> None:
    """No progress bar, no logged traceback, even when tqdm was imported before; levels restored."""
    import logging

    import tqdm  # noqa: F401  (imported first: TQDM_DISABLE alone would come too late)
    from xlae.template import build

    path = tmp_path / "petit.xlsx"
    path.write_bytes(build.workbook_bytes(build.build_workbook({"activite": "bnc", "annee": 2026}, 20)))
    logging.getLogger("schedula").setLevel(logging.INFO)
    capfd.readouterr()
    with caplog.at_level(logging.DEBUG):
        values = formules.evaluate_with_formulas(path)
    assert values[f"{L.SHEET_SYNTHESE}!B{S.ROW_YEAR}"] == 2026
    assert capfd.readouterr().err == ""
    assert [r for r in caplog.records if r.name.startswith(("schedula", "formulas"))] == []
    assert logging.getLogger("schedula").level == logging.INFO
    import formulas.excel
    assert formulas.excel.tqdm is tqdm
