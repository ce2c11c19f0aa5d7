from tests.accountability import org  # noqa: F401  (the fixture)
