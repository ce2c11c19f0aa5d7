"""Path converters. `<id:pk>`: a record id, 1 to 2^63 − 1 in ASCII digits; anything else (0, a number beyond
the database's integers) does not match, so the answer is the 404 page, never a query that fails. `<year:year>`:
four digits, checked against the years the registry holds by the view (decision 1140)."""

from __future__ import annotations

from tuopin.apps.organisation.imports.kinds import BY_KEY as ORGANISATION_KINDS
from tuopin.common.params import parse_id
from tuopin.apps.housing.choices import Stage as RenovationStage
from tuopin.standards.rosters import layouts as roster_layouts


class IdConverter:
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        return parse_id(value)  # a ValueError: Django tries the next pattern, then answers 404

    def to_url(self, value) -> str:
        return str(int(value))


class YearConverter:
    """`<year:year>`: four ASCII digits. Whether the registry holds the year is the view's check
    (`web.params.checked_year`), which answers with a page saying which years it holds."""

    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return f"{int(value):04d}"


class VocabularyConverter:
    """A path segment from a fixed list of ASCII words (a kind of template, say): never free text, so no name or
    ID number can reach a URL through it, and anything else is a 404."""

    words: tuple[str, ...] = ()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        assert cls.words and all(w.isascii() and w.replace("_", "").isalpha() for w in cls.words), cls.words
        cls.regex = "|".join(sorted(cls.words, key=len, reverse=True))

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        return str(value)


class OrganisationKindConverter(VocabularyConverter):
    """`<orgkind:kind>`: a kind of the organisation workbook, or `all` (its templates)."""

    words = (*ORGANISATION_KINDS, "all")


class HousingStageConverter(VocabularyConverter):
    """`<housingstage:stage>`: a stage of a renovation (危房改造) the page records (decision 1521)."""

    words = tuple(RenovationStage.values)


class RosterKindConverter(VocabularyConverter):
    """`<rosterkind:kind>`: a kind of department roster (rosters.toml), for its template (decision 1541)."""

    words = tuple(roster_layouts())



class FieldFormConverter(VocabularyConverter):
    """`<fieldform:form>`: a form exported as an XLSForm, `visit` or `household` (decision 1570)."""

    words = ("visit", "household")
