"""The service layer's exceptions become HTTP answers in one handler (decision 1350)."""

from django.core.exceptions import PermissionDenied, ValidationError

from tuopin.api.errors import exception_handler
from tuopin.common.versioning import StaleEdit


class _Stale:
    version, updated_by, updated_at = 4, None, None


def test_a_stale_edit_is_409_with_the_message_and_the_current_version():
    response = exception_handler(StaleEdit(_Stale(), 2), {})
    assert response.status_code == 409
    assert response.data == {"detail": str(StaleEdit(_Stale(), 2)), "current_version": 4}
    assert isinstance(response.data["current_version"], int)


def test_a_refusal_is_403_with_its_reason():
    response = exception_handler(PermissionDenied("not your task"), {})
    assert response.status_code == 403 and response.data["detail"] == "not your task"


def test_a_validation_refusal_is_400_by_field():
    response = exception_handler(ValidationError({"text": ["say what was done"]}), {})
    assert response.status_code == 400 and response.data == {"text": ["say what was done"]}
