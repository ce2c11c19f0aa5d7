"""Optimistic locking: an edit names the version it read, a stale one is refused with StaleEdit, which says
who saved the record last and when (decision 0906). The registry's services raise the same StaleEdit; tasks,
pairings, work teams, 1×5 groups and war zones lock through `locked` and `stamp`."""

from __future__ import annotations

from django.utils import timezone

__all__ = ["StaleEdit", "locked", "stamp"]


class StaleEdit(Exception):
    """Somebody saved the record after this edit read it."""

    def __init__(self, instance, read_version: int):
        who = instance.updated_by.get_username() if getattr(instance, "updated_by", None) else "system"
        when = timezone.localtime(instance.updated_at).strftime("%Y-%m-%d %H:%M") if instance.updated_at else "?"
        super().__init__(
            f"This record was changed by {who} at {when} (version {instance.version}, you edited version "
            f"{read_version}); reload it and apply your change again."
        )
        self.instance = instance


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
