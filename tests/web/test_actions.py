"""The one way a page runs a service write (web/views/actions.run, decision 1350)."""

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory
from django.utils import translation

from tuopin.apps.audit.models import AuditEvent
from tuopin.common.versioning import StaleEdit
from tuopin.web.form_errors import add_errors, one_line
from tuopin.web.views.actions import fresh, run


class NoteForm(forms.Form):
    note = forms.CharField(label="Note")
    version = forms.IntegerField(widget=forms.HiddenInput)


def _request():
    request = RequestFactory().post("/somewhere/", {"note": "typed", "version": "1"})
    request.user, request.session = AnonymousUser(), SessionStore()
    request._messages = FallbackStorage(request)
    return request


class _Stale:
    version, updated_by, updated_at = 3, None, None


def _raise(exc):
    def write():
        raise exc
    return write


def test_success_returns_the_value_and_says_done():
    request = _request()
    outcome = run(request, lambda: 42, done="Saved.")
    assert outcome and outcome.value == 42
    assert [str(m) for m in get_messages(request)] == ["Saved."]


def test_a_stale_edit_is_a_form_error_naming_the_versions_or_a_message_without_a_form():
    request, form = _request(), NoteForm({"note": "typed", "version": "1"})
    form.is_valid()
    with translation.override("en"):
        outcome = run(request, _raise(StaleEdit(_Stale(), 1)), form=form, done="Saved.")
        assert not outcome and outcome.stale.instance.version == 3
        assert "version 3; you edited version 1" in form.non_field_errors()[0]
        bare = _request()
        run(bare, _raise(StaleEdit(_Stale(), 1)))
        assert ["version 3; you edited version 1" in str(m) for m in get_messages(bare)] == [True]
    assert list(get_messages(request)) == []  # no "Saved."


def test_fresh_keeps_the_input_and_carries_the_current_version():
    stale = StaleEdit(_Stale(), 1)
    form = fresh(NoteForm, _request().POST, stale)
    assert form.data["note"] == "typed" and form.data["version"] == "3"
    assert form.non_field_errors()


def test_a_validation_refusal_goes_next_to_its_field_or_into_one_message():
    request, form = _request(), NoteForm({"note": "typed", "version": "1"})
    form.is_valid()
    run(request, _raise(ValidationError({"note": ["too short"], "elsewhere": ["refused"]})), form=form)
    assert form.errors["note"] == ["too short"] and form.non_field_errors() == ["refused"]
    bare = _request()
    run(bare, _raise(ValidationError(["one", "two"])))
    assert [str(m) for m in get_messages(bare)] == ["one; two"]


@pytest.mark.django_db
def test_a_refusal_is_the_audited_403():
    request = _request()
    with pytest.raises(PermissionDenied):
        run(request, _raise(PermissionDenied("no")), entity="assistance.task", entity_id=7)
    event = AuditEvent.objects.get(action="access_refused")
    assert (event.entity, event.entity_id, event.summary) == ("assistance.task", "7", "403 POST /somewhere/")


def test_form_errors_in_one_line_and_placed_by_the_forms_own_names():
    form = NoteForm({"version": "x"})
    form.is_valid()
    assert one_line(form).startswith("Note ")

    class Renamed(NoteForm):
        def field_for(self, name):
            return {"note_fen": "note"}.get(name, name)

    renamed = Renamed({"note": "a", "version": "1"})
    renamed.is_valid()
    add_errors(renamed, ValidationError({"note_fen": ["negative"]}))
    assert renamed.errors["note"] == ["negative"]
