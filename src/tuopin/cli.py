"""The `tuopin` command: Django's management commands under the project's name.

`tuopin demo`, `tuopin import`, `tuopin serve` … are management commands of the apps; Django's own
(`tuopin migrate`, `tuopin check --deploy`) come along. Exit codes: 0 success, 2 usage error,
3 input refused, 1 anything else (CONTRACTS.md).
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tuopin.config.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        execute_from_command_line(["tuopin", *argv])
    except SystemExit as exc:  # argparse and CommandError exit through here with their code
        return int(exc.code or 0) if not isinstance(exc.code, str) else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
