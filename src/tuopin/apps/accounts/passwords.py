"""The password policy beyond Django's validators: 等保2.0 asks for complex passwords."""

from __future__ import annotations

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
