"""The layers of docs/architecture.md, as the import contracts in pyproject.toml ([tool.importlinter]) state
them: delivery above the apps, the apps in one order, the core without Django apps, the engine without a cycle.
`lint-imports` at the repository's root shows the same report."""

from __future__ import annotations

import tomllib
from pathlib import Path

from importlinter import configuration
# The use case, not importlinter.cli: the command line's function reconfigures logging for the whole process.
from importlinter.application.use_cases import lint_imports

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "pyproject.toml"


def test_every_import_keeps_the_layer_contracts(capsys):
    configuration.configure()  # what importing importlinter.cli does: the readers of pyproject.toml, the graph builder
    kept = lint_imports(config_filename=str(CONFIG), cache_dir=None, no_logo=True)
    report = capsys.readouterr().out
    # A broken contract lists each import that breaks it (module, line); so does an exception no longer needed.
    assert kept, report
    assert "0 broken" in report


def test_the_contracts_docs_architecture_describes_are_declared():
    contracts = tomllib.loads(CONFIG.read_text(encoding="utf-8"))["tool"]["importlinter"]["contracts"]
    by_id = {c["id"]: c for c in contracts}
    assert set(by_id) == {"layers", "apps", "core-without-django", "engine"}
    assert by_id["layers"]["layers"][-5:] == ["synth | risk | linkage", "engine", "rules", "standards",
                                                 "common"]
    # Every package under apps/ (a Django app or, like files, a package of tools) has its place in the order.
    apps = {p.name for p in (ROOT / "src" / "tuopin" / "apps").iterdir() if (p / "__init__.py").exists()}
    placed = {name.strip() for layer in by_id["apps"]["layers"] for name in layer.split("|")}
    assert placed == apps


def test_docs_architecture_shows_the_contracts_as_declared():
    import importlib.util

    spec = importlib.util.spec_from_file_location("architecture", ROOT / "scripts" / "architecture.py")
    architecture = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(architecture)
    assert architecture.main(["--check"]) == 0, "docs/architecture.md is stale: run scripts/architecture.py"
    # The check is not vacuous: a contract changed in pyproject.toml makes the same document stale.
    changed = CONFIG.read_text(encoding="utf-8").replace('"registry",', '"registry | geo_renamed",', 1)
    assert architecture.updated(architecture.DOC.read_text(encoding="utf-8"), architecture.render(changed)) != \
        architecture.DOC.read_text(encoding="utf-8")
    # Each declared exception appears with the reason written above it in pyproject.toml.
    rendered = architecture.render(CONFIG.read_text(encoding="utf-8"))
    assert "`tuopin.apps.accounts.initialise -> tuopin.apps.geo.*`: `tuopin init` makes the county" in rendered
