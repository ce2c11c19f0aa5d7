"""Chinese by default, English on request; every string of the web app has its zh_Hans translation; the
compiled .mo files are what their .po files say."""

import importlib.util
import sys
from pathlib import Path

import polib
import pytest
from django.utils import translation

from tests.web.conftest import url
from tuopin.apps.procedures import choices as procedure_choices
from tuopin.apps.registry import choices as c
from tuopin.web.labels import LABELS

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "src" / "tuopin" / "locale"


def _script():
    spec = importlib.util.spec_from_file_location("compilemessages", ROOT / "scripts" / "compilemessages.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def zh_catalogue() -> dict:
    po = polib.pofile(str(LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    return {(e.msgctxt, e.msgid): e for e in po if not e.obsolete}


@pytest.mark.parametrize("locale", ["zh_Hans", "en"])
def test_each_mo_matches_its_po(locale):
    assert _script().mo_matches_po(LOCALE / locale / "LC_MESSAGES" / "django.po")


def test_the_check_notices_a_stale_mo(tmp_path):
    script = _script()
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    po.append(polib.POEntry(msgid="Save", msgstr="保存"))
    path = tmp_path / "django.po"
    po.save(str(path))
    script.compile_po(path)
    assert script.mo_matches_po(path)
    po[0].msgstr = "存盘"
    po.save(str(path))
    assert not script.mo_matches_po(path)


def test_every_web_string_has_a_chinese_translation():
    script = _script()
    web = ROOT / "src" / "tuopin" / "web"
    models = [ROOT / "src" / "tuopin" / "apps" / app / "models.py" for app in ("accounts", "geo")]
    # The registry's field rules: their reasons show on the pages, in the API and in import reports.
    models.append(ROOT / "src" / "tuopin" / "apps" / "registry" / "validation.py")
    messages = script.extract([web])
    for path in models:  # role and level names appear on the pages
        messages.update({m.key: m for m in script.messages_in_python(path.read_text(encoding="utf-8"))})
    catalogue = zh_catalogue()
    assert len(messages) > 250
    missing = [key for key in messages if key not in catalogue]
    untranslated = [key for key in messages if key in catalogue and not catalogue[key].translated()]
    assert missing == [] and untranslated == []


def test_enumeration_labels_translate_back_to_the_national_words():
    catalogue = zh_catalogue()
    for enum, labels in LABELS.items():
        # The area exits' stages and kinds live with the procedures, the rest with the registry.
        national = dict((getattr(c, enum, None) or getattr(procedure_choices, enum)).choices)
        for value, lazy in labels.items():
            with translation.override(None):
                msgid = str(lazy)
            assert catalogue[(enum, msgid)].msgstr == national[value], (enum, value)


@pytest.mark.django_db
def test_language_switch_to_english_and_back(login, county):
    client = login(county["accounts"]["county_admin"])
    household = url("household", county["households"][0].pk)
    html = client.get(household).content.decode()
    assert "家庭成员" in html and "Members" not in html
    response = client.post("/i18n/setlang/", {"language": "en", "next": household}, follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == household
    assert '<html lang="en">' in html and "Members" in html and "Yearly records" in html and "家庭成员" not in html
    assert "not yet out of poverty" in html and "head of household" in html  # enumerations too
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": household})
    assert "家庭成员" in client.get(household).content.decode()
