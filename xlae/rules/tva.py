"""VAT franchise en base (CGI 293 B): thresholds and status for a year.

Sources (rows ``tva_seuil``, ``tva_seuil_majore``, ``tva_tolerance_annee_n2``,
``tva_perte_jour_depassement``):
- Until 2024: franchise in N if CA(N-1) ≤ base, or ≤ majoré with CA(N-2) ≤ base;
  crossing the majoré threshold during N ends it on the 1st day of that month.
- From 2025 (LF 2024 art. 82, BOFiP rescrit 03/03/2025): franchise in N only if
  CA(N-1) ≤ base and CA(N) ≤ majoré; crossing the majoré threshold ends it
  on the very day. Thresholds of the year N judge CA(N-1) (2025 transition).
- Mixed activity: the goods threshold applies to the global CA, the services
  threshold to the services CA.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Mapping

from ..format import euros_text
from ..rates import Rates, get_rates
from .money import ZERO
from .periods import first_of_year
from .plafond import SERVICES
from .vocabulary import Activite


@dataclass(frozen=True)
class Threshold:
    label: str
    activites: tuple[Activite, ...]
    base: Decimal
    majore: Decimal


def seuils(activites: set[Activite], annee: int, rates: Rates | None = None) -> list[Threshold]:
    """The franchise thresholds that apply in ``annee`` to these activities."""
    rates = rates or get_rates()
    on = first_of_year(annee)
    services = tuple(a for a in SERVICES if a in activites)
    result = []
    if Activite.VENTE in activites:
        result.append(Threshold("CA global" if services else "CA de ventes", (Activite.VENTE, *services),
                                rates.value("tva_seuil", "vente", "toutes", on),
                                rates.value("tva_seuil_majore", "vente", "toutes", on)))
    if services:
        result.append(Threshold("CA de services", services,
                                rates.value("tva_seuil", services[0].value, "toutes", on),
                                rates.value("tva_seuil_majore", services[0].value, "toutes", on)))
    return result


@dataclass(frozen=True)
class VatStatus:
    code: str  # franchise | franchise_perdue_n1 | due_depuis_janvier | due_en_cours_annee | a_verifier
    message: str


@dataclass(frozen=True)
class ThresholdStatus:
    """The status of one threshold test (global or services): code « franchise » and no message when all is well."""

    threshold: Threshold
    code: str
    message: str


def threshold_statuses(ca: Mapping[Activite, Decimal], ca_precedent: Mapping[Activite, Decimal],
                       annee: int, rates: Rates | None = None) -> list[ThresholdStatus]:
    """Each threshold test of ``annee`` on its own (the Synthèse shows one row per test).

    CGI art. 293 B: franchise lost from 1 January when the CA of N-1 is over the
    majoré threshold (or over the base one, without the N-2 tolerance since 2025);
    during the year when the CA of N passes the majoré threshold; on 1 January N+1
    when the CA of N passes the base threshold of N+1.
    """
    rates = rates or get_rates()
    on = first_of_year(annee)
    tolerance = rates.value("tva_tolerance_annee_n2", "toutes", "toutes", on) == 1
    same_day = rates.value("tva_perte_jour_depassement", "toutes", "toutes", on) == 1
    tolerance_next = rates.value("tva_tolerance_annee_n2", "toutes", "toutes", first_of_year(annee + 1)) == 1
    found: list[ThresholdStatus] = []
    # CA(N) decides the franchise of N+1 against the thresholds of N+1 (2024 → 2025 transition).
    following = {t.label: t for t in seuils(set(ca) | set(ca_precedent), annee + 1, rates)}
    for t in seuils(set(ca) | set(ca_precedent), annee, rates):
        nxt = following[t.label]
        now = sum((ca.get(a, ZERO) for a in t.activites), ZERO)
        before = sum((ca_precedent.get(a, ZERO) for a in t.activites), ZERO)
        what = f"{t.label} {annee - 1} de {euros_text(before)}"
        if before > t.majore or (before > t.base and not tolerance):
            limit = t.majore if before > t.majore else t.base
            found.append(ThresholdStatus(t, "due_depuis_janvier", f"TVA due depuis le 1er janvier {annee} : "
                                         f"{what} > seuil de {euros_text(limit)}."))
        elif now > t.majore:
            when = "à compter du jour du dépassement" if same_day else "à compter du 1er jour du mois du dépassement"
            found.append(ThresholdStatus(t, "due_en_cours_annee", f"TVA due {when} : {t.label} {annee} de "
                                         f"{euros_text(now)} > seuil majoré de {euros_text(t.majore)}."))
        elif before > t.base:
            found.append(ThresholdStatus(t, "a_verifier", f"Franchise maintenue en {annee} seulement si le CA "
                                         f"{annee - 2} était ≤ {euros_text(t.base)} ({what} entre le seuil de "
                                         f"base et le seuil majoré)."))
        elif now > nxt.base:
            end = (f"perdue au 1er janvier {annee + 1}" if not tolerance_next or now > nxt.majore
                   else f"maintenue en {annee + 1} (tolérance), perdue ensuite si le dépassement se répète")
            found.append(ThresholdStatus(t, "franchise_perdue_n1", f"Franchise en {annee}, {end} : {t.label} "
                                         f"{annee} de {euros_text(now)} > seuil de {euros_text(nxt.base)} ; ne pas "
                                         f"dépasser {euros_text(t.majore)} cette année."))
        else:
            found.append(ThresholdStatus(t, "franchise", ""))
    return found


def statut_tva(ca: Mapping[Activite, Decimal], ca_precedent: Mapping[Activite, Decimal],
               annee: int, rates: Rates | None = None) -> VatStatus:
    """Franchise status in ``annee`` from the CA of ``annee`` and of the year before (the worst test)."""
    rates = rates or get_rates()
    found = [VatStatus(s.code, s.message) for s in threshold_statuses(ca, ca_precedent, annee, rates)
             if s.code != "franchise"]
    order = ["due_depuis_janvier", "due_en_cours_annee", "a_verifier", "franchise_perdue_n1"]
    for code in order:
        for status in found:
            if status.code == code:
                return status
    activites = set(ca) | set(ca_precedent)
    following = {t.label: t for t in seuils(activites, annee + 1, rates)}
    details = " ; ".join(
        f"{t.label} {annee} de {euros_text(sum((ca.get(a, ZERO) for a in t.activites), ZERO))} "
        f"≤ {euros_text(following[t.label].base)}" for t in seuils(activites, annee, rates))
    return VatStatus("franchise", f"Franchise en base de TVA en {annee}, maintenue en {annee + 1} "
                                  f"({details}).")
