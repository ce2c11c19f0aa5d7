import pytest

from tests.accountability import org  # noqa: F401  (the fixture)
from tests.factories import account
from tuopin.apps.accounts import totp
from tuopin.apps.accounts.models import Role


@pytest.fixture
def admin(db):
    """A county-office account with a second factor enrolled."""
    user = account("admin1", Role.COUNTY_ADMIN)
    user.totp_secret = totp.new_secret()
    user.save()
    return user
