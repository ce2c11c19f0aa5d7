"""What `tuopin`, `tuopin help` and `tuopin --help` print: the project's own commands first, one line each
with the command's help, then Django's and its libraries' by name only, under their own heading.

A command of a tuopin app that takes over a Django command of the same name (`flush`) is listed with Django's:
the project adds a safeguard to it, not a new command."""

from __future__ import annotations

import os
import textwrap

from django.utils.translation import gettext as _

WIDTH = 100


def commands() -> tuple[dict[str, str], list[str]]:
    """({tuopin command: its one-line help}, [Django's and the libraries' commands]), each sorted by name."""
    import django.core.management as management
    from django.core.management import get_commands, load_command_class

    from tuopin.cli import REFUSED

    django_core = set(management.find_commands(os.path.dirname(management.__file__)))
    own, others = {}, []
    for name, app in sorted(get_commands().items()):
        if name in REFUSED:
            continue
        if app.startswith("tuopin.") and name not in django_core:
            text = load_command_class(app, name).help
            # A plain str is looked up too: a catalogue entry translates it even where the source did not mark it.
            own[name] = " ".join(_(str(text)).split()) if text else ""
        else:
            others.append(name)
    return own, others


def command_list() -> str:
    import django
    from django.utils import translation

    django.setup()
    with translation.override(cli_language()):
        return _command_list()


def _command_list() -> str:
    own, others = commands()
    width = max(map(len, own)) + 2
    lines = [_("Usage: tuopin COMMAND [options]    (tuopin help COMMAND: its options)"), "",
             _("tuopin's commands:")]
    for name, text in own.items():
        lines.append(f"  {name:<{width}}{text}".rstrip())
    lines += ["", _("Django's commands (and its libraries'):")]
    lines += textwrap.wrap(", ".join(others), WIDTH, initial_indent="  ", subsequent_indent="  ")
    lines += ["", _("Exit codes: 0 success, 2 usage error, 3 input refused, 1 anything else. Messages follow "
                    "TUOPIN_LANGUAGE (zh-hans or en).")]
    return "\n".join(lines) + "\n"


def cli_language() -> str:
    """TUOPIN_LANGUAGE when it names a language of the interface, else the default (Chinese)."""
    from django.conf import settings
    from django.utils import translation

    try:
        return translation.get_supported_language_variant(os.environ.get("TUOPIN_LANGUAGE", "").strip())
    except LookupError:
        return settings.LANGUAGE_CODE
