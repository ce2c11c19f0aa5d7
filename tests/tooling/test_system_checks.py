"""Django's system checks, which the commands over snapshot folders skip (decision 1626), still pass here: a
broken model, URL or template setting fails `make test` before it reaches a user."""

from django.core.management import call_command


def test_the_system_checks_pass():
    call_command("check", fail_level="WARNING")
