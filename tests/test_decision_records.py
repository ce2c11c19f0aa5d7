"""Every decision record is short and has the same shape (docs/decisions/*.md).

- The first line is `# NNNN — title`, NNNN the file's own number.
- Exactly one paragraph starts `Context:`, one `Decision:` (or `Decision (where it lives):`) and one `Consequences:`,
  in that order.
- At most `MAX_WORDS` words (as `wc -w` counts them): the decision and its reason; implementation detail belongs in the
  docstring of the module that implements it, figures in docs/benchmarks.md.
- No change-log preamble ("Amended by …:", "Revised (…):", "Later:", "Update:"): a record says what holds, and a decision that replaces
  part of another says so in one line ("Superseded in part by NNNN (what).").
"""

import re
from pathlib import Path

import pytest

DECISIONS = Path(__file__).resolve().parents[1] / "docs" / "decisions"
MAX_WORDS = 350
PARAGRAPH = re.compile(r"^(Context|Decision|Consequences)(?: \([^\n]*\))?:", re.MULTILINE)
CHANGE_LOG = re.compile(r"^(?:(?:Amended|Revised)\b[^\n]*?:|Later:|Update[ds]?:|Changed:)", re.MULTILINE | re.IGNORECASE)
RECORDS = sorted(DECISIONS.glob("*.md"))


def test_there_are_records():
    assert len(RECORDS) > 100


def _problems(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    number = path.name[:4]
    found = []
    if not re.fullmatch(r"\d{4}-[a-z0-9-]+\.md", path.name):
        found.append("the file name is not NNNN-short-title.md")
    first = text.splitlines()[0] if text else ""
    if not re.fullmatch(rf"# {number} — \S.*", first):
        found.append(f"the first line is not '# {number} — title': {first!r}")
    starts = PARAGRAPH.findall(text)
    if starts != ["Context", "Decision", "Consequences"]:
        found.append(f"the paragraphs that start Context:/Decision:/Consequences: are {starts}, not one of each in order")
    words = len(text.split())
    if words > MAX_WORDS:
        found.append(f"{words} words, over {MAX_WORDS}: move implementation detail to the module's docstring")
    preamble = CHANGE_LOG.search(text)
    if preamble:
        found.append(f"a change-log preamble {preamble.group(0)!r}: say what holds")
    return found


@pytest.mark.parametrize("path", RECORDS, ids=lambda p: p.name)
def test_record_is_short_and_shaped(path):
    problems = _problems(path)
    assert not problems, f"docs/decisions/{path.name}: " + "; ".join(problems)


def test_the_checks_catch_a_bad_record(tmp_path):
    bad = tmp_path / "0042-bad.md"
    bad.write_text("# 0043 — wrong number\n\nContext: a.\n\nLater: b.\n\nConsequences: c.\n" + "word " * MAX_WORDS)
    problems = " | ".join(_problems(bad))
    assert "first line" in problems
    assert "['Context', 'Consequences']" in problems
    assert "over 350" in problems
    assert "change-log preamble 'Later:'" in problems
