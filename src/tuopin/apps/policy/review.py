"""Confirming or rejecting a match by likeness (decision 1543): the linker proposes a person for a row without a
valid ID number; a person who knows (the department, the county office, the township or village of the person
proposed) says whether it is them. The decision is kept on the row and audited; the roster's counts follow."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tuopin.apps.accounts.permissions import Action, require
from tuopin.apps.audit.services import audit_change

from .matching import counts
from .models import Roster, RosterEntry

DECISIONS = ("confirmed", "rejected")


@transaction.atomic
def match_review(*, entry: RosterEntry, by, decision: str, source: str = "web") -> RosterEntry:
    """Confirm or reject the person the linker proposed for the row; a later decision replaces an earlier one."""
    if decision not in DECISIONS:
        raise ValidationError({"decision": _("confirm or reject the match")})
    entry = RosterEntry.objects.select_for_update(of=("self",)).select_related("roster", "person").get(pk=entry.pk)
    require(by, Action.REVIEW_ROSTER_MATCH, entry)
    if entry.how not in ("likeness", "review") or entry.person_id is None:
        raise ValidationError(_("only a match by likeness is reviewed: this row was matched %(how)s")
                              % {"how": entry.get_how_display()})
    before = entry.review
    entry.review, entry.reviewed_by, entry.reviewed_at = decision, by, timezone.now()
    entry.save(update_fields=["review", "reviewed_by", "reviewed_at"])
    roster = Roster.objects.select_for_update().get(pk=entry.roster_id)
    for key, n in counts(list(roster.entries.only("how", "review"))).items():
        setattr(roster, key, n)
    roster.save(update_fields=["matched_by_id", "matched_by_likeness", "queued_for_review", "unmatched"])
    audit_change(actor=by, action=f"roster:review_{decision}", instance=entry, source=source,
                 changes={"review": [before, decision], "person": [entry.person_id, entry.person_id]},
                 summary=f"{entry.roster.kind} {entry.roster.year} row {entry.row}: {entry.name}")
    return entry
