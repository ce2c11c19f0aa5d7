"""How pages and documents read a year or ids from a request: one helper each (decision 1140).

- `asked_year(request)`: the `year` of the query string (or of a POSTed form), None when absent.
- `checked_year(year)`: a year from the path of a document.
- `standard_for(code, year)`: refuses a year the standards in force hold no poverty line for.
- `posted_ids(request, name, entity=…)`: the ids a form posts (households, procedures).
- `asked_area(request, user)`: the county or zone a figures page shows — `?region=` within the account's reach,
  else the account's own county or zone.
- `one_named(request, raw, among, entity=…)`: the row an id names among those a page offers (a region, a kept run).

A malformed year is a 400, a year outside 2014..this year or without a standard a 404; `YearRefused` is turned
into a page in the reader's language by `web.errors.ErrorPagesMiddleware`. A posted value that is not an id is
answered like an id outside the account's scope: 404, audited.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from tuopin import standards
from tuopin.common.params import FIRST_YEAR, BadId, BadYear, parse_id, parse_year

from .access import not_found


class YearRefused(Exception):
    """A year the pages cannot show; `title` and `message` are already in the reader's language."""

    def __init__(self, status: int, title: str, message: str, hint: str = ""):
        super().__init__(message)
        self.status, self.title, self.message, self.hint = status, title, message, hint


def this_year() -> int:
    return timezone.localdate().year


def checked_year(raw) -> int:
    """A year from 2014 to this year, or YearRefused (400 for a non-year, 404 for a year without records)."""
    try:
        return parse_year(raw, last=this_year())
    except BadYear as exc:
        span = {"first": exc.first, "last": exc.last}
        if exc.malformed:
            message = _("“%(value)s” is not a year. Years are written with four digits, from %(first)s to %(last)s.")
            raise YearRefused(400, _("Not a year"), message % {**span, "value": exc.value}) from None
        message = _("There are no records for %(year)s: the registry holds the years %(first)s to %(last)s.")
        raise YearRefused(404, _("No data for this year"), message % {**span, "year": exc.value}) from None


def asked_year(request, name: str = "year", *, posted: bool = False) -> int | None:
    """The year asked for in the query string (or, with `posted`, in the form of a POST); None when absent or
    empty."""
    raw = request.GET.get(name)
    if (raw is None or raw.strip() == "") and posted and request.method == "POST":
        raw = request.POST.get(name)
    if raw is None or raw.strip() == "":
        return None
    return checked_year(raw)


def standard_missing(code: str, year: int) -> bool:
    """True when the standards in force for the division code hold no poverty line for the year."""
    return year not in standards.load(code).years()


def no_standard_message(code: str, year: int) -> tuple[str, str]:
    """(what is missing, how the county office adds it), in the reader's language."""
    return (
        _("No poverty line is stored for %(year)s, so the assessment engine cannot judge that year. The standards "
          "file covers the years up to %(last)s.") % {"year": year, "last": max(standards.load(code).years())},
        _("Once the line for %(year)s is published, the county poverty alleviation office adds it to the county's "
          "standards file (standards/data/overrides/%(county)s.toml, a [poverty_line.%(year)s] entry with its "
          "source) and the change is reviewed and deployed like any other; docs/standards.md lists the sources.")
        % {"year": year, "county": code[:6]},
    )


def standard_for(code: str, year: int) -> int:
    """The year, if the standards in force hold its poverty line; else YearRefused (404) saying how to add one."""
    if standard_missing(code, year):
        message, hint = no_standard_message(code, year)
        raise YearRefused(404, _("No standard stored for this year"), message, hint)
    return year


def posted_ids(request, name: str, *, entity: str) -> set[int]:
    """The ids posted under `name`; a value that is not an id is refused like an id outside the scope (404)."""
    out = set()
    for raw in request.POST.getlist(name):
        try:
            out.add(parse_id(raw))
        except BadId:
            raise not_found(request, entity=entity, entity_id=str(raw)[:40]) from None
    return out


__all__ = ["FIRST_YEAR", "YearRefused", "asked_year", "checked_year", "no_standard_message", "posted_ids",
           "standard_for", "standard_missing", "this_year"]


def search_text(request, name: str = "q", *, limit: int = 40) -> str:
    """A search box's words: control characters dropped (PostgreSQL refuses a NUL in a text value; none belongs in
    a name or a number), spaces trimmed, at most `limit` characters."""
    raw = request.GET.get(name) or ""
    return "".join(ch for ch in raw if ch.isprintable()).strip()[:limit]


def asked_area(request, user):
    """The county or township (zone) a figures page shows: `?region=` if the account reaches it (404 otherwise, and
    for a malformed id), else the account's own county or zone, else the first the account reaches."""
    from tuopin.apps.accounts.scoping import regions_visible_to
    from tuopin.apps.geo.models import Level

    visible = regions_visible_to(user).filter(level__in=(Level.COUNTY, Level.TOWNSHIP))
    raw = request.GET.get("region")
    if raw:
        return one_named(request, raw, visible, entity="geo.region")
    place = user.region if user.region and user.region.level in (Level.COUNTY, Level.TOWNSHIP) else None
    place = place or visible.order_by("level", "code").first()
    if place is None:
        raise not_found(request, entity="geo.region", entity_id="")
    return place


def one_named(request, raw, among, *, entity: str):
    """The row whose id `raw` is, among `among` (a queryset, or a list of rows a page offers): 404 for a malformed id
    and for one not among them, audited alike."""
    try:
        pk = parse_id(str(raw))
    except BadId:
        raise not_found(request, entity=entity, entity_id=str(raw)[:20]) from None
    found = among.filter(pk=pk).first() if hasattr(among, "filter") else next((r for r in among if r.pk == pk), None)
    if found is None:
        raise not_found(request, entity=entity, entity_id=pk)
    return found
