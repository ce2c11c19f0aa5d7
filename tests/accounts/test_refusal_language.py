"""A refusal's reason reaches the person refused in their language: forms, the API and commands show it."""

import pytest
from django.utils import translation

from tuopin.apps.accounts.permissions import Action, refusal

pytestmark = pytest.mark.django_db


def test_a_refusal_reads_in_chinese_and_in_english(county):
    cadre = county["accounts"]["cadre"]
    with translation.override("zh-hans"):
        assert refusal(cadre, Action.IMPORT_REGISTRY) == "角色“包保干部”无权进行此操作"
    with translation.override("en"):
        assert refusal(cadre, Action.IMPORT_REGISTRY).startswith("the role ")

