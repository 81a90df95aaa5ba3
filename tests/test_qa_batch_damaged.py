"""QA: a damaged workbook in a batch gets a French reason and a remedy, never the library's English text."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from xlae.batch.runner import Job, recalculate
from xlae.template import exemple

ENGLISH = re.compile(r"File is not a zip|There is no item|syntax error|not found|erreur inattendue|\(\)|Error")


@pytest.fixture(scope="module")
def members(tmp_path_factory) -> list[tuple[str, bytes]]:
    path = tmp_path_factory.mktemp("src") / "modele.xlsx"
    path.write_bytes(exemple.example_bytes())  # a filled workbook: the halved sheets have data
    with zipfile.ZipFile(path) as archive:
        return [(name, archive.read(name)) for name in archive.namelist()]


def _write(path: Path, members, skip: str | None = None, halve: str | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in members:
            if name == skip:
                continue
            out.writestr(name, data[:len(data) // 2] if name == halve else data)
    return path


def _sheet_part(members, title: str) -> str:
    # The template's sheet order: Paramètres, Recettes, Achats, Synthèse, Barèmes.
    order = ["Paramètres", "Recettes", "Achats", "Synthèse", "Barèmes"]
    return f"xl/worksheets/sheet{order.index(title) + 1}.xml"


CASES = {
    # name: (how to damage, expected reason)
    "tronque": ("truncate", "archive .xlsx corrompue (tronquée ou endommagée"),
    "sans_workbook": ("skip:xl/workbook.xml", "partie « xl/workbook.xml » absente de l'archive"),
    # Since xlae/books/parts.py (issue 14) the part and its sheet are named.
    "workbook_casse": ("halve:xl/workbook.xml", "partie « xl/workbook.xml » endommagée (partie vide ou tronquée"),
    "recettes_cassee": ("halve:Recettes", "partie « xl/worksheets/sheet2.xml » (feuille « Recettes ») endommagée "
                                          "(partie"),  # « tronquée » or « vide ou tronquée »: where the half falls
    "recettes_absente": ("skip:Recettes", "partie « xl/worksheets/sheet2.xml » (feuille « Recettes ») absente de "
                                          "l'archive"),
    "synthese_cassee": ("halve:Synthèse", "partie « xl/worksheets/sheet4.xml » (feuille « Synthèse ») endommagée"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_damaged_workbook_reason_is_french_with_a_remedy(tmp_path, members, name):
    how, expected = CASES[name]
    source = tmp_path / f"{name}.xlsx"
    if how == "truncate":
        whole = _write(tmp_path / "entier.xlsx", members)
        source.write_bytes(whole.read_bytes()[:4000])
    else:
        action, what = how.split(":")
        part = what if "/" in what else _sheet_part(members, what)
        _write(source, members, **{"skip" if action == "skip" else "halve": part})
    (tmp_path / "sortie").mkdir()
    outcome = recalculate(Job(str(source), str(tmp_path / "sortie" / source.name)))
    # Before: « archive .xlsx corrompue (File is not a zip file) », « feuille « Recettes » illisible () »,
    # « erreur inattendue de xlae (ValueError : …) ; merci de la signaler »…
    assert expected in outcome.error
    assert outcome.error.endswith("enregistrez-le de nouveau, ou reprenez une sauvegarde.")
    assert not ENGLISH.search(outcome.error), outcome.error
    assert not (tmp_path / "sortie" / source.name).exists()
