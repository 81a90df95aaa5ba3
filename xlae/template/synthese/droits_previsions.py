"""« Droits et impôt », third part: forecast crossing days, their consequences, the uncertain rates used.

Why: at the year's average pace, a user sees when the CA will cross the ceiling or
the VAT thresholds and what that changes (``xlae.rules.prevision``), and which
rates of the section are not yet published (UNCERTAIN in Barèmes).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from ... import udfs_droits
from ...rates import get_rates
from ...rules import prevision
from .. import natif as N
from ..natif import literal as _lit
from .geometry import (DATE, GENERAL, ROW_ARRET, ROW_CONSEQUENCES, ROW_DEP_PLAFOND, ROW_DEP_TVA, ROW_DEP_TVA_MAJORE,
                       ROW_INCERTAIN, ROW_TVA_SEUILS)

if TYPE_CHECKING:
    from .builder import _Builder
    from .context import _Context

TOUTES = _lit("toutes")
FORECASTS = ((ROW_DEP_PLAFOND, "plafond", "Dépassement prévu du plafond du régime micro (au rythme de l'année)"),
             (ROW_DEP_TVA, "tva", "Dépassement prévu du seuil de franchise de TVA (seuil de l'année suivante)"),
             (ROW_DEP_TVA_MAJORE, "tva_majore", "Dépassement prévu du seuil majoré de TVA (TVA due dès ce jour)"))


def forecasts(b: _Builder) -> None:
    """When the CA crosses the ceiling and the VAT thresholds at the year's pace, and what follows."""
    error = b.H["droits_erreur"]
    H, h = b.H, b.helper
    creation = H["creation"]
    start = h("prevision_debut", "Début du rythme (1er janvier ou création)",
              f"=IF(ISNUMBER({creation}),MAX(DATE(annee,1,1),{creation}),DATE(annee,1,1))", DATE, "date",
              lambda c: max(c.jan1, c.creation) if c.creation else c.jan1)
    on = h("prevision_jour", "Jour du calcul (aujourd'hui, au plus le 31/12)", "=MIN(TODAY(),DATE(annee,12,31))",
           DATE, "date", lambda c: min(c.today, dt.date(c.annee, 12, 31)))
    elapsed = f"({on}-{start}+1)"
    vente, services = '$C$6<>""', 'OR($C$7<>"",$C$8<>"",$C$9<>"")'
    limits = {"plafond": (H["plafond_autorise_v"], H["plafond_autorise_s"]),
              "tva": (H["tva_seuil_vente_suivant"], H["tva_seuil_service_bic_suivant"]),
              "tva_majore": (f"$B${ROW_TVA_SEUILS + 1}", f"$B${ROW_TVA_SEUILS + 3}")}
    for row, kind, label in FORECASTS:
        dates, over = [], []
        for key, applies, total, limit in (("v", vente, "$B$5", limits[kind][0]), ("s", services, "$B$10",
                                                                                   limits[kind][1])):
            day = h(f"prevision_{kind}_{key}", f"Jour du dépassement au rythme moyen ({kind}, {key})",
                    f'=IF(AND({applies},{total}>0),{start}+MIN(INT({limit}*{elapsed}/{total}),DATE(9999,12,31)-{start}),"")',
                    DATE, "date",
                    lambda c, kind=kind, key=key: _crossing(c, kind, key))
            dates.append(f"IF(ISNUMBER({day}),IF(YEAR({day})=annee,{day},99999),99999)")
            over.append(f"AND({applies},{total}>{limit})")
        soonest = f"MIN({','.join(dates)})"
        b.text(f"A{row}", label)
        b.add(f"B{row}", label,
              f'=IF({error}<>"",{error},IF({on}<{start},"",IF(OR({",".join(over)}),"{prevision.DEJA}",'
              f'IF({soonest}=99999,"{prevision.PAS_CETTE_ANNEE}",{soonest}))))', DATE, "date",
              lambda c, kind=kind: _forecast_twin(c, kind))
    _consequences(b)


