import io

import pytest
from django.core.management import call_command


@pytest.fixture
def accounts_file(settings, tmp_path):
    settings.DEMO_ACCOUNTS_FILE = tmp_path / "demo-accounts.json"
    return settings.DEMO_ACCOUNTS_FILE


@pytest.fixture
def demo(settings, tmp_path):
    """Run `tuopin demo --no-serve` at test scale; returns what it printed. The risk model it trains goes to a
    folder of the test's."""
    settings.VAR_DIR = tmp_path
    def run(*args, scale="0.02"):
        out = io.StringIO()
        call_command("demo", "--no-serve", "--scale", scale, *args, stdout=out)
        return out.getvalue()
    return run
