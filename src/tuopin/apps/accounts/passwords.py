"""The password policy beyond Django's validators: 等保2.0 asks for complex passwords."""

from __future__ import annotations

import json
import os
import secrets
import string
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def character_classes(password: str) -> int:
    """How many of lower case, upper case, digit and symbol the password uses."""
    return sum((any(c.islower() for c in password), any(c.isupper() for c in password),
                any(c.isdigit() for c in password), any(not c.isalnum() for c in password)))


class CharacterClassValidator:
    """At least `min_classes` of the four classes (lower, upper, digit, symbol); configurable in settings."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        if character_classes(password) < self.min_classes:
            raise ValidationError(
                _("The password must mix at least %(n)d of: lower-case letters, upper-case letters, digits, "
                  "symbols.") % {"n": self.min_classes}, code="password_too_simple")

    def get_help_text(self):
        return _("Mix at least %(n)d of: lower-case letters, upper-case letters, digits, symbols.") % {
            "n": self.min_classes}


ALPHABET = string.ascii_letters + string.digits + "-_.!@#%"


def random_password(length: int = 20) -> str:
    """Random from the OS's generator, with at least one lower, upper, digit and symbol."""
    while True:
        pw = "".join(secrets.choice(ALPHABET) for _ in range(length))
        if character_classes(pw) == 4:
            return pw


def write_accounts_file(rows: list[dict], path: str | Path) -> Path:
    """Write an accounts JSON (clear first passwords) readable by its owner only: created with mode 0600 under a
    temporary name and renamed into place, so no other user can open it even for a moment."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(rows, f, ensure_ascii=False, indent=2)
        f.write("\n")
    os.chmod(tmp, 0o600)  # an older file of that name keeps its mode through O_TRUNC
    os.replace(tmp, path)
    return path
