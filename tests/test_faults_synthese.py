"""A Synthèse whose formulas were replaced by numbers, or changed (issue 14, item 6): said so by
``xlae verifier`` and ``xlae recalculer``, never reported as fine.

Before: a changed formula was recalculated with the user's formula and the run said « 1 classeur
recalculé », exit 0, nothing in the report nor on the terminal about it. ``recalculer`` on a
changed formula goes through the slow « formules » engine: that case is checked, report and
terminal, in tests/test_recalculer.py::test_formulas_engine_agrees_with_the_fast_path_on_the_template
(one engine run for both).
"""

from __future__ import annotations

import csv
import re

import pytest

from faults_kit import member_of, rewrite
from xlae.cli import main
from xlae.template import exemple, synthese


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    """The README's example, its formulas covering 60 ledger rows (the formulas engine is slow on 10 000)."""
    path = tmp_path_factory.mktemp("synthese") / "livre.xlsx"
    path.write_bytes(exemple.example_bytes(60))
    return path


def _all_formulas_to_numbers(xml: bytes) -> bytes:
    return re.sub(rb"<f>[^<]*</f>(<v>[^<]*</v>)?", b"<v>12345</v>", xml)


def _ca_doubled(xml: bytes) -> bytes:
    ref = synthese.KEY_CELLS["ca_annee"].encode()
    changed, count = re.subn(rb'(<c r="' + ref + rb'"[^>]*><f>)', rb"\g<1>2*", xml, count=1)
    assert count == 1
    return changed


def _report(folder) -> dict[str, str]:  # the first row of rapport.csv, by column title
    with open(folder / "rapport.csv", encoding="utf-8-sig", newline="") as handle:
        return next(csv.DictReader(handle, delimiter=";"))


def test_formulas_replaced_by_numbers_are_reported(book, tmp_path, capsys):
    numbers = rewrite(book, tmp_path / "chiffres.xlsx", member_of(book, "Synthèse"), _all_formulas_to_numbers)
    assert main(["verifier", str(numbers)]) == 1
    out = capsys.readouterr().out
    assert "Synthèse, ligne 2 : personnalisée : " in out and "remplacée(s) par une valeur ou effacée(s)" in out
    assert "leurs chiffres peuvent être faux" in out
    assert main(["recalculer", str(numbers), "--sortie", str(tmp_path / "sortie"), "--sans-progression"]) == 1
    captured = capsys.readouterr()
    assert "0 classeur recalculé, 1 en échec" in captured.out
    assert "Synthèse personnalisée : " in captured.err and "remplacée(s) par une valeur" in captured.err
    assert "remplacée(s) par une valeur" in _report(tmp_path / "sortie")["Erreur"]


def test_a_changed_formula_is_reported_by_verifier(book, tmp_path, capsys):
    ref = synthese.KEY_CELLS["ca_annee"]
    custom = rewrite(book, tmp_path / "perso.xlsx", member_of(book, "Synthèse"), _ca_doubled)
    assert main(["verifier", str(custom)]) == 1
    out = capsys.readouterr().out
    assert f"personnalisée : 1 formule(s) différente(s) du modèle ({ref}) ; xlae recalculer l'évalue avec le " \
           "moteur « formules », vérifiez ses chiffres" in out


def test_a_standard_workbook_has_no_remark(book, tmp_path, capsys):
    assert main(["recalculer", str(book), "--sortie", str(tmp_path / "sortie"), "--sans-progression"]) == 0
    assert "Remarque" not in capsys.readouterr().out.splitlines()[0]
    assert _report(tmp_path / "sortie")["Remarque"] == ""
