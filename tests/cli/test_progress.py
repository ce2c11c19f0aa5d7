"""The progress bars of the long commands: drawn on stderr only when it is a terminal, silent otherwise."""

from __future__ import annotations

import io

from tuopin.common.steps import Steps
from tuopin.progress import progress_bar, silent


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_no_bar_when_stderr_is_not_a_terminal():
    stream = io.StringIO()
    with progress_bar("writing", stream=stream) as progress:
        assert progress is silent
        progress(1, 2)
    assert stream.getvalue() == ""


def test_no_bar_when_the_command_prints_its_own_lines():
    stream = Terminal()
    with progress_bar("writing", stream=stream, show=False) as progress:
        progress(1, 2)
    assert stream.getvalue() == ""


def test_a_bar_on_a_terminal_shows_the_work_and_how_far_it_got():
    stream = Terminal()
    with progress_bar("writing the registry", stream=stream) as progress:
        progress(0, 4)
        progress(4, 4)
    drawn = stream.getvalue()
    assert "writing the registry" in drawn and "100%" in drawn


def test_steps_tell_the_callback_each_count():
    calls = []
    step = Steps(3, lambda done, total: calls.append((done, total)))
    step()
    step(2)
    assert calls == [(0, 3), (1, 3), (3, 3)]
    Steps(2)()  # without a callback, nothing to tell