def _crossing(c: _Context, kind: str, key: str) -> Any:
    """Twin of a crossing-day helper: ``prevision.crossing_day`` without its year bound.

    Capped at 31/12/9999: a tiny CA puts the day past the calendar, where Excel's YEAR()
    (read by the forecast rows) gives #NUM! and Python has no date.
    """
    applies = c["C6"] != "" if key == "v" else any(c[f"C{r}"] != "" for r in (7, 8, 9))
    total = c.num("B5" if key == "v" else "B10")
    if not applies or total <= 0:
        return ""
    limit = {"plafond": c.h(f"plafond_autorise_{key}"),
             "tva": c.h("tva_seuil_vente_suivant" if key == "v" else "tva_seuil_service_bic_suivant"),
             "tva_majore": c.num(f"B{ROW_TVA_SEUILS + (1 if key == 'v' else 3)}")}[kind]
    start, on = c.h("prevision_debut"), c.h("prevision_jour")
    elapsed = (on - start).days + 1
    return start + dt.timedelta(days=min(int(limit * elapsed / total), (dt.date.max - start).days))


def _forecast_twin(c: _Context, kind: str) -> Any:
    if c.h("droits_erreur"):
        return c.h("droits_erreur")
    start, on = c.h("prevision_debut"), c.h("prevision_jour")
    if on < start:
        return ""
    return udfs_droits.ae_date_depassement(c.block("B6", "B9"), c.block("C6", "C9"), on, kind, c.creation)


def _consequences(b: _Builder) -> None:
    H = b.H
    plafond, tva, majore = (f"$B${row}" for row, _, _ in FORECASTS)

    def when(ref: str, kind: str) -> str:
        """The crossing day: the forecast date, or the day the average pace crossed it (déjà dépassé)."""
        days = [H[f"prevision_{kind}_{k}"] for k in ("v", "s")]
        valid = [f"IF(ISNUMBER({d}),IF(YEAR({d})=annee,{d},99999),99999)" for d in days]
        return f"IF(ISNUMBER({ref}),{ref},MIN({','.join(valid)}))"

    same_day = H["tva_perte_jour_depassement"]
    tolerance = H["tva_tolerance_suivante"]
    majore_day = when(majore, "tva_majore")
    due = f"IF({same_day}=1,{majore_day},DATE(YEAR({majore_day}),MONTH({majore_day}),1))"
    crossed = lambda ref: f'OR(ISNUMBER({ref}),{ref}="{prevision.DEJA}")'  # noqa: E731
    ceiling_text = (f'IF({crossed(plafond)},"Plafond : premier dépassement : toléré, le régime micro est conservé en "'
                    f'&(annee+1)&" ; un second dépassement en "&(annee+1)&" fait sortir du régime au 1er janvier "'
                    f'&(annee+2)&". ","")')
    vat_text = (f'IF({crossed(majore)},"TVA : TVA due à compter du "&{N.date_text(due)}&" : facturer la TVA sur '
                f'chaque opération à partir de ce jour.",IF({crossed(tva)},IF({tolerance}=1,"TVA : franchise de TVA '
                f'maintenue en "&(annee+1)&" (tolérance d\'une année), perdue si le CA "&(annee+1)&" dépasse aussi le '
                f'seuil de base.","TVA : franchise de TVA perdue au 1er janvier "&(annee+1)&" : facturer la TVA dès le '
                f'1er janvier "&(annee+1)&"."),""))')
    label = "Ce qui se passe alors"
    b.text(f"A{ROW_CONSEQUENCES}", label)
    b.add(f"B{ROW_CONSEQUENCES}", label,
          f'=IF(OR(ISERROR(SEARCH("Erreur",{plafond})),{plafond}=""),IF({ceiling_text}&{vat_text}="",'
          f'IF({plafond}="","","Aucun dépassement prévu cette année au rythme actuel."),{ceiling_text}&{vat_text}),'
          f'{plafond})', GENERAL, "text", _consequences_twin)


