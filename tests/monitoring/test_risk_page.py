"""The risk score on the county's registry: trained by the county office only, ranked for the county office and a
commander (its zone) on the risk page, with a plain message while no model is trained; other roles refused."""

import duckdb
import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.web.conftest import url
from tuopin import standards
from tuopin.apps.monitoring import risk
from tuopin.engine.connection import register_parquet
from tuopin.risk import model as m
from tuopin.risk.features import features

from ..risk.history import write_history

pytestmark = pytest.mark.django_db


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def var(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    cache.clear()
    return tmp_path


@pytest.fixture
def trained(var, tmp_path_factory):
    """A model trained on a synthetic history, saved where the county's model lives."""
    folder = tmp_path_factory.mktemp("history")
    write_history(folder, households=800)
    con = duckdb.connect()
    register_parquet(con, folder)
    m.train(features(con, standards.load("220821"), [2020, 2021, 2022]), trained_on=[2020, 2021, 2022],
            validation=[{"test_year": 2022, "auc": 0.81, "top_decile_capture": 0.4}]).save(risk.model_path())
    return risk.model_path()


def test_without_a_model_the_page_says_how_to_get_one(county, var, login):
    page = login(county["accounts"]["county_admin"]).get(url("risk") + "?year=2018")
    assert page.status_code == 200
    assert "tuopin risk train" in page.content.decode()


def test_the_county_office_and_a_commander_see_their_households_ranked(county, trained, login):
    h3 = county["households"][2]  # never registered, in 镇赉镇: the one household not poor at the end of 2018
    for role in ("county_admin", "commander"):
        page = login(county["accounts"][role]).get(url("risk") + "?year=2018")
        body = page.content.decode()
        assert page.status_code == 200 and f'data-household="{h3.pk}"' in body and h3.number in body
        assert "0.810" in body  # the card's validation, shown beside the list
    ranked = risk.risk_ranking(account=county["accounts"]["commander"], year=2018)
    assert [r.household_id for r in ranked] == [h3.pk] and 0 < ranked[0].score < 1


@pytest.mark.parametrize("role", ["cadre", "first_secretary", "department", "evaluator", "system_admin"])
def test_other_roles_are_refused(county, trained, login, role):
    assert login(county["accounts"][role]).get(url("risk")).status_code == 403


def test_only_the_county_office_trains(county, var):
    with pytest.raises(CommandError):
        call_command("risk", "train", "--as", "commander")
    # The small county has no year followed by an entry into monitoring: nothing to learn from, said plainly.
    with pytest.raises(CommandError, match="纳入监测"):
        call_command("risk", "train", "--as", "county_admin")
    assert not risk.model_path().exists()
