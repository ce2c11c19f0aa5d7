import pytest


@pytest.fixture(scope="session")
def spark():
    """The process's one local Spark session (a JVM: seconds to start, so once per test run)."""
    from tuopin.engine import spark_runner

    return spark_runner.session()
