"""The `tuopin` command: Django's management commands under the project's name.

`tuopin init`, `tuopin import`, `tuopin serve` … are management commands of the apps; Django's own
(`tuopin migrate`, `tuopin check --deploy`) come along. `tuopin`, `tuopin help` and `tuopin --help` list the
project's commands first, one line each, then Django's. Messages follow TUOPIN_LANGUAGE (`zh-hans`, the default,
or `en`). Exit codes: 0 success, 2 usage error (also: a database not yet migrated), 3 input refused, 1 anything
else (docs/commands.md).
"""

from __future__ import annotations

import os
import sys

from django.utils.translation import gettext_lazy

# Django commands that would go around the permission layer (三员分立): refused with the reason.
REFUSED = {
    "createsuperuser": gettext_lazy(
        "refused: tuopin has no superuser. The system, security and audit administrators hold separate powers and "
        "are created once, by `tuopin init --county CODE` on an empty database; other accounts are created by the "
        "system administrator and given a role by the security administrator."),
    "changepassword": gettext_lazy(
        "refused: it sets a password without the permission layer or the audit trail. A forgotten password is "
        "reset by the system administrator: `tuopin resetpassword USERNAME --as ADMIN` (a one-time password, "
        "replaced at the next login); everyone changes their own at /account/password/."),
}


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tuopin.config.settings")
    import django
    from django.core.management import ManagementUtility

    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv in (["help"], ["-h"], ["--help"]):
        from tuopin.help import command_list

        sys.stdout.write(command_list())
        return 0
    if argv[0].startswith("-") or argv[0] == "help":  # `tuopin help import`, `tuopin --version`
        return _exit_code(lambda: ManagementUtility(["tuopin", *argv]).execute())
    django.setup()
    from django.utils import translation

    # For this command only: a test (or a caller) that runs main() in-process keeps its own language afterwards.
    from tuopin.help import cli_language

    with translation.override(cli_language()):
        return _run(argv)


def _run(argv: list[str]) -> int:
    from django.core.management import ManagementUtility
    from django.core.management.base import CommandError, handle_default_options
    from django.db import DatabaseError

    if argv[0] in REFUSED:
        sys.stderr.write(f"tuopin {argv[0]}: {REFUSED[argv[0]]}\n")
        return 3
    command = ManagementUtility(["tuopin", *argv]).fetch_command(argv[0])
    # Django's run_from_argv, less its closing of every database connection at the end: a test calling
    # main() keeps its transaction, and a process that exits closes them anyway.
    command._called_from_command_line = True  # argparse errors exit 2 instead of raising
    parser = command.create_parser("tuopin", argv[0])
    try:
        options = parser.parse_args(argv[1:])
    except SystemExit as exc:
        return _code(exc)
    cmd_options = vars(options)
    args = cmd_options.pop("args", ())
    handle_default_options(options)
    code = 1  # an exception that escapes is "anything else"
    try:
        command.execute(*args, **cmd_options)
        code = 0
    except CommandError as exc:
        code = exc.returncode
        if cmd_options.get("traceback"):
            raise
        command.stderr.write(f"{exc.__class__.__name__}: {exc}")
    except SystemExit as exc:
        code = _code(exc)
    except DatabaseError:
        # A table missing because the database was never migrated is a step skipped, not a fault: one line
        # saying which step (decision 1342). Any other database error keeps its traceback.
        reason = None if cmd_options.get("traceback") else _not_migrated()
        if reason is None:
            raise
        command.stderr.write(f"tuopin {argv[0]}: {reason}")
        code = 2
    finally:
        _audit_command(argv, cmd_options.get("as_user"), code)
    return code


def _not_migrated() -> str | None:
    """Why the database cannot serve a command yet (never migrated, or migrations of this version not
    applied), or None when it is migrated and the error had another cause."""
    from django.db import DatabaseError, connection
    from django.db.migrations.executor import MigrationExecutor
    from django.utils.translation import gettext, ngettext

    try:
        executor = MigrationExecutor(connection)
        if not executor.recorder.has_table():
            return gettext("the database is not initialised: run `tuopin init --county CODE` (a new county) or "
                           "`tuopin migrate` first")
        missing = len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    except DatabaseError:
        return None
    if not missing:
        return None
    return ngettext("the database lacks %(n)s migration of this version of tuopin: run `tuopin migrate` first",
                    "the database lacks %(n)s migrations of this version of tuopin: run `tuopin migrate` first",
                    missing) % {"n": missing}


def _audit_command(argv: list[str], username: str | None, code: int) -> None:
    """Every command run goes into the audit trail, its arguments masked (等保2.0: audit of every user)."""
    from django.db import DatabaseError

    from tuopin.common.masking import mask_text

    try:
        from tuopin.apps.accounts.models import User
        from tuopin.apps.audit.services import audit_event

        actor = User.objects.filter(username=username).first() if username else None
        audit_event(actor=actor, action="command", source="cli",
                    summary=f"tuopin {mask_text(' '.join(argv))} → exit {code}")
    except DatabaseError:
        pass  # no database yet (before `tuopin migrate`) or it is unreachable: nothing to record into


def _exit_code(run) -> int:
    try:
        run()
    except SystemExit as exc:
        return _code(exc)
    return 0


def _code(exc: SystemExit) -> int:
    return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)


if __name__ == "__main__":
    sys.exit(main())
