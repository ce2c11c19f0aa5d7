"""A stand-in for `tuopin.progress.progress_bar` in a command's module: records what each bar was told."""

from __future__ import annotations

from contextlib import contextmanager


class Bars:
    def __init__(self):
        self.opened: list[list[tuple[int, int]]] = []  # per bar opened, the (done, total) calls in order

    @contextmanager
    def __call__(self, description: str, **_options):
        calls: list[tuple[int, int]] = []
        self.opened.append(calls)
        yield lambda done, total: calls.append((done, total))


def record_bars(monkeypatch, module) -> Bars:
    bars = Bars()
    monkeypatch.setattr(module, "progress_bar", bars)
    return bars


def assert_counts_to_the_end(calls: list[tuple[int, int]]) -> int:
    """From (0, total) one step at a time to (total, total), the total never changing; returns the total."""
    assert calls, "the work never reported"
    total = calls[0][1]
    assert total > 0
    assert calls == [(done, total) for done in range(total + 1)]
    return total
