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


def test_a_stale_edit_is_told_in_the_language_of_the_person_refused():
    from django.utils import translation

    with translation.override("zh-hans"):
        chinese = str(StaleEdit(_Stale(), 2))
    with translation.override("en"):
        english = str(StaleEdit(_Stale(), 2))
    assert chinese.startswith("此记录已由 系统") and "第 4 版" in chinese and "第 2 版" in chinese
    assert english.startswith("This record was changed by the system") and "version 4" in english
