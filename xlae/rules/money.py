"""Money arithmetic: exact decimals, rounded half up to the cent.

Why: rates come from the sheet as exact decimals; multiplying floats would
turn 1.005 € into 1.00 €. Only the final amount is rounded, once.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation, getcontext

CENT = Decimal("0.01")
ZERO = Decimal(0)
# Not a legal figure: Excel keeps 15 significant digits, so from 10^13 € on an amount
# cannot be held to the cent in a cell; xlae refuses it instead of rounding silently.
EXACT_LIMIT = Decimal(10) ** 13


def to_decimal(value: float | int | Decimal) -> Decimal:
    """Exact decimal of what the user typed (a float's shortest repr)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    return Decimal(repr(value))


def cents(value: Decimal) -> Decimal:
    """Round half up to the cent."""
    return round_to(value, 2)


def round_to(value: Decimal, decimals: int) -> Decimal:
    """Round half up; a huge finite value (a sum of 1e30 cells) is rounded too, not an InvalidOperation."""
    exponent = Decimal(1).scaleb(-decimals)
    try:
        return value.quantize(exponent, rounding=ROUND_HALF_UP)
    except InvalidOperation:
        if not value.is_finite():
            raise
        wide = Context(prec=max(getcontext().prec, value.adjusted() + decimals + 2))
        return value.quantize(exponent, rounding=ROUND_HALF_UP, context=wide)


def exceeds_exact_limit(amount: Decimal) -> bool:
    """True when ``amount`` is too large to be held to the cent (``EXACT_LIMIT``)."""
    return abs(amount) >= EXACT_LIMIT
