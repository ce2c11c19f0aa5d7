"""Counting a long piece of work's steps for a progress callback, `progress(done, total)`.

The work (a build, a backup) knows its steps; whoever runs it decides what a callback does with them — a
command draws a bar (`tuopin.progress`), a test counts the calls, anyone else passes nothing."""

from __future__ import annotations

from typing import Callable

Progress = Callable[[int, int], None]


class Steps:
    """`step()` after each step (or `step(n)` after n); the callback hears (0, total) at once, then each count."""

    def __init__(self, total: int, progress: Progress | None = None):
        self.total, self.done = total, 0
        self._report = progress
        self._tell()

    def __call__(self, n: int = 1) -> None:
        self.done += n
        self._tell()

    def _tell(self) -> None:
        if self._report is not None:
            self._report(self.done, self.total)
