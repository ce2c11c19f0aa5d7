import datetime as dt
import io

import pytest
from PIL import Image

from tests.accountability import org  # noqa: F401  (the fixture)
from tuopin.apps.assistance.models import Task
from tuopin.apps.registry import choices as c
from tuopin.apps.registry.models import PersonYear

ON = dt.date(2018, 6, 1)  # a visit in the county's data year: the facts are its 2018 records


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # the visits' photos land in the test's own folder


@pytest.fixture
def field(org):  # noqa: F811  (the fixture imported above)
    """The org county with a school-age child in h1 (in primary school in 2018) and h1's open 4+4 hygiene task."""
    from tests.factories import person

    h1 = org["households"][0]
    child = person(h1, name="王小明", sex="M", birth=dt.date(2008, 3, 1), relation=c.Relation.SON)
    PersonYear.objects.create(person=child, year=2018, school_status="20", basic_medical=True)
    task = Task.objects.create(kind="cadre4", template="hygiene", household=h1, village=h1.village, year=2018,
                               owner_cadre=org["cadre"], title="整治环境卫生", key="cadre4|2018|1|hygiene")
    return {**org, "child": child, "head": h1.members.get(relation=c.Relation.HEAD), "hygiene": task}


def image_bytes(fmt: str = "JPEG", size=(64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (120, 180, 90)).save(out, format=fmt)
    return out.getvalue()
