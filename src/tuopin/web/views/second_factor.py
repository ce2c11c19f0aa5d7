"""Enrolling an authenticator app (TOTP) for the signed-in account (decision 0908).

The candidate secret lives in the server-side session until a current code of it confirms it; only then is it
stored on the account (audited, without the secret). It is shown on the page — as a QR code drawn by segno as
inline SVG, and as text for typing — and never put in a URL or a log line. An account whose role requires the
second factor and that has none is sent here straight after its password (accounts.middleware) and can do
nothing else until it has enrolled."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from tuopin.apps.accounts import second_factor, totp
from tuopin.apps.accounts.middleware import MUST_ENROL

from .login import CodeForm

CANDIDATE = "tuopin_totp_candidate"


@login_required
def totp_enrol(request):
    user, session = request.user, request.session
    secret = session.get(CANDIDATE)
    if not secret:
        secret = session[CANDIDATE] = totp.new_secret()
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if second_factor.totp_enrol(account=user, secret=secret, code=form.cleaned_data["code"]):
            session.pop(CANDIDATE, None)
            session.pop(MUST_ENROL, None)
            messages.success(request, _("Authenticator app enrolled: from now on you log in with its code."))
            return redirect("web:home")
        form.add_error("code", _("The code is not right. Check the app's clock and enter the code it shows now."))
    uri = totp.provisioning_uri(secret, user.get_username())
    # segno escapes nothing it is not given: the SVG holds only paths and the fixed title below.
    qr = mark_safe(segno.make(uri, error="m").svg_inline(scale=5, border=4, dark="#000", light="#fff",  # noqa: S308
                                                         title="otpauth QR"))
    return render(request, "web/totp_enrol.html", {
        "form": form, "qr": qr, "secret_groups": " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)),
        "enrolled": bool(user.totp_secret), "required": second_factor.required_for(user),
    }, status=400 if form.is_bound else 200)
