"""QA: a recalculated workbook whose summary is incomplete, or which drops the previous-year CA, is flagged."""

from __future__ import annotations

import datetime as dt

import pytest

from xlae.batch.runner import Job, recalculate
from xlae.template import build


def _workbook(path, activite, previous=None, receipt=True):
    wb = build.build_workbook(rows=20)
    p = wb["Paramètres"]
    p["B2"] = activite
    p["B11"] = previous
    if receipt:
        r = wb["Recettes"]
        for col, value in zip("ABCDEFG", (dt.datetime(2026, 2, 3), "F1", "Client", "dev", "bnc", 1000, "Virement")):
            r[f"{col}2"] = value
    wb.save(path)
    return path


def _run(tmp_path, path):
    (tmp_path / "sortie").mkdir(exist_ok=True)
    return recalculate(Job(str(path), str(tmp_path / "sortie" / path.name)))


@pytest.mark.parametrize("activite", ["plombier", "Libéral", None])
def test_previous_year_ca_dropped_by_an_activity_outside_the_list_is_flagged(tmp_path, activite):
    # The summary's formulas compare « activite » with "vente", "service_bic", "bnc", "bnc_cipav":
    # anything else puts 0 in every « CA de l'année précédente » row, so the 90 000 € typed is lost.
    outcome = _run(tmp_path, _workbook(tmp_path / "c.xlsx", activite, 90000))
    assert outcome.values["B23"] == 0  # the silent loss this check makes visible
    assert outcome.error.startswith("copie écrite, mais Paramètres!B2 (activite) : ")
    assert "n'est compté nulle part" in outcome.error and "(90\u202f000,00 €)" in outcome.error
    assert (tmp_path / "sortie" / "c.xlsx").exists()


@pytest.mark.parametrize("activite", ["bnc", "BNC"])
def test_previous_year_ca_with_a_listed_activity_passes(tmp_path, activite):
    outcome = _run(tmp_path, _workbook(tmp_path / "c.xlsx", activite, 90000))
    assert outcome.values["B21"] == 90000  # attributed to BNC (Excel's = ignores case)
    assert outcome.error is None


def test_template_without_activity_is_flagged_not_recalculated_silently(tmp_path):
    outcome = _run(tmp_path, _workbook(tmp_path / "vierge.xlsx", None, receipt=False))
    # Before: « recalculé » (exit 0) with « Erreur : activite : … » in the TVA and plafond columns.
    assert "cellule(s) de la Synthèse en erreur, dont B17 : « Erreur : activite" in outcome.error
    assert not outcome.ok
