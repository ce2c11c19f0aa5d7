"""The repository stands alone: its code, tests and docs point only at what a reader of this repository can open.

- No file names a planning or reference document kept outside the repository, or a path out of it (`../shared`).
- No comment, docstring or page cites a tracker's issue label ("issue [4]"): it says the need or names the decision.
- Every relative link in README.md and docs/ (text or image) reaches a file of the repository, and a link to a
  heading of a Markdown file (`data-formats.md#7-definitions-behind-the-figures`) reaches a heading there.
- A path to a repository file written in backticks in README.md or docs/ (`docs/spark.md`,
  `src/tuopin/engine/snapshot.py`) exists.
"""

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCANNED = ("src", "docs", "tests", "benchmarks", "scripts", ".ci", "README.md", "Makefile", "pyproject.toml")
SKIPPED_SUFFIXES = {".png", ".jpg", ".gif", ".ico", ".pdf", ".xlsx", ".parquet", ".mo", ".woff", ".woff2", ".ttf"}
OUTSIDE = re.compile(r"\b(?:CONTRACTS|DESIGN|FEATURES|STYLE)\.md\b|\bCONTRACTS\b|\.\./shared\b|/work/shared\b"
                     r"|standards-and-facts|security-checklist|national_anchor")
ISSUE_LABEL = re.compile(r"(?i)\bissues?\s*\[\d+\]|\bissues?\s+#?\d+\b")
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
PATH_IN_CODE = re.compile(r"`((?:docs|src|tests|benchmarks|scripts)/[^`\s]+?\.(?:md|py|sql|toml|html|txt))`")


def _tracked(*paths: str) -> list[Path]:
    """The files git tracks under `paths` (a checkout), or every file under them (an unpacked copy)."""
    try:
        listed = subprocess.run(["git", "ls-files", "-z", "--", *paths], cwd=ROOT, capture_output=True, check=True)
        names = [n for n in listed.stdout.decode().split("\0") if n]
    except (OSError, subprocess.CalledProcessError):
        names = []
    if names:
        return [ROOT / n for n in names if (ROOT / n).is_file()]
    found = []
    for p in paths:
        top = ROOT / p
        found += [top] if top.is_file() else [f for f in top.rglob("*") if f.is_file() and "__pycache__" not in f.parts]
    return found


def _texts(*paths: str):
    for path in _tracked(*paths):
        if path.suffix in SKIPPED_SUFFIXES or "vendor" in path.parts or path == Path(__file__).resolve():
            continue
        try:
            yield path, path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue


def _markdown() -> list[Path]:
    return [p for p in _tracked("README.md", "docs") if p.suffix == ".md"]


def _offending(pattern: re.Pattern) -> list[str]:
    return [f"{path.relative_to(ROOT)}:{n}: {line.strip()[:120]}"
            for path, text in _texts(*SCANNED)
            for n, line in enumerate(text.splitlines(), 1) if pattern.search(line)]


def _slug(heading: str) -> str:
    """A heading's anchor as GitHub and most Markdown renderers make it."""
    text = re.sub(r"[`*_]|\[([^\]]*)\]\([^)]*\)", r"\1", heading.strip().lower())
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    return {_slug(line.lstrip("#")) for line in path.read_text(encoding="utf-8").splitlines()
            if re.match(r"#{1,6} ", line)}


def test_nothing_names_a_document_outside_the_repository():
    assert _offending(OUTSIDE) == []


def test_no_issue_labels_in_code_tests_or_docs():
    assert _offending(ISSUE_LABEL) == []


def test_scan_reads_the_files_it_should():
    """The checks above would pass on nothing: they must read the README, the docs, the code and the tests."""
    read = {path.relative_to(ROOT).as_posix() for path, _ in _texts(*SCANNED)}
    assert {"README.md", "docs/data-formats.md", "src/tuopin/cli.py", "tests/conftest.py"} <= read
    assert OUTSIDE.search("see CONTRACTS.md") and OUTSIDE.search("../shared/reference/x.py")
    assert OUTSIDE.search("(standards-and-facts.md)") and not OUTSIDE.search("docs/standards.md")
    assert ISSUE_LABEL.search("(issue [4] item 6)") and not ISSUE_LABEL.search("households[4]")


@pytest.mark.parametrize("doc", _markdown(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_relative_links_resolve(doc):
    broken = []
    for target in LINK.findall(doc.read_text(encoding="utf-8")):
        if re.match(r"[a-z][a-z0-9+.-]*:", target):  # http:, https:, mailto:
            continue
        file_part, _, anchor = target.partition("#")
        linked = (doc.parent / file_part).resolve() if file_part else doc
        if not linked.exists() or (ROOT not in linked.parents and linked != ROOT):
            broken.append(f"{target}: no such file in the repository")
        elif anchor and linked.suffix == ".md" and anchor not in _anchors(linked):
            broken.append(f"{target}: no heading '{anchor}' in {linked.relative_to(ROOT)}")
    assert broken == []


@pytest.mark.parametrize("doc", _markdown(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_repository_paths_in_backticks_exist(doc):
    missing = [path for path in PATH_IN_CODE.findall(doc.read_text(encoding="utf-8"))
               if not re.search(r"[<>*…{}]", path) and not (ROOT / path).exists()]
    assert missing == []


def test_slugs_match_the_renderers():
    assert _slug("7. Definitions behind the figures") == "7-definitions-behind-the-figures"
    assert _slug("`tuopin assess --json`") == "tuopin-assess---json"
    assert _slug("Sheet 单位 (KIND `units`)") == "sheet-单位-kind-units"
