# The page tests' download fixture (and the worker it runs): the audit of downloads fetches documents the same way.
from tests.web.conftest import download, run_jobs  # noqa: F401  (fixtures)
