"""CA ceilings of the micro regime: prorata temporis and the two-year tolerance.

Sources (rates sheet rows ``plafond_ca``, ``prorata_*``):
- CGI 50-0 and 102 ter: the regime of year N applies when the CA of N-1 *or*
  N-2 does not exceed the ceiling in force for N (LF 2018, loi 2017-1837 art. 22):
  one year over is tolerated, two consecutive years over end the regime on
  1 January of the following year.
- The CA of the creation year is adjusted "au prorata du temps d'exploitation":
  we compare ``CA × 365`` with ``ceiling × days`` (days counted from the creation
  day to 31 December inclusive, 365 even in leap years, ratio capped at 1);
  both conventions are rows of the rates sheet.
- Mixed activity (URSSAF reading, as mon-entreprise): total CA against the
  sales ceiling, and services (BIC services + BNC) against the services ceiling.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Mapping

from ..errors import XlaeError
from ..format import euros_text, percent
from ..rates import Rate, Rates, get_rates
from .money import ZERO
from .periods import first_of_year
from .vocabulary import Activite

SERVICES = (Activite.SERVICE_BIC, Activite.BNC, Activite.BNC_CIPAV)


def prorata_days(date_creation: date | None, annee: int, rates: Rates | None = None) -> tuple[int, int]:
    """(days of activity, divisor) for ``annee``; (d, d) means the full year."""
    rates = rates or get_rates()
    on = first_of_year(annee)
    divisor = int(rates.value("prorata_jours_annee", "toutes", "toutes", on))
    if date_creation is None or date_creation.year < annee:
        return divisor, divisor
    if date_creation.year > annee:
        return 0, divisor
    include = int(rates.value("prorata_jour_creation_compte", "toutes", "toutes", on))
    days = (date(annee, 12, 31) - date_creation).days + include
    return min(days, divisor), divisor


def prorata(date_creation: date | None, annee: int, rates: Rates | None = None) -> Decimal:
    """Fraction of ``annee`` in activity (0..1), by the rates sheet's day count."""
    days, divisor = prorata_days(date_creation, annee, rates)
    return Decimal(days) / Decimal(divisor)


def plafond_row(activite: Activite, annee: int, rates: Rates | None = None) -> Rate:
    rates = rates or get_rates()
    return rates.lookup("plafond_ca", activite.value, "toutes", first_of_year(annee))


def plafond_ca_row(activite: Activite, annee: int, rates: Rates | None = None) -> Rate:
    """Row of the ceiling the CA of ``annee`` is judged against: the one in force for ``annee + 1``.

    Why: CGI 50-0 decides the regime of N+1 with the CA of N (and N-1) against the
    ceiling in force for N+1 (regime-year convention of the fact sheet, §a.1): the
    CA 2025 is judged against 83 600 €, not the 77 700 € in force in 2025.
    """
    return plafond_row(activite, annee + 1, rates)


def plafond(activite: Activite, annee: int, date_creation: date | None = None,
            rates: Rates | None = None) -> Decimal:
    """Ceiling the CA of ``annee`` must stay under, prorated when the business started that year.

    It is the ceiling of regime year ``annee + 1`` (see ``plafond_ca_row``), the one
    ``depassement`` uses, so the share used and the status always agree.
    """
    rates = rates or get_rates()
    full = plafond_ca_row(activite, annee, rates).valeur
    days, divisor = prorata_days(date_creation, annee, rates)
    return full * days / divisor


@dataclass(frozen=True)
class Limit:
    """One ceiling test: which CA it covers and its full (non-prorated) amount."""

    label: str
    activites: tuple[Activite, ...]
    amount: Decimal
    row: Rate


def limits(activites: set[Activite], annee: int, rates: Rates | None = None) -> list[Limit]:
    """The ceiling tests that apply to this set of activities for regime year ``annee``."""
    rates = rates or get_rates()
    result = []
    services = tuple(a for a in SERVICES if a in activites)
    if Activite.VENTE in activites:
        row = plafond_row(Activite.VENTE, annee, rates)
        covered = (Activite.VENTE, *services)
        label = "CA global" if services else "CA de ventes"
        result.append(Limit(label, covered, row.valeur, row))
    if services:
        row = plafond_row(services[0], annee, rates)
        label = "CA de prestations de services" if Activite.VENTE in activites else "CA"
        result.append(Limit(label, services, row.valeur, row))
    return result


def _over(ca: Decimal, limit: Decimal, days: int, divisor: int) -> bool:
    """CA annualised over the ceiling: CA × divisor > ceiling × days (exact)."""
    if days <= 0:
        return ca > 0
    return ca * divisor > limit * days


@dataclass(frozen=True)
class CeilingStatus:
    code: str  # sous_plafond | premier_depassement | depassement_a_confirmer | sortie
    message: str
    share: Decimal  # share of the (prorated) ceiling used, worst test


