"""Idle timeout (30 minutes) and absolute lifetime (12 hours) of a logged-in session (ASVS V7, 等保 idle logout).

The session records when it logged in and when it was last used. Django's own expiry would slide forward
every time the session is saved, so the absolute limit is enforced here too.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

MUST_ENROL = "tuopin_must_enrol"
LOGIN_AT = "tuopin_login_at"
LAST_SEEN = "tuopin_last_seen"
# Write the session at most once a minute just to move the last-seen time.
_TOUCH_EVERY = 60


class IdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            session = request.session
            login_at = session.get(LOGIN_AT, now)
            last_seen = session.get(LAST_SEEN, now)
            idle = getattr(settings, "SESSION_IDLE_TIMEOUT", 1800)
            if now - last_seen > idle or now - login_at > settings.SESSION_COOKIE_AGE:
                logout(request)  # flushes the session; login_required pages then send the person to log in
            else:
                session.setdefault(LOGIN_AT, login_at)
                if now - last_seen >= _TOUCH_EVERY or LAST_SEEN not in session:
                    session[LAST_SEEN] = now
        return self.get_response(request)


class PasswordChangeRequiredMiddleware:
    """An account whose password someone else chose (`tuopin init`, the accounts page) logs in with it only to
    choose its own (decision 1200): until it has, every page but the change page and logging out sends it there.
    Before the second factor's enrolment, which EnrolmentRequiredMiddleware then asks for."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password:
            allowed = (reverse("web:password_change"), reverse("web:logout"), "/i18n/", settings.STATIC_URL)
            if not request.path.startswith(allowed):
                return redirect("web:password_change")
        return self.get_response(request)


class EnrolmentRequiredMiddleware:
    """An account whose role requires the second factor but that has none yet logs in with its password only to
    enrol one (decision 0908): until it has, every page but the enrolment page and logging out sends it there."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated and request.session.get(MUST_ENROL)
                and not user.must_change_password):  # the password first (PasswordChangeRequiredMiddleware)
            allowed = (reverse("web:totp_enrol"), reverse("web:logout"), "/i18n/", settings.STATIC_URL)
            if not request.path.startswith(allowed):
                return redirect("web:totp_enrol")
        return self.get_response(request)
