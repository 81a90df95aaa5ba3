"""One error type for everything a user can get wrong, with a French message.

Why: a user must never see a traceback. Adapters (Excel cell, CLI) catch
``XlaeError`` and show ``str(error)``; anything else is a bug in xlae.
"""

from __future__ import annotations

from typing import Any, Iterable


class XlaeError(ValueError):
    """Erreur de saisie ou de barème, avec un message en français."""

    def __init__(self, message: str, argument: str | None = None) -> None:
        super().__init__(message)
        self.argument = argument


def show(value: Any) -> str:
    """Render a user value inside a message (« … »), short."""
    text = repr(value) if not isinstance(value, str) else value
    if len(text) > 60:
        text = text[:57] + "…"
    return f"« {text} »"


def invalid(argument: str, value: Any, accepted: str | Iterable[str]) -> XlaeError:
    """Build the standard message: argument, value received, what is accepted."""
    if not isinstance(accepted, str):
        accepted = ", ".join(accepted)
    return XlaeError(
        f"{argument} : valeur {show(value)} refusée. Valeurs acceptées : {accepted}.",
        argument,
    )
