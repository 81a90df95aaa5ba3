"""Money arithmetic: exact decimals, rounded half up to the cent.

Why: rates come from the sheet as exact decimals; multiplying floats would
turn 1.005 € into 1.00 €. Only the final amount is rounded, once.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal(0)


def to_decimal(value: float | int | Decimal) -> Decimal:
    """Exact decimal of what the user typed (a float's shortest repr)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    return Decimal(repr(value))


def cents(value: Decimal) -> Decimal:
    """Round half up to the cent."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def round_to(value: Decimal, decimals: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
