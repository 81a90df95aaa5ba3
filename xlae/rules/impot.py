"""Income tax of the household (barème, quotient familial, décote) and the versement libératoire.

Sources (fact sheet ``droits-impot.md`` §4; rows dated by *income* year, the
OpenFisca convention: « 2025-01-01 » = revenus 2025, taxed in 2026):
- Barème CGI 197 I 1 (``ir_tranche_limite``, ``ir_tranche_taux``, ``ir_tranches``),
  applied to revenu / parts and multiplied back.
- Plafonnement du QF, CGI 197 I 2 (``ir_plafond_demi_part``): the tax is at least the
  tax with the base parts (1 single, 2 couple) minus the cap per extra half-part.
- Décote, CGI 197 I 4 a (``ir_decote_seuil``, ``ir_decote_taux``): seuil − 45.25 % ×
  impôt brut, when positive, at most the impôt brut.
- Versement libératoire, CGI 151-0 (``vl_taux``, ``vl_plafond_rfr_part``): the micro
  revenu leaves the barème but sets the taux effectif of the other income
  (OpenFisca ``taux_effectif``: parts × barème((R + micro) / parts) / (R + micro)).
Amounts are rounded to the cent (the official rounding to the euro is not applied,
as in the fact sheet's worked examples).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Mapping

from ..errors import XlaeError, invalid
from ..format import euros_text
from ..rates import Rate, Rates, get_rates
from . import abattement, contributions
from .money import ZERO, cents
from .periods import first_of_year
from .vocabulary import Activite

QUARTER = Decimal("0.25")

# 2042-C-PRO, déclarant 1 (OpenFisca cerfa_field; superindep.fr for the 2025 campaign):
# the gross CA goes in the box; the administration applies the abattement.
CASES_2042 = {
    (Activite.VENTE, False): "5KO", (Activite.SERVICE_BIC, False): "5KP",
    (Activite.BNC, False): "5HQ", (Activite.BNC_CIPAV, False): "5HQ",
    (Activite.VENTE, True): "5TA", (Activite.SERVICE_BIC, True): "5TB",
    (Activite.BNC, True): "5TE", (Activite.BNC_CIPAV, True): "5TE",
}
CASE_LABELS = {
    "5KO": "micro-BIC, ventes de marchandises et fourniture de logement (sans versement libératoire)",
    "5KP": "micro-BIC, prestations de services (sans versement libératoire)",
    "5HQ": "micro-BNC, recettes (sans versement libératoire)",
    "5TA": "auto-entrepreneur avec versement libératoire, ventes",
    "5TB": "auto-entrepreneur avec versement libératoire, prestations de services BIC",
    "5TE": "auto-entrepreneur avec versement libératoire, recettes BNC",
}


def case_2042(activite: Activite, versement_liberatoire: bool) -> str:
    """2042-C-PRO box (déclarant 1) where the CA of ``activite`` is typed."""
    return CASES_2042[(activite, versement_liberatoire)]


@dataclass(frozen=True)
class Household:
    parts: Decimal
    couple: bool

    @property
    def label(self) -> str:
        """« 1 part », « 2,5 parts »."""
        return f"{_number(self.parts)} part{'s' if self.parts > 1 else ''}"

    @property
    def base_parts(self) -> Decimal:
        return Decimal(2) if self.couple else Decimal(1)


def _number(value: Decimal) -> str:
    return f"{value.normalize():f}".replace(".", ",")


def household(parts: Decimal | None, couple: bool | None, argument: str = "parts") -> Household:
    """Check the parts (> 0, in quarter parts, at least the base parts); a couple by default from 2 parts."""
    parts = Decimal(1) if parts is None else parts
    if parts <= 0 or (parts / QUARTER) != (parts / QUARTER).to_integral_value():  # % fails past 28 digits
        raise invalid(argument, _number(parts), "un nombre de parts positif, par quart de part (1 ; 1,5 ; 2 ; 2,25…)")
    couple = parts >= 2 if couple is None else couple
    found = Household(parts, couple)
    if parts < found.base_parts:
        raise XlaeError(f"{argument} : {_number(parts)} part(s) pour un couple soumis à imposition commune ; un couple a "
                        "au moins 2 parts.", argument)
    return found


@dataclass(frozen=True)
class Tax:
    revenu: Decimal      # net taxable income of the household
    brut: Decimal        # after the QF cap
    decote: Decimal
    net: Decimal
    rows: tuple[Rate, ...]


def _bareme(income: Decimal, parts: Decimal, annee: int, rates: Rates) -> tuple[Decimal, list[Rate]]:
    """parts × barème(income / parts), exact."""
    on = first_of_year(annee)
    count_row = rates.lookup("ir_tranches", "toutes", "toutes", on)
    quotient = income / parts
    tax = ZERO
    lower = ZERO
    rows = [count_row]
    for number in range(1, int(count_row.valeur) + 1):
        rate = rates.lookup("ir_tranche_taux", f"tranche_{number}", "toutes", on)
        rows.append(rate)
        if number < int(count_row.valeur):
            limit_row = rates.lookup("ir_tranche_limite", f"tranche_{number}", "toutes", on)
            rows.append(limit_row)
            upper = limit_row.valeur
        else:
            upper = max(quotient, lower)
        if quotient > lower:
            tax += (min(quotient, upper) - lower) * rate.valeur
        lower = upper
    return tax * parts, rows


def impot_brut(income: Decimal, foyer: Household, annee: int, rates: Rates | None = None) -> tuple[Decimal, list[Rate]]:
    """Impôt brut after the plafonnement du quotient familial (CGI 197 I 2), to the cent."""
    rates = rates or get_rates()
    full, rows = _bareme(income, foyer.parts, annee, rates)
    if foyer.parts == foyer.base_parts:
        return cents(full), rows
    base, _ = _bareme(income, foyer.base_parts, annee, rates)
    cap = rates.lookup("ir_plafond_demi_part", "toutes", "toutes", first_of_year(annee))
    half_parts = (foyer.parts - foyer.base_parts) * 2
    return cents(max(full, base - cap.valeur * half_parts)), [*rows, cap]


def decote(brut: Decimal, foyer: Household, annee: int, rates: Rates | None = None) -> tuple[Decimal, list[Rate]]:
    """Décote (CGI 197 I 4 a): seuil − 45.25 % × brut, never negative, at most the brut."""
    rates = rates or get_rates()
    on = first_of_year(annee)
    seuil = rates.lookup("ir_decote_seuil", "couple" if foyer.couple else "celibataire", "toutes", on)
    taux = rates.lookup("ir_decote_taux", "toutes", "toutes", on)
    return min(brut, max(ZERO, cents(seuil.valeur - taux.valeur * brut))), [seuil, taux]


def impot(income: Decimal, foyer: Household, annee: int, rates: Rates | None = None) -> Tax:
    """Income tax of the household on ``income`` (net taxable) for income year ``annee``."""
    rates = rates or get_rates()
    brut, rows = impot_brut(income, foyer, annee, rates)
    reduction, more = decote(brut, foyer, annee, rates)
    return Tax(income, brut, reduction, brut - reduction, (*rows, *more))


@dataclass(frozen=True)
class Comparison:
    bareme: Tax                  # whole household at the barème, micro revenu included
    vl: Decimal                  # versement libératoire on the CA
    autres_vl: Decimal           # tax on the other income under the VL (taux effectif, décote)
    plafond_rfr: Decimal         # RFR limit of N-2 for the household
    autorise: bool | None        # None when the RFR was not given
    message: str
    rows: tuple[Rate, ...]

    @property
    def cout_vl(self) -> Decimal:
        return self.vl + self.autres_vl


def comparaison_vl(ca: Mapping[Activite, Decimal], annee: int, foyer: Household,
                   autres_revenus: Decimal = ZERO, rfr: Decimal | None = None,
                   rates: Rates | None = None) -> Comparison:
    """Barème or versement libératoire for the CA of ``annee``: which costs less, and is the VL allowed?"""
    rates = rates or get_rates()
    on = first_of_year(annee)
    micro = abattement.revenu(ca, annee, rates)
    at_bareme = impot(autres_revenus + micro, foyer, annee, rates)
    vl = sum((contributions.vl(amount, activite, on) for activite, amount in ca.items()), ZERO)
    vl_rows = [contributions.vl_row(a, on) for a in ca]
    others = ZERO
    if autres_revenus > 0:
        total = autres_revenus + micro
        full, _ = _bareme(total, foyer.parts, annee, rates)
        brut = cents(full / total * autres_revenus)
        others = brut - decote(brut, foyer, annee, rates)[0]
    limit_row = rates.lookup("vl_plafond_rfr_part", "toutes", "toutes", on)
    limit = limit_row.valeur * foyer.parts  # +50 % per extra half-part, +25 % per quarter-part
    allowed = None if rfr is None else rfr <= limit
    cost_vl = vl + others
    gap = abs(cost_vl - at_bareme.net)
    if cost_vl < at_bareme.net:
        verdict = f"le versement libératoire est moins cher de {euros_text(gap)}"
    elif cost_vl > at_bareme.net:
        verdict = f"le barème est moins cher de {euros_text(gap)}"
    else:
        verdict = "les deux coûtent autant"
    parts = foyer.label
    condition = f"RFR {annee - 2} ≤ {euros_text(limit)} ({parts})"
    if allowed is None:
        access = f"versement libératoire possible seulement si {condition}"
    elif allowed:
        access = f"versement libératoire autorisé : RFR {annee - 2} de {euros_text(rfr)} ≤ {euros_text(limit)}"
    else:
        access = (f"versement libératoire non autorisé : RFR {annee - 2} de {euros_text(rfr)} > "
                  f"{euros_text(limit)} ({parts})")
    with_others = f" + impôt sur les autres revenus {euros_text(others)}" if autres_revenus > 0 else ""
    uncertain = any(r.statut == "UNCERTAIN" for r in (*at_bareme.rows, limit_row))
    note = f" Barème des revenus {annee} incertain (non publié) : valeurs de l'année précédente." if uncertain else ""
    message = (f"Revenus {annee} : impôt au barème {euros_text(at_bareme.net)} ; avec versement libératoire "
               f"{euros_text(cost_vl)} ({euros_text(vl)} sur le CA{with_others}) : {verdict} ; {access}.{note}")
    return Comparison(at_bareme, vl, others, limit, allowed, message,
                      (*at_bareme.rows, *vl_rows, limit_row))
