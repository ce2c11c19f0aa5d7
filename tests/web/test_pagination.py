"""The one pager every list includes: other parameters kept, the page parameter named, the anchor kept."""

from django.core.paginator import Paginator
from django.template.loader import render_to_string


def _pager(number: int, **context) -> str:
    page = Paginator(list(range(30)), 10).page(number)
    return render_to_string("web/_pagination.html", {"page": page, **context})


def test_the_filters_stay_on_every_page():
    html = _pager(2, query="action=login&source=web")  # as QueryDict.urlencode() gives it
    assert 'href="?action=login&amp;source=web&amp;page=1"' in html
    assert 'href="?action=login&amp;source=web&amp;page=3"' in html


def test_the_year_stays_when_there_is_no_other_parameter():
    html = _pager(1, year=2018)
    assert 'href="?year=2018&amp;page=2"' in html and "page=0" not in html


def test_a_named_page_parameter_and_an_anchor():
    html = _pager(2, param="units_page", query="period=2018", anchor="sample")
    assert 'href="?period=2018&amp;units_page=3#sample"' in html


def test_one_page_needs_no_pager():
    page = Paginator(list(range(5)), 10).page(1)
    assert "pagination" not in render_to_string("web/_pagination.html", {"page": page})
