import pytest


@pytest.fixture(autouse=True)
def _reports_in_tmp(settings, tmp_path):
    # Default import reports go under VAR_DIR/import-reports; keep them out of the working tree.
    settings.VAR_DIR = tmp_path / "var"


@pytest.fixture(autouse=True)
def _keep_test_connection(monkeypatch):
    # `tuopin.cli.main` ends like the real command line: Django closes every connection after the command.
    # On PostgreSQL that would close the test's transaction under it; tests keep it open.
    from django.db import connections

    monkeypatch.setattr(connections, "close_all", lambda: None)
