"""`--language` of the registry's file commands: what they print and the report they write (decision 1212)."""

from __future__ import annotations

from django.conf import settings


def add_language_argument(parser) -> None:
    parser.add_argument("--language", choices=[code for code, _name in settings.LANGUAGES],
                        default=settings.LANGUAGE_CODE,
                        help="language of what the command prints and of the report (default: %(default)s)")
