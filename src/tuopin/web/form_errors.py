"""A form's errors, one way for every page: a service's ValidationError placed on the form, and a form's errors in
one line for the pages that answer with a message instead of the form."""

from __future__ import annotations

from django.core.exceptions import ValidationError


def add_errors(form, exc: ValidationError) -> None:
    """Each refusal next to the field it names, the rest above the form. A form whose fields are not named as the
    service's (money in yuan, `household.phone`) says which of its fields a name is with `field_for(name)`."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    field_for = getattr(form, "field_for", None)
    for name, reasons in exc.message_dict.items():
        target = field_for(name) if field_for is not None else name
        form.add_error(target if target in form.fields else None, reasons)


def one_line(form) -> str:
    """A form's errors in one line, each after its field's label."""
    return "; ".join(f"{form.fields[name].label if name in form.fields else ''} {' '.join(errs)}".strip()
                     for name, errs in form.errors.items())
