"""Login in two steps: the password (throttled by django-axes), then a TOTP code for the accounts that
have a secret (required for the administrative roles, decision 0903). The session is authenticated only
after the code is right: until then it holds a pending account id and nothing else."""

from __future__ import annotations

import time

from django import forms
from django.conf import settings
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tuopin.apps.accounts import second_factor
from tuopin.apps.accounts.middleware import MUST_ENROL
from tuopin.apps.accounts.models import User
from tuopin.apps.audit.services import audit_event

from ..forms import LoginForm

PENDING = "tuopin_pending_user"
PENDING_AT = "tuopin_pending_at"
PENDING_NEXT = "tuopin_pending_next"
PENDING_BACKEND = "tuopin_pending_backend"
PENDING_SECONDS = 300  # the code must follow the password within five minutes


class CodeForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Six-digit code from the authenticator app"), max_length=8,
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                                         "autofocus": True}))


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if not user.totp_secret:
            response = super().form_valid(form)
            if second_factor.required_for(user) and settings.TOTP_ENROL_FIRST:
                # First login of an account that must have a second factor: enrol it before anything else.
                self.request.session[MUST_ENROL] = True
                return redirect("web:totp_enrol")
            return response
        self.request.session.cycle_key()
        self.request.session[PENDING] = user.pk
        self.request.session[PENDING_AT] = int(time.time())
        self.request.session[PENDING_BACKEND] = user.backend
        self.request.session[PENDING_NEXT] = self.get_success_url()
        return redirect("web:login_code")


def login_code(request):
    session = request.session
    pending = session.get(PENDING)
    if pending is None or int(time.time()) - session.get(PENDING_AT, 0) > PENDING_SECONDS:
        for key in (PENDING, PENDING_AT, PENDING_NEXT, PENDING_BACKEND):
            session.pop(key, None)
        return redirect("web:login")
    user = User.objects.filter(pk=pending, is_active=True).first()
    if user is None:
        return redirect("web:login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = second_factor.code_accept(account=user, code=form.cleaned_data["code"])
        if outcome == second_factor.ACCEPTED:
            target = session.get(PENDING_NEXT) or settings.LOGIN_REDIRECT_URL
            backend = session.get(PENDING_BACKEND)
            for key in (PENDING, PENDING_AT, PENDING_NEXT, PENDING_BACKEND):
                session.pop(key, None)
            auth_login(request, user, backend=backend)
            if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
                target = settings.LOGIN_REDIRECT_URL
            return redirect(target)
        replayed = outcome == second_factor.REPLAYED
        audit_event(actor=user, action="login_failed", entity="accounts.user", entity_id=str(user.pk),
                    summary=f"{'reused' if replayed else 'wrong'} second-factor code from "
                            f"{request.META.get('REMOTE_ADDR', '-')}")
        form.add_error("code", _("This code has already been used. Wait for the app to show the next one.")
                       if replayed else _("The code is not right. Enter the code the app shows now."))
    return render(request, "web/login_code.html", {"form": form})


def locked_out(request, original_response=None, credentials=None):
    """django-axes' lockout response: the login page again, with a message saying why and for how long."""
    form = LoginForm(request, data=request.POST or None)
    minutes = int(float(settings.AXES_COOLOFF_TIME) * 60)
    message = _("Too many failed logins for this account from this computer. Logging in is locked for "
                "%(minutes)d minutes; try again later or ask the security administrator to unlock it.") % {
        "minutes": minutes}
    return render(request, "web/login.html", {"form": form, "locked_message": message}, status=429)
