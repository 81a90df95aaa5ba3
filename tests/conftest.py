"""Shared fixtures of the core tests.

Why: tests that switch the rates sheet (``set_rates_path``, ``XLAE_BAREME``)
must hand the bundled sheet back to the next test, whatever happens.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Callable, Iterator

import pytest

from xlae import rates as rates_module

D = Decimal


def day(text: str) -> dt.date:
    """``"2026-03-01"`` → ``date(2026, 3, 1)``: keeps the case tables short."""
    return dt.date.fromisoformat(text)


@pytest.fixture
def restore_rates(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Run the test without ``XLAE_BAREME``; afterwards, back to the bundled sheet."""
    monkeypatch.delenv(rates_module.ENV_VAR, raising=False)
    yield
    monkeypatch.delenv(rates_module.ENV_VAR, raising=False)
    rates_module.set_rates_path(None)
    assert rates_module.get_rates().origin == "intégré"


@pytest.fixture
def bareme_file(tmp_path: Path, restore_rates: None) -> Callable[[str], Path]:
    """Write a CSV rates sheet (text given) into a temporary file and return its path."""

    def write(text: str, name: str = "bareme.csv") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write
