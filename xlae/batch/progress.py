"""Progress of a batch on stderr: a bar on a terminal, plain lines in a log.

Why: an accountant recalculating fifty workbooks wants to see it move; a CI log
or a redirected stderr must not fill with carriage returns.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

WIDTH = 30


class Progress:
    def __init__(self, total: int, stream: TextIO | None = None, enabled: bool = True) -> None:
        self.total = total
        self.done = 0
        self.failed = 0
        self.stream = stream or sys.stderr
        self.enabled = enabled and total > 1
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.started = time.perf_counter()

    def advance(self, name: str, error: str | None = None) -> None:
        self.done += 1
        self.failed += error is not None
        if not self.enabled:
            return
        if self.tty:
            filled = WIDTH * self.done // self.total
            bar = "█" * filled + "·" * (WIDTH - filled)
            failed = f", {self.failed} en échec" if self.failed else ""
            line = f"\r[{bar}] {self.done}/{self.total}{failed} — {name[:40]:<40}"
            self.stream.write(line)
            if self.done == self.total:
                self.stream.write("\n")
        else:
            state = "ok" if error is None else "échec"
            self.stream.write(f"[{self.done}/{self.total}] {name} : {state}\n")
        self.stream.flush()

    def clear(self) -> None:
        """End an interrupted bar so that the next message starts on its own line."""
        if self.enabled and self.tty and 0 < self.done < self.total:
            self.stream.write("\n")
            self.stream.flush()
