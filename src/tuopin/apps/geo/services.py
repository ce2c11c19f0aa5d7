"""Writes to the region tree. Loading a division file is idempotent and audited as one batch."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from tuopin.apps.audit.services import audit_batch

from .data import read_divisions
from .models import Region

FIELDS = ("name", "level", "kind", "is_rural", "is_poor_village", "poor_village_since", "west")


@transaction.atomic
def regions_load(*, path: str | Path, by, source: str = "cli", action: str = "regions_load",
                 extra: dict | None = None) -> dict:
    """Create or update the regions of a division file, matched on code; never deletes.

    Returns {"created": n, "updated": n, "unchanged": n}. Running it twice changes nothing the
    second time (and still records the attempt, with zero rows written).
    """
    rows = read_divisions(path)
    existing = {r.code: r for r in Region.objects.filter(code__in=[row["code"] for row in rows])}
    created, updated, unchanged = [], [], 0
    for row in rows:  # parents come first in the file, so their primary keys are known in time
        parent = existing.get(row["parent_code"]) if row["parent_code"] else None
        if row["parent_code"] and parent is None:
            parent = Region.objects.get(code=row["parent_code"])  # loaded earlier, from another file
            existing[parent.code] = parent
        values = {f: row[f] for f in FIELDS}
        region = existing.get(row["code"])
        if region is None:
            existing[row["code"]] = Region.objects.create(code=row["code"], parent=parent, **values)
            created.append(row["code"])
            continue
        changes = {f: [getattr(region, f), v] for f, v in values.items() if getattr(region, f) != v}
        if region.parent_id != (parent.pk if parent else None):
            changes["parent"] = [region.parent.code if region.parent else None, row["parent_code"] or None]
            region.parent = parent
        if changes:
            for f, (_, new) in changes.items():
                if f != "parent":
                    setattr(region, f, new)
            region.save()
            updated.append({"code": row["code"], "changes": changes})
        else:
            unchanged += 1
    counts = {"created": len(created), "updated": len(updated), "unchanged": unchanged}
    audit_batch(actor=by, action=action, entity="geo.region", source=source,
                batch={"file": Path(path).name, **counts, "created_codes": created, "updated_rows": updated,
                       **(extra or {})},
                summary=f"{Path(path).name}: {counts['created']} created, {counts['updated']} updated, "
                        f"{unchanged} unchanged")
    return counts
