"""Changing one's own password (decision 1200). An account whose password someone else chose — the first
passwords of `tuopin init`, an account made on the accounts page — is sent here after logging in and reaches
nothing else until it has chosen its own (accounts.middleware); then, if its role needs a second factor it does
not have yet, to the enrolment page, else home."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tuopin.apps.accounts.middleware import MUST_ENROL
from tuopin.apps.accounts.services import password_change


class OwnPasswordForm(PasswordChangeForm):
    """Django's form (the current password, the new one twice, the password policy), with the page's labels;
    the change itself is the accounts service's."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("Current password")
        self.fields["new_password1"].label = _("New password")
        self.fields["new_password2"].label = _("New password again")
        self.fields["old_password"].widget.attrs["autofocus"] = True


@login_required
def password_change_page(request):
    user = request.user
    form = OwnPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            password_change(account=user, new_password=form.cleaned_data["new_password1"])
        except ValidationError as exc:
            form.add_error("new_password1", exc)
        else:
            user.refresh_from_db()
            update_session_auth_hash(request, user)  # this session stays logged in; the others end
            messages.success(request, _("Your password is changed."))
            return redirect("web:totp_enrol" if request.session.get(MUST_ENROL) else "web:home")
    return render(request, "web/password_change.html", {"form": form, "forced": user.must_change_password},
                  status=400 if form.is_bound else 200)
