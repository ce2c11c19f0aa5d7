"""One optimistic-locking mechanism (decisions 0906, 1350): every versioned model is `common.versioning.Versioned`,
and every service that moves a version says who and when."""

import datetime as dt

import pytest
from django.apps import apps
from django.utils import timezone

from tuopin.apps.registry import choices as c
from tuopin.apps.registry import services
from tuopin.common.versioning import StaleEdit, Versioned, locked


def test_every_model_with_a_version_is_versioned_the_one_way():
    # A `version` column kept some other way would miss the lock, the stamp or who-and-when.
    outside = [m._meta.label for m in apps.get_models()
               if any(f.name == "version" for f in m._meta.concrete_fields) and not issubclass(m, Versioned)
               and m._meta.app_label != "web"]  # web's document jobs: a file's version, not an edit's
    assert outside == []
    assert {"registry.Household", "organisation.Unit", "assistance.Task", "evaluation.EvaluationRound",
            "geo.VillageYear"} <= {m._meta.label for m in apps.get_models() if issubclass(m, Versioned)}


@pytest.mark.django_db
def test_a_created_record_is_dated_and_a_status_change_stamps_who_and_when(county):
    admin = county["accounts"]["county_admin"]
    hh = county["households"][0]
    assert hh.updated_at is not None and hh.version == 1
    before = timezone.now()
    services.status_event_record(household=hh, kind=c.EventKind.EXITED, year=2018, effective_on=dt.date(2018, 12, 1),
                                 by=admin)
    hh.refresh_from_db()
    assert (hh.version, hh.updated_by) == (2, admin)
    assert hh.updated_at >= before


@pytest.mark.django_db
def test_locked_refuses_a_stale_version_naming_who_and_the_version_read(county):
    admin = county["accounts"]["county_admin"]
    hh = county["households"][0]
    services.household_update(household=hh, version=1, by=admin, phone="13800000000")
    with pytest.raises(StaleEdit, match=r"此记录已由 county_admin 于 .* 修改（当前为第 2 版，您编辑的是第 1 版）") as exc:
        locked(type(hh), hh.pk, 1)
    assert exc.value.read_version == 1 and exc.value.instance.version == 2
    assert locked(type(hh), hh.pk, None).version == 2  # no earlier read: nothing to be stale against
