"""Login in two steps: the password (throttled by django-axes), then a TOTP code for the accounts that
have a secret (required for the administrative roles, decision 0903). The session is authenticated only
after the code is right: until then it holds a pending account id and nothing else.

The code is throttled like the password (decision 1150): each wrong or reused code is a failed login for
django-axes (the `user_login_failed` signal axes listens to), counted with the wrong passwords against the same
username + address; a fresh password step does not reset that count — only a complete login does. After
TOTP_CODE_ATTEMPTS wrong codes the pending login is dropped and the password must be given again; once the pair
is locked, the code page refuses every code, the right one too, until the cool-off ends or the security
administrator releases the lock (decision 0909)."""

from __future__ import annotations

import time

from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.signals import user_login_failed
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tuopin.apps.accounts import second_factor
from tuopin.apps.accounts.middleware import MUST_ENROL
from tuopin.apps.accounts.models import User

from ..forms import LoginForm

PENDING = "tuopin_pending_user"
PENDING_AT = "tuopin_pending_at"
PENDING_NEXT = "tuopin_pending_next"
PENDING_BACKEND = "tuopin_pending_backend"
PENDING_FAILURES = "tuopin_pending_failures"  # wrong codes since this password step
PENDING_KEYS = (PENDING, PENDING_AT, PENDING_NEXT, PENDING_BACKEND, PENDING_FAILURES)
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
                # First login of an account that must have a second factor: enrol it before anything else but
                # choosing its own password (decision 1200).
                self.request.session[MUST_ENROL] = True
                return redirect("web:password_change" if user.must_change_password else "web:totp_enrol")
            if user.must_change_password:
                return redirect("web:password_change")
            return response
        self.request.session.cycle_key()
        self.request.session[PENDING] = user.pk
        self.request.session[PENDING_AT] = int(time.time())
        self.request.session[PENDING_BACKEND] = user.backend
        self.request.session[PENDING_NEXT] = self.get_success_url()
        self.request.session[PENDING_FAILURES] = 0
        return redirect("web:login_code")


def _drop_pending(session) -> None:
    for key in PENDING_KEYS:
        session.pop(key, None)


def _code_failed(request, user: User, kind: str) -> None:
    """A wrong or reused code is a failed login: django-axes counts it against the username + address (and may
    lock the pair, setting request.axes_locked_out); accounts.signals audits it."""
    user_login_failed.send(sender=__name__, credentials={"username": user.get_username()}, request=request,
                           second_factor=kind)


def login_code(request):
    session = request.session
    pending = session.get(PENDING)
    if pending is None or int(time.time()) - session.get(PENDING_AT, 0) > PENDING_SECONDS:
        _drop_pending(session)
        return redirect("web:login")
    user = User.objects.filter(pk=pending, is_active=True).first()
    if user is None:
        return redirect("web:login")
    if AxesProxyHandler.is_locked(request, {"username": user.get_username()}):
        # Locked since the password step (by wrong codes here or elsewhere from this address): no code is
        # looked at, the right one neither. A try counts and is audited as at the password step.
        if request.method == "POST":
            _code_failed(request, user, "locked")
        _drop_pending(session)
        return locked_out(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = second_factor.code_accept(account=user, code=form.cleaned_data["code"])
        if outcome == second_factor.ACCEPTED:
            target = session.get(PENDING_NEXT) or settings.LOGIN_REDIRECT_URL
            backend = session.get(PENDING_BACKEND)
            _drop_pending(session)
            auth_login(request, user, backend=backend)  # axes: a complete login resets the failures
            if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
                target = settings.LOGIN_REDIRECT_URL
            return redirect(target)
        replayed = outcome == second_factor.REPLAYED
        _code_failed(request, user, "reused" if replayed else "wrong")
        if getattr(request, "axes_locked_out", False):
            _drop_pending(session)
            return locked_out(request)
        session[PENDING_FAILURES] = failures = session.get(PENDING_FAILURES, 0) + 1
        if failures >= settings.TOTP_CODE_ATTEMPTS:
            _drop_pending(session)
            messages.error(request, _("Too many wrong codes. Enter your password again, then the code the app "
                                      "shows now."))
            return redirect("web:login")
        form.add_error("code", _("This code has already been used. Wait for the app to show the next one.")
                       if replayed else _("The code is not right. Enter the code the app shows now."))
    return render(request, "web/login_code.html", {"form": form})


def locked_out(request, original_response=None, credentials=None):
    """django-axes' lockout response: the login page again, with a message saying why and for how long. From the
    code page (no username posted) the form is shown empty."""
    form = LoginForm(request, data=request.POST if "username" in request.POST else None)
    minutes = int(float(settings.AXES_COOLOFF_TIME) * 60)
    message = _("Too many failed logins for this account from this computer. Logging in is locked for "
                "%(minutes)d minutes; try again later or ask the security administrator to unlock it.") % {
        "minutes": minutes}
    return render(request, "web/login.html", {"form": form, "locked_message": message}, status=429)
