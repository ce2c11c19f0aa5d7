from tests.web.conftest import live_county  # noqa: F401  (the browser test's county)