def _consequences_twin(c: _Context) -> str:
    rows = {kind: c[f"B{row}"] for row, kind, _ in FORECASTS}
    first = rows["plafond"]
    if isinstance(first, str) and first.startswith("Erreur"):
        return first
    if first == "":
        return ""
    rates = get_rates()

    def crossed(kind: str) -> bool:
        return isinstance(rows[kind], dt.date) or rows[kind] == prevision.DEJA

    text = ""
    if crossed("plafond"):
        text += "Plafond : " + prevision._consequence("plafond", c.annee, c.jan1, rates) + ". "
    if crossed("tva_majore"):
        day = rows["tva_majore"]
        if not isinstance(day, dt.date):
            found = [d for d in (c.h("prevision_tva_majore_v"), c.h("prevision_tva_majore_s"))
                     if isinstance(d, dt.date) and d.year == c.annee]
            day = min(found)
        text += "TVA : " + prevision._consequence("tva_majore", c.annee, day, rates) + "."
    elif crossed("tva"):
        text += "TVA : " + prevision._consequence("tva", c.annee, c.jan1, rates) + "."
    return text or "Aucun dépassement prévu cette année au rythme actuel."


# --- UNCERTAIN rates used by the section --------------------------------------------------------------


def _uncertain_checks(fund: str) -> list[tuple[str, str, str, str, Any]]:
    """(parametre, categorie expression, on expression, French label, Python twin of (parametre, cat, on))."""
    arret = f"$B${ROW_ARRET}"
    return [
        ("smic_horaire", TOUTES, "DATE(annee,1,1)", '"SMIC horaire au 1er janvier "&annee',
         lambda c: ("smic_horaire", "toutes", c.jan1, f"SMIC horaire au 1er janvier {c.annee}")),
        ("pass_annuel", TOUTES, "DATE(annee,1,1)", '"PASS "&annee',
         lambda c: ("pass_annuel", "toutes", c.jan1, f"PASS {c.annee}")),
        ("pass_annuel", TOUTES, arret, '"PASS du jour de l\'arrêt"',
         lambda c: ("pass_annuel", "toutes", c[f"B{ROW_ARRET}"], "PASS du jour de l'arrêt")),
        ("ij_seuil_raam_pass_moyen", fund, arret, '"seuil de RAAM des indemnités"',
         lambda c: ("ij_seuil_raam_pass_moyen", "bnc_cipav" if c.main_code == "bnc_cipav" else "bnc",
                    c[f"B{ROW_ARRET}"], "seuil de RAAM des indemnités")),
        ("ir_tranche_limite", _lit("tranche_1"), "DATE(annee,1,1)", '"barème de l\'impôt des revenus "&annee',
         lambda c: ("ir_tranche_limite", "tranche_1", c.jan1, f"barème de l'impôt des revenus {c.annee}")),
        ("plafond_ca", _lit("vente"), "DATE(annee+1,1,1)", '"plafonds "&(annee+1)',
         lambda c: ("plafond_ca", "vente", dt.date(c.annee + 1, 1, 1), f"plafonds {c.annee + 1}")),
        ("tva_seuil", _lit("vente"), "DATE(annee+1,1,1)", '"seuils de TVA "&(annee+1)',
         lambda c: ("tva_seuil", "vente", dt.date(c.annee + 1, 1, 1), f"seuils de TVA {c.annee + 1}")),
    ]


UNCERTAIN_LEAD = "Valeurs incertaines du barème utilisées ci-dessus (non publiées : dernière valeur connue) : "
UNCERTAIN_NONE = "Aucune valeur incertaine du barème dans cette section."


def uncertain(b: _Builder) -> None:
    """The section's last row: which UNCERTAIN rates of Barèmes it used."""
    fund = b.H["caisse"]
    parts = [f'IF({N.uncertain(p, cat, on)},", "&{label},"")' for p, cat, on, label, _ in _uncertain_checks(fund)]
    listed = "&".join(parts)
    label = "Statut du barème pour cette section"
    b.text(f"A{ROW_INCERTAIN}", label)
    b.add(f"B{ROW_INCERTAIN}", label,
          f'=IF({listed}="","{UNCERTAIN_NONE}","{UNCERTAIN_LEAD}"&MID({listed},3,500)&".")', GENERAL, "text",
          lambda c: _uncertain_twin(c, fund))


def _uncertain_twin(c: _Context, fund: str) -> str:
    rows = get_rates().rows
    found = []
    for *_, twin in _uncertain_checks(fund):
        parametre, categorie, on, label = twin(c)
        if N.uncertain_value(rows, parametre, categorie, on):
            found.append(label)
    return UNCERTAIN_LEAD + ", ".join(found) + "." if found else UNCERTAIN_NONE
