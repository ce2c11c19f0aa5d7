# The doors' clients: the API's signed-in APIClient and the edit pages' logged-in test client.
from tests.api.conftest import api  # noqa: F401
from tests.web.conftest import login  # noqa: F401
