"""What the revenu gives back: retirement quarters, sick pay (IJ), maternity and paternity.

Sources (fact sheet ``droits-impot.md`` §1-3, §5; rows named below):
- Quarters (CSS R351-9, D634-1): one per ``trimestre_heures_smic`` × SMIC horaire
  of 1 January, at most ``trimestres_max``; the revenu is the CA after abattement
  *without* the 305 € floor, capped at ``trimestre_plafond_revenu_pass`` PASS.
  Cipav: one quarter per ``cipav_ca_trimestre`` € of CA.
- IJ maladie (CSS D622-7, D622-8): RAAM = mean revenu (CA after abattement, 305 €
  floor included) of the 3 calendar years before the arrêt; IJ = RAAM / 730, RAAM
  capped at 1 PASS in force (3 PASS Cipav); nil when RAAM < 10 % of the mean PASS
  of those years (D622-8, not ME's current PASS).
- Maternity (CSS L623-1, D623-1 to D623-3): allocation forfaitaire = 1 PMSS, IJ
  forfaitaire = PASS / 730 per day of the leave; both cut to 10 % under the same
  RAAM threshold. Paternity: the same IJ for 25 (32) days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Mapping, Sequence

from ..errors import XlaeError, invalid
from ..format import day, euros_text, percent
from ..rates import Rate, Rates, get_rates
from . import abattement
from .money import ZERO, cents
from .periods import first_of_year
from .vocabulary import Activite

CONGES = ("maternite", "maternite_3e_enfant", "jumeaux", "triples", "paternite", "paternite_multiple")


# --- Retirement quarters -------------------------------------------------------

@dataclass(frozen=True)
class Quarters:
    trimestres: int
    revenu: Decimal          # revenu cotisé (capped), or the CA for Cipav
    seuil: Decimal           # income (or Cipav CA) per quarter
    rows: tuple[Rate, ...]


def _single(ca: Mapping[Activite, Decimal]) -> Activite | None:
    """The Cipav activity when it is the only one; mixing Cipav with another fund is refused."""
    if Activite.BNC_CIPAV not in ca:
        return None
    if any(a is not Activite.BNC_CIPAV and v > 0 for a, v in ca.items()):
        raise XlaeError("activite : la Cipav compte les trimestres sur son propre CA ; une activité mixte "
                        "Cipav + autre catégorie n'est pas gérée (calculez chaque caisse séparément).", "activite")
    return Activite.BNC_CIPAV


def trimestres(ca: Mapping[Activite, Decimal], annee: int, rates: Rates | None = None) -> Quarters:
    """Quarters validated by the CA of ``annee`` (0 to 4)."""
    rates = rates or get_rates()
    on = first_of_year(annee)
    maximum = rates.lookup("trimestres_max", "toutes", "toutes", on)
    if _single(ca):
        row = rates.lookup("cipav_ca_trimestre", Activite.BNC_CIPAV.value, "toutes", on)
        total = sum(ca.values(), ZERO)
        count = int((total / row.valeur).to_integral_value(ROUND_FLOOR))
        return Quarters(min(count, int(maximum.valeur)), total, row.valeur, (row, maximum))
    seuil, seuil_rows = quarter_income(annee, rates)
    cap = rates.lookup("trimestre_plafond_revenu_pass", "toutes", "toutes", on)
    pass_row = rates.lookup("pass_annuel", "toutes", "toutes", on)
    income = min(abattement.revenu(ca, annee, rates, minimum_305=False), cap.valeur * pass_row.valeur)
    count = int((income / seuil).to_integral_value(ROUND_FLOOR))
    return Quarters(min(count, int(maximum.valeur)), income, seuil, (*seuil_rows, maximum, cap, pass_row))


def quarter_income(annee: int, rates: Rates | None = None) -> tuple[Decimal, tuple[Rate, ...]]:
    """Income validating one quarter: 150 × SMIC horaire in force on 1 January (mid-year raises ignored)."""
    rates = rates or get_rates()
    on = first_of_year(annee)
    hours = rates.lookup("trimestre_heures_smic", "toutes", "toutes", on)
    smic = rates.lookup("smic_horaire", "toutes", "toutes", on)
    return hours.valeur * smic.valeur, (hours, smic)


def ca_pour_trimestres(nombre: int, activite: Activite, annee: int, rates: Rates | None = None) -> Decimal:
    """Smallest CA in whole euros that validates ``nombre`` quarters in ``annee``."""
    rates = rates or get_rates()
    maximum = int(rates.value("trimestres_max", "toutes", "toutes", first_of_year(annee)))
    if not 0 <= nombre <= maximum:
        raise invalid("nb", nombre, f"un nombre entier de trimestres de 0 à {maximum}")
    if nombre == 0:
        return ZERO
    if activite is Activite.BNC_CIPAV:
        return nombre * rates.value("cipav_ca_trimestre", activite.value, "toutes", first_of_year(annee))
    seuil, _ = quarter_income(annee, rates)
    rate = rates.value("abattement_taux", activite.value, "toutes", first_of_year(annee))
    ca = (nombre * seuil / (1 - rate)).to_integral_value(ROUND_CEILING)
    while trimestres({activite: ca}, annee, rates).trimestres < nombre:  # the abattement is rounded to the cent
        ca += 1
    return ca


# --- RAAM: the mean income of the three previous years -------------------------

@dataclass(frozen=True)
class Raam:
    annees: tuple[int, ...]      # most recent first
    revenus: tuple[Decimal, ...]
    raam: Decimal
    seuil: Decimal               # share × mean PASS of the reference years
    rows: tuple[Rate, ...]


def raam(ca_annees: Sequence[Mapping[Activite, Decimal]], on: date, seuil_parametre: str,
         rates: Rates | None = None) -> Raam:
    """RAAM of an arrêt (or a leave) starting ``on``, from the CA of the previous years, most recent first."""
    rates = rates or get_rates()
    rates.lookup("pass_annuel", "toutes", "toutes", on)  # the date itself must be covered
    history = rates.history()
    count_row = rates.lookup("ij_annees_reference", "toutes", "toutes", on)
    count = int(count_row.valeur)
    if len(ca_annees) != count:
        raise XlaeError(f"CA des années de référence : {count} années attendues, {len(ca_annees)} reçues.")
    years = tuple(on.year - i for i in range(1, count + 1))
    revenus = tuple(abattement.revenu(ca, y, history) for ca, y in zip(ca_annees, years))
    passes = [history.lookup("pass_annuel", "toutes", "toutes", first_of_year(y)) for y in years]
    activites = {a for ca in ca_annees for a in ca} or {Activite.VENTE}
    share = rates.lookup(seuil_parametre, _fund(activites).value, "toutes", on)
    mean_pass = sum((p.valeur for p in passes), ZERO) / count
    return Raam(years, revenus, sum(revenus, ZERO) / count, share.valeur * mean_pass,
                (count_row, share, *passes))


def _fund(activites: set[Activite]) -> Activite:
    """Cipav rules (3 PASS cap) when the only activity is Cipav; SSI otherwise."""
    return Activite.BNC_CIPAV if activites == {Activite.BNC_CIPAV} else Activite.BNC


@dataclass(frozen=True)
class SickPay:
    montant: Decimal     # € per day
    message: str
    rows: tuple[Rate, ...]


def ij_maladie(ca_annees: Sequence[Mapping[Activite, Decimal]], date_arret: date,
               rates: Rates | None = None) -> SickPay:
    """Daily sick pay of an arrêt starting on ``date_arret`` (CSS D622-7, D622-8)."""
    rates = rates or get_rates()
    base = raam(ca_annees, date_arret, "ij_seuil_raam_pass_moyen", rates)
    fund = _fund({a for ca in ca_annees for a in ca} or {Activite.VENTE})
    pass_row = rates.lookup("pass_annuel", "toutes", "toutes", date_arret)
    cap_row = rates.lookup("ij_plafond_raam_pass", fund.value, "toutes", date_arret)
    divisor = rates.lookup("ij_diviseur_raam", "toutes", "toutes", date_arret)
    carence = rates.lookup("ij_carence_jours", "toutes", "toutes", date_arret)
    rows = (*base.rows, pass_row, cap_row, divisor, carence)
    years = f"{base.annees[-1]}-{base.annees[0]}"
    mean = f"RAAM {years} de {euros_text(cents(base.raam))}"
    if base.raam < base.seuil:
        return SickPay(ZERO, f"IJ nulle : {mean} < seuil de {euros_text(cents(base.seuil))} (10 % de la moyenne "
                             f"des PASS {years}, CSS D622-8).", rows)
    cap = cap_row.valeur * pass_row.valeur
    capped = min(base.raam, cap)
    amount = cents(capped / divisor.valeur)
    if base.raam > cap:
        why = (f"{mean} plafonné à {cap_row.valeur.normalize()} PASS {date_arret.year} "
               f"({euros_text(cap)}) ; IJ = {euros_text(cap)} / {divisor.valeur}")
    else:
        why = f"IJ = {mean} / {divisor.valeur}, sous le plafond de {euros_text(cap)}"
    return SickPay(amount, f"{euros_text(amount)} par jour d'arrêt à partir du {day(date_arret)} : {why} ; "
                           f"versée à partir du {int(carence.valeur) + 1}e jour (carence de "
                           f"{carence.valeur} jours), sous condition d'un an d'affiliation.", rows)


@dataclass(frozen=True)
class Leave:
    total: Decimal
    allocation: Decimal      # allocation forfaitaire de repos maternel (0 for paternity)
    ij: Decimal              # € per day
    jours: int
    reduit: bool
    message: str
    rows: tuple[Rate, ...]


def conge(ca_annees: Sequence[Mapping[Activite, Decimal]], debut: date, kind: str,
          rates: Rates | None = None) -> Leave:
    """Allowances of a maternity or paternity leave starting ``debut``, for its full length."""
    if kind not in CONGES:
        raise invalid("conge", kind, CONGES)
    rates = rates or get_rates()
    base = raam(ca_annees, debut, "maternite_seuil_raam_pass_moyen", rates)
    pass_row = rates.lookup("pass_annuel", "toutes", "toutes", debut)
    pmss = rates.lookup("pass_mensuel", "toutes", "toutes", debut)
    afrm_share = rates.lookup("maternite_afrm_pmss", "toutes", "toutes", debut)
    divisor = rates.lookup("maternite_ij_diviseur_pass", "toutes", "toutes", debut)
    length = rates.lookup("conge_duree_jours", kind, "toutes", debut)
    reduction = rates.lookup("maternite_taux_reduit", "toutes", "toutes", debut)
    rows = (*base.rows, pass_row, pmss, afrm_share, divisor, length, reduction)
    reduced = base.raam < base.seuil
    factor = reduction.valeur if reduced else Decimal(1)
    ij = cents(cents(pass_row.valeur / divisor.valeur) * factor)
    allocation = ZERO if kind.startswith("paternite") else cents(afrm_share.valeur * pmss.valeur * factor)
    days = int(length.valeur)
    total = allocation + ij * days
    label = "Congé de paternité" if kind.startswith("paternite") else "Congé de maternité"
    detail = f"{days} jours × {euros_text(ij)}"
    if allocation:
        detail = f"allocation forfaitaire de repos maternel {euros_text(allocation)} + " + detail
    rule = (f" ; montants réduits à {percent(reduction.valeur, 0)} : RAAM de "
            f"{euros_text(cents(base.raam))} < seuil de {euros_text(cents(base.seuil))} (CSS D623-3)"
            if reduced else "")
    return Leave(total, allocation, ij, days, reduced,
                 f"{label} à partir du {day(debut)} : {euros_text(total)} ({detail}){rule}.", rows)
