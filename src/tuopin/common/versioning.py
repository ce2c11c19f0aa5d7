"""Optimistic locking, the one mechanism for every record people edit (decision 0906): the record carries
`version` and who saved it when (`Versioned`); an edit names the version it read, `locked` refuses a stale one
with StaleEdit, which says who saved the record last and when; `stamp` moves the version on."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

__all__ = ["StaleEdit", "Versioned", "locked", "stamp"]


class Versioned(models.Model):
    """`version` and who saved it when. `updated_at` starts at creation and moves only with the version, so it
    always dates the version shown; null `updated_*` means "as loaded in bulk" (synth, imports, the sync), and
    `db_default` lets those loaders insert rows without naming these columns. `updated_by` has no index: nothing
    looks records up by their last editor."""

    version: models.PositiveIntegerField[int, int] = models.PositiveIntegerField(default=1, db_default=1)
    updated_at: models.DateTimeField[dt.datetime | None, dt.datetime | None] = models.DateTimeField(
        null=True, blank=True, default=timezone.now)
    updated_by: models.ForeignKey[Any, Any] = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False)

    class Meta:
        abstract = True


class StaleEdit(Exception):
    """Somebody saved the record after this edit read it."""

    def __init__(self, instance, read_version: int):
        who = instance.updated_by.get_username() if getattr(instance, "updated_by", None) else _("the system")
        when = timezone.localtime(instance.updated_at).strftime("%Y-%m-%d %H:%M") if instance.updated_at else "?"
        # In the language active where the edit was refused (the request's, a command's), as the API answers it.
        super().__init__(_(
            "This record was changed by %(who)s at %(when)s (version %(version)s, you edited version %(read)s); "
            "reload it and apply your change again."
        ) % {"who": who, "when": when, "version": instance.version, "read": read_version})
        self.instance, self.read_version, self.who, self.when = instance, read_version, who, when


def locked(model, pk: int, version: int | None):
    """The row, locked for this transaction; StaleEdit when `version` is given and is not the stored one.

    `version=None` is for callers that hold no earlier read to be stale against (commands, internal steps)."""
    # of=("self",): PostgreSQL refuses FOR UPDATE on the nullable side of the outer join to updated_by.
    instance = model.objects.select_for_update(of=("self",)).select_related("updated_by").get(pk=pk)
    if version is not None and instance.version != int(version):
        raise StaleEdit(instance, int(version))
    return instance


def stamp(instance, by) -> list[str]:
    """Move the version on and record who saved it when (in memory); the fields for `save(update_fields=…)`."""
    instance.version += 1
    instance.updated_by = by
    instance.updated_at = timezone.now()
    return ["version", "updated_by", "updated_at"]
