"""How a page runs a write: the one mapping of the service layer's exceptions to what the person sees.

`run(request, write, …)` calls the service and answers:
- a refusal of the permission layer: the 403 page, written to the audit trail (`access.forbidden`);
- a stale edit (decision 0906): who saved the record meanwhile, on the form or, for a page without one, as a
  message; `fresh` builds the form again with the current version for the pages that keep what was typed;
- the validation layer's refusal: on the form, each next to its field, or as one message;
- success: the `done` message, if any.
It never renders or redirects: the view does, from the `Outcome`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from tuopin.common.versioning import StaleEdit

from ..access import forbidden
from ..form_errors import add_errors


@dataclass(frozen=True)
class Outcome:
    done: bool
    value: Any = None  # what the service returned
    stale: StaleEdit | None = None

    def __bool__(self) -> bool:
        return self.done


def run(request, write: Callable[[], Any], *, form=None, entity: str = "", entity_id="", done: str = "",
        place: Callable[[ValidationError], None] | None = None) -> Outcome:
    """Call `write()` for the page; see the module's docstring. `place` puts a ValidationError where a page with
    several forms wants it (a formset's rows), instead of on `form`."""
    try:
        value = write()
    except StaleEdit as exc:
        if form is not None:
            form.add_error(None, stale_message(exc))
        else:
            messages.error(request, stale_message(exc))
        return Outcome(False, stale=exc)
    except PermissionDenied:
        raise forbidden(request, entity=entity, entity_id=entity_id) from None
    except ValidationError as exc:
        if place is not None:
            place(exc)
        elif form is not None:
            add_errors(form, exc)
        else:
            messages.error(request, "; ".join(exc.messages))
        return Outcome(False)
    if done:
        messages.success(request, done)
    return Outcome(True, value)


def stale_message(exc: StaleEdit) -> str:
    return _(
        "Nothing was saved: %(who)s changed this record at %(when)s (version %(version)s; you edited version "
        "%(read)s). Reload the page to see their change, then apply yours again."
    ) % {"who": exc.who, "when": exc.when, "version": exc.instance.version, "read": exc.read_version}


def fresh(form_class, posted, exc: StaleEdit, files=None, **kwargs):
    """The person's input kept, now carrying the current version, with who saved it meanwhile: they look at the
    record as it is and submit again on purpose (decision 0906)."""
    data = posted.copy()
    prefix = kwargs.get("prefix")
    data[f"{prefix}-version" if prefix else "version"] = str(exc.instance.version)
    form = form_class(data, files, **kwargs)
    form.is_valid()
    form.add_error(None, stale_message(exc))
    return form
