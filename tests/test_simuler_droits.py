"""``xlae simuler``: quarters, IJ and maternity, barème vs VL and forecast dates (issue 12), hand-computed."""

from __future__ import annotations

from xlae.cli import main


def run(capsys, *args: str) -> tuple[int, list[str], str]:
    code = main(["simuler", *args])
    out, err = capsys.readouterr()
    return code, out.replace("\u202f", " ").splitlines(), err


def test_bnc_2025_rights_and_tax(capsys):
    code, lines, err = run(capsys, "--activite", "bnc", "--ca", "30000", "--annee", "2025")
    assert (code, err) == (0, "")
    expected = [
        # 30 000 × 66 % = 19 800 ≥ 4 × (150 × 11.88 = 1 782) → 4
        "  Trimestres validés en 2025 : 4 — revenu (CA − abattement, sans le minimum de 305 €) 19 800,00 €, "
        "1 782,00 € par trimestre",
        # RAAM 19 800 (same CA assumed) / 730 = 27.12
        "  Arrêt maladie : 27,12 € par jour d'arrêt à partir du 01/01/2026 : IJ = RAAM 2023-2025 de 19 800 € / 730, "
        "sous le plafond de 48 060 € ; versée à partir du 4e jour (carence de 3 jours), sous condition d'un an "
        "d'affiliation.",
        # 4 005 + 112 × 65.84 = 11 379.08 ; 25 × 65.84 = 1 646
        "  Congé de maternité à partir du 01/01/2026 : 11 379,08 € (allocation forfaitaire de repos maternel "
        "4 005 € + 112 jours × 65,84 €).",
        "  Congé de paternité à partir du 01/01/2026 : 1 646 € (25 jours × 65,84 €).",
        # (19 800 − 11 600) × 11 % = 902 ; décote 897 − 408.155 = 488.85 ; 413.15 ; VL 660
        "  Au barème : 413,15 € (impôt brut 902,00 €, décote 488,85 €)",
        "  Avec versement libératoire : 660,00 €",
        "  Au rythme actuel, le plafond du régime micro (CA 2025, 83 600 €) ne sera pas dépassé cette année.",
    ]
    for line in expected:
        assert line in lines
    assert any("le barème est moins cher de 246,85 €" in line for line in lines)
    sources = "\n".join(lines[lines.index("Sources :"):])
    assert "smic_horaire [toutes/toutes] = 11.88 EUR depuis le 01/11/2024 (vérifié)" in sources


def test_services_forecast_quarters_missing_and_household(capsys):
    code, lines, err = run(capsys, "--activite", "service_bic", "--ca", "40000", "--annee", "2026",
                           "--ca-precedent", "6000", "--parts", "2", "--autres-revenus", "30000", "--rfr", "50000")
    assert (code, err) == (0, "")
    text = "\n".join(lines)
    # base threshold of 2027 (37 500, UNCERTAIN) at 40 000 / 365 days: 37 500 × 365 / 40 000 = 342.19 → day 343 = 09/12
    assert "le seuil de franchise de TVA (CA de services 2026, 37 500 €) est déjà dépassé (vers le 09/12/2026" in text
    # RAAM (20 000 + 3 000 + 3 000) / 3 = 8 666.67 ; / 730 = 11.87
    assert "  Arrêt maladie : 11,87 € par jour" in text
    # couple 2 parts, revenu 20 000 + 30 000 = 50 000 ; quotient 25 000 : 13 400 × 11 % = 1 474 × 2 = 2 948
    # décote couple 1 483 − 45.25 % × 2 948 = 149.03 → 2 798.97
    assert "  Au barème : 2 798,97 € (impôt brut 2 948,00 €, décote 149,03 €)" in lines
    assert "versement libératoire autorisé : RFR 2024 de 50 000 € ≤ 58 630 €" in text


def test_cipav_quarters_and_next_one(capsys):
    # Cipav 2026: 8 000 / 2 860 = 2.8 → 2 ; next at 3 × 2 860 = 8 580
    code, lines, _ = run(capsys, "--activite", "cipav", "--ca", "8000", "--annee", "2026")
    assert code == 0
    assert ("  Trimestres validés en 2026 : 2 — CA 8 000,00 €, 2 860,00 € par trimestre ; 8 580,00 € de CA pour "
            "le trimestre suivant") in lines


def test_bad_household_options(capsys):
    code, _, err = run(capsys, "--activite", "bnc", "--ca", "1000", "--parts", "-1")
    assert code == 2 and "--parts : valeur « -1 » refusée" in err
    code, _, err = run(capsys, "--activite", "bnc", "--ca", "1000", "--rfr", "beaucoup")
    assert code == 2 and "--rfr : valeur « beaucoup » refusée" in err
