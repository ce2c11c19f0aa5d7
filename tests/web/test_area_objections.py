"""Objections to a village exit's public notice, on its page: recorded, holding the county's approval, resolved."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tuopin.apps.procedures.area_procedure import area_exit_advance, area_exit_propose
from tuopin.apps.procedures.choices import AreaStage as A

pytestmark = pytest.mark.django_db
D = dt.date


def test_an_objection_is_recorded_on_the_page_holds_the_approval_and_is_resolved(client, county):
    admin = county["accounts"]["county_admin"]
    procedure = area_exit_propose(region=county["villages"][0], year=2018, by=admin, on=D(2018, 11, 20))
    area_exit_advance(procedure=procedure, stage=A.TOWNSHIP_REVIEW, by=admin, on=D(2018, 11, 25))
    area_exit_advance(procedure=procedure, stage=A.PUBLIC_NOTICE, by=admin, on=D(2018, 11, 26), ends_on=D(2018, 12, 2))
    client.force_login(admin)
    page = reverse("web:area_exit", args=[procedure.pk])

    # A form without its content records nothing and says why.
    response = client.post(reverse("web:area_objection_record", args=[procedure.pk]),
                           {"received_on": "2018-11-28"}, follow=True)
    assert "未作记录" in response.content.decode() and not procedure.steps.get(stage=A.PUBLIC_NOTICE) \
        .objections.exists()

    response = client.post(reverse("web:area_objection_record", args=[procedure.pk]),
                           {"received_on": "2018-11-28", "content": "村内道路尚未硬化"}, follow=True)
    assert response.redirect_chain[-1][0] == page and "村内道路尚未硬化" in response.content.decode()
    objection = procedure.steps.get(stage=A.PUBLIC_NOTICE).objections.get()
    with pytest.raises(ValidationError):  # held while the objection is unresolved
        area_exit_advance(procedure=procedure, stage=A.COUNTY_APPROVAL, by=admin, on=D(2018, 12, 5))

    client.post(reverse("web:area_objection_resolve", args=[procedure.pk, objection.pk]),
                {"on": "2018-12-01", "resolution": "已核实：道路于11月完工"})
    objection.refresh_from_db()
    assert objection.resolved_on == D(2018, 12, 1)
    procedure = area_exit_advance(procedure=procedure, stage=A.COUNTY_APPROVAL, by=admin, on=D(2018, 12, 5))
    assert procedure.stage == A.COUNTY_APPROVAL