@dataclass(frozen=True)
class LimitTest:
    """One ceiling test of a year: its CA, its prorated ceiling and whether N and N-1 are over."""

    limit: Limit
    total: Decimal           # CA of N under this test
    allowed: Decimal         # the ceiling of N+1, prorated to the days of activity of N
    over: bool               # CA of N annualised over the ceiling
    previous_total: Decimal | None
    previous_over: bool      # CA of N-1 annualised over the same ceiling (False when unknown)

    @property
    def share(self) -> Decimal:
        """Share of the prorated ceiling used (any CA before creation: over 1)."""
        if self.allowed:
            return self.total / self.allowed
        return Decimal(1) + self.total if self.total > 0 else ZERO


def limit_tests(ca: Mapping[Activite, Decimal], annee: int, date_creation: date | None = None,
                ca_precedent: Mapping[Activite, Decimal] | None = None,
                rates: Rates | None = None) -> list[LimitTest]:
    """Each ceiling test of ``annee`` (global or sales, services), against the ceiling of ``annee + 1``.

    CGI art. 50-0 and 102 ter: a year keeps the regime only if it passes every test,
    so N-1 is judged on each test too, not only on the one N fails.
    """
    rates = rates or get_rates()
    days, divisor = prorata_days(date_creation, annee, rates)
    prev_days, prev_div = prorata_days(date_creation, annee - 1, rates)
    tests = []
    for limit in limits(set(ca) | set(ca_precedent or {}), annee + 1, rates):
        total = sum((ca.get(a, ZERO) for a in limit.activites), ZERO)
        allowed = limit.amount * days / divisor if days else ZERO
        previous = None if ca_precedent is None else sum((ca_precedent.get(a, ZERO) for a in limit.activites), ZERO)
        tests.append(LimitTest(limit, total, allowed, _over(total, limit.amount, days, divisor), previous,
                               previous is not None and prev_days > 0
                               and _over(previous, limit.amount, prev_days, prev_div)))
    return tests


def depassement(ca: Mapping[Activite, Decimal], annee: int, date_creation: date | None = None,
                ca_precedent: Mapping[Activite, Decimal] | None = None,
                rates: Rates | None = None) -> CeilingStatus:
    """Does the CA of ``annee`` keep the micro regime for ``annee + 1``?

    The CA of N and N-1 are compared with the ceiling in force for N+1 (the
    regime year they decide), each prorated if it was the creation year.
    """
    rates = rates or get_rates()
    if date_creation is not None and date_creation.year > annee and any(v > 0 for v in ca.values()):
        raise XlaeError(f"date_creation : le {date_creation:%d/%m/%Y} est postérieur à l'année "
                        f"{annee} alors que du CA y est déclaré.", "date_creation")
    regime_year = annee + 1
    days, divisor = prorata_days(date_creation, annee, rates)
    prorated = " (proratisé)" if days < divisor else ""
    tests = limit_tests(ca, annee, date_creation, ca_precedent, rates)
    share = max((t.share for t in tests), default=ZERO)
    worst_now = [f"{t.limit.label} {annee} de {euros_text(t.total)} > plafond {regime_year} "
                 f"de {euros_text(t.allowed)}{prorated}" for t in tests if t.over]
    worst_prev = [f"{t.limit.label} {annee - 1} de {euros_text(t.previous_total)}" for t in tests if t.previous_over]
    mixed_note = (" Activité mixte BIC + BNC : test URSSAF (services BIC + BNC ensemble), "
                  "le code des impôts teste BIC et BNC séparément."
                  if Activite.VENTE not in ca and Activite.SERVICE_BIC in ca
                  and (Activite.BNC in ca or Activite.BNC_CIPAV in ca) else "")
    if not worst_now:
        return CeilingStatus("sous_plafond", f"Sous le plafond : {percent(share, 1)} utilisé ; "
                             f"régime micro maintenu en {regime_year}.{mixed_note}", share)
    over = " ; ".join(worst_now)
    if worst_prev:
        return CeilingStatus("sortie", f"Deuxième année consécutive au-dessus du plafond ({over} ; "
                             f"{'; '.join(worst_prev)} également au-dessus) : sortie du régime micro "
                             f"au 1er janvier {regime_year}.{mixed_note}", share)
    creation_year = date_creation is not None and date_creation.year == annee
    if ca_precedent is None and not creation_year:
        return CeilingStatus("depassement_a_confirmer", f"Dépassement en {annee} ({over}). CA {annee - 1} "
                             f"non renseigné : si lui aussi dépassait le plafond, sortie du régime micro au "
                             f"1er janvier {regime_year} ; sinon régime conservé en {regime_year} "
                             f"(tolérance d'une année).{mixed_note}", share)
    return CeilingStatus("premier_depassement", f"Premier dépassement ({over}) : toléré, le régime micro est "
                         f"conservé en {regime_year} ; un second dépassement en {regime_year} ferait sortir "
                         f"du régime au 1er janvier {regime_year + 1}.{mixed_note}", share)
