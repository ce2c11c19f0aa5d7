"""Confirming or rejecting a match by likeness (decision 1543): the row's reviewer — the department keeping the roster,
the county office, the township or village of the person proposed — says whether it is them; the counts follow, the
decision is audited, and a row matched by ID number is not reviewed."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tuopin.apps.accounts.permissions import Refused
from tuopin.apps.audit.models import AuditEvent
from tuopin.apps.policy.models import MATCHED, Roster, RosterEntry
from tuopin.apps.policy.review import match_review

pytestmark = pytest.mark.django_db


@pytest.fixture
def roster(county):
    """An enrolment roster (the education bureau's) as the linker leaves it: one row by ID number, one proposed for
    review (h1's member, a typo in the name), one proposed in another township's village (h4)."""
    h1, h4 = county["households"][0], county["households"][3]
    p1, p4 = h1.members.first(), h4.members.first()
    r = Roster.objects.create(kind="enrolment", year=2018, filename="enrolment.xlsx", sha256="0" * 64, rows=3,
                              matched_by_id=1, queued_for_review=2)
    RosterEntry.objects.create(roster=r, row=2, id_number=p1.id_number, id_valid=True, name=p1.name, person=p1,
                               how="id")
    RosterEntry.objects.create(roster=r, row=3, name=p1.name[:1] + "某", person=p1, how="review", weight=4.2,
                               agreement={"name": False, "birth_date": True, "sex": True, "village": True})
    RosterEntry.objects.create(roster=r, row=4, name=p4.name, person=p4, how="review", weight=3.1,
                               agreement={"name": True, "birth_date": False})
    return r


def _review_url(entry):
    return reverse("web:roster_entry_review", args=(entry.roster_id, entry.pk))


def test_the_village_confirms_its_persons_match_and_the_counts_follow(county, client, roster):
    proposed = roster.entries.get(row=3)
    client.force_login(county["accounts"]["first_secretary"])
    page = client.get(reverse("web:roster", args=(roster.pk,)) + "?how=review").content.decode()
    assert f'data-entry="{proposed.pk}"' in page and "一致: 出生日期、性别、行政村; 不一致: 姓名" in page
    other_township = roster.entries.get(row=4)
    assert f'data-entry="{other_township.pk}"' not in page   # the village sees only its households' rows
    done = client.post(_review_url(proposed), {"decision": "confirmed", "how": "review"})
    assert done.status_code == 302 and done["Location"].endswith(f"/rosters/{roster.pk}/?how=review")
    proposed.refresh_from_db()
    roster.refresh_from_db()
    assert (proposed.review, proposed.reviewed_by) == ("confirmed", county["accounts"]["first_secretary"])
    assert (roster.matched_by_id, roster.matched_by_likeness, roster.queued_for_review) == (1, 1, 1)
    assert set(RosterEntry.objects.filter(MATCHED).values_list("row", flat=True)) == {2, 3}
    event = AuditEvent.objects.get(action="roster:review_confirmed")
    assert event.changes["review"] == ["", "confirmed"] and event.entity_id == str(proposed.pk)
    assert client.post(_review_url(other_township), {"decision": "confirmed"}).status_code == 404


def test_a_rejected_match_counts_unmatched_even_above_the_threshold(county, roster):
    entry = roster.entries.get(row=4)
    RosterEntry.objects.filter(pk=entry.pk).update(how="likeness")
    match_review(entry=entry, by=county["accounts"]["department"], decision="rejected")
    roster.refresh_from_db()
    assert (roster.matched_by_likeness, roster.queued_for_review, roster.unmatched) == (0, 1, 1)
    assert not RosterEntry.objects.filter(MATCHED, pk=entry.pk).exists()


def test_what_is_not_reviewed_and_who_may_not(county, roster):
    by_id = roster.entries.get(row=2)
    with pytest.raises(ValidationError):
        match_review(entry=by_id, by=county["accounts"]["county_admin"], decision="confirmed")
    with pytest.raises(ValidationError):
        match_review(entry=roster.entries.get(row=3), by=county["accounts"]["county_admin"], decision="maybe")
    for role in ("cadre", "evaluator", "system_admin"):
        with pytest.raises(Refused):
            match_review(entry=roster.entries.get(row=3), by=county["accounts"][role], decision="confirmed")
    with pytest.raises(Refused):   # h4 lies in 建平乡, outside the commander's 镇赉镇
        match_review(entry=roster.entries.get(row=4), by=county["accounts"]["commander"], decision="confirmed")
    assert roster.entries.filter(review="").count() == 3
