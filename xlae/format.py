"""French number and date formatting for terminal and workbook text."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

NBSP = "\u202f"


def euros(amount: Decimal | float | int, decimals: int = 2) -> str:
    """1234.5 → « 1 234,50 € » (thin non-breaking space for thousands)."""
    text = f"{Decimal(str(amount)):,.{decimals}f}"
    return text.replace(",", NBSP).replace(".", ",") + " €"


def euros_text(amount: Decimal) -> str:
    """Amount inside a sentence: 40000 → « 40 000 € », 35043.29 → « 35 043,29 € » (no ,00)."""
    text = f"{amount:,.2f}".replace(",", " ").replace(".", ",")
    return (text[:-3] if text.endswith(",00") else text) + " €"


def percent(fraction: Decimal | float, decimals: int = 2) -> str:
    """0.212 → « 21,20 % »."""
    return f"{Decimal(str(fraction)) * 100:.{decimals}f}".replace(".", ",") + " %"


def day(value: dt.date) -> str:
    return f"{value:%d/%m/%Y}"
