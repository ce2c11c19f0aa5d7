import os

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by fixtures in that
# thread are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def county(db):
    from tests.factories import small_county

    return small_county()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic"],
        )
        yield b
        b.close()


@pytest.fixture(scope="session")
def spark():
    """The process's one local Spark session (a JVM: seconds to start, so once per test run), for the engine's
    tests and the linkage's."""
    from tuopin.engine import spark_runner

    return spark_runner.session()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(30_000)  # a loaded 2-core machine computes first figures slowly
    yield pg
    context.close()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The production hasher is slow on purpose; tests create many accounts.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _documents_dir(settings, tmp_path):
    """Documents made by the worker are kept under the test's own folder, never the working tree's var/: every
    test's database starts again from the same audit ids, so a kept file of another test would match its key."""
    settings.DOCUMENTS_DIR = tmp_path / "documents"


# A test that asks for none of these touches no database: the PostgreSQL pass of CI leaves it out (decision 1444) —
# but for the folders whose tests run `tuopin` in another process against the configured database.
DATABASE_FIXTURES = frozenset({"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback",
                               "live_server", "_django_db_helper"})
THROUGH_COMMANDS = ("tests/cli/", "tests/deploy/", "tests/durability/")


def pytest_collection_modifyitems(items):
    """The tests that build the whole demo county go first: run in parallel (`make test` uses pytest-xdist), the
    longest test then overlaps the rest of the suite instead of trailing after it. A test that uses no database is
    marked `nodb`; one that runs Spark, `spark` (decision 1538)."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)
    for item in items:
        if "spark" in item.fixturenames:
            item.add_marker(pytest.mark.spark)
        if item.get_closest_marker("django_db") is None and not DATABASE_FIXTURES & set(item.fixturenames) \
                and not item.nodeid.startswith(THROUGH_COMMANDS):
            item.add_marker(pytest.mark.nodb)


@pytest.fixture(autouse=True)
def _fresh_figures_cache():
    """The engine's figures are cached under the latest audit event's id; a rolled-back test can leave the same id
    behind for the next test with other rows, so every test — of any folder — starts with an empty cache."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
