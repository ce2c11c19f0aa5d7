"""Query-string filters for the list endpoints, declared once per view and documented in the schema.

A view lists its `filter_params`; `ParamFilter` applies them (on lists only — a detail URL is never
narrowed by a query string) and hands the same declarations to drf-spectacular. Filters only narrow
the queryset the scoping layer already gave the view, so no filter can widen what an account sees.
No filter takes personal data (names, ID or phone numbers): those must not travel in URLs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from rest_framework.exceptions import ValidationError
from rest_framework.filters import BaseFilterBackend

from tuopin.common.params import FIRST_YEAR, parse_id, parse_year

_CODE = re.compile(r"^\d{12}$")
_TRUE, _FALSE = {"true", "1", "yes"}, {"false", "0", "no"}


def region_code_prefix(code: str) -> str:
    """The prefix that every code under this region shares (统计用区划代码: 2+2+2+3+3 digits).

    220821000000 (a county) → 220821; 220821100000 (a township) → 220821100; a village keeps all 12.
    """
    if not _CODE.match(code):
        raise ValueError("a region code has 12 digits")
    for length in (2, 4, 6, 9):
        if code[length:] == "0" * (12 - length):
            return code[:length]
    return code


@dataclass(frozen=True)
class Param:
    """One query parameter: its name, the ORM path it filters and how its value is read."""

    name: str
    lookup: str
    kind: str = "string"  # string | integer (an id) | year | boolean | region (any level, by prefix) | code (exact)
    description: str = ""
    enum: tuple[str, ...] | None = None

    def q(self, raw: str) -> Q:
        raw = raw.strip()
        if "\x00" in raw:  # PostgreSQL refuses NUL in a text value: a 400 here, not a 500 from the database
            raise ValueError("contains a NUL character")
        if self.kind == "integer":  # ids: 1 to 2^63 − 1, so no number reaches the database it cannot hold
            return Q(**{self.lookup: parse_id(raw)})
        if self.kind == "year":  # 2014 to this year (decision 1140)
            return Q(**{self.lookup: parse_year(raw, last=timezone.localdate().year)})
        if self.kind == "boolean":
            if raw.lower() not in _TRUE | _FALSE:
                raise ValueError("expected true or false")
            return Q(**{self.lookup: raw.lower() in _TRUE})
        if self.kind == "region":
            return Q(**{f"{self.lookup}__code__startswith": region_code_prefix(raw)})
        if self.kind == "code":
            if not _CODE.match(raw):
                raise ValueError("a region code has 12 digits")
            return Q(**{f"{self.lookup}__code": raw})
        if self.enum is not None and raw not in self.enum:
            raise ValueError(f"expected one of {', '.join(self.enum)}")
        return Q(**{self.lookup: raw})

    def openapi(self) -> dict:
        if self.enum is not None:
            schema: dict = {"type": "string", "enum": list(self.enum)}
        elif self.kind in ("region", "code"):
            schema = {"type": "string", "pattern": r"^\d{12}$"}
        elif self.kind == "year":
            schema = {"type": "integer", "minimum": FIRST_YEAR}
        elif self.kind == "integer":
            schema = {"type": "integer", "minimum": 1}
        else:
            schema = {"type": {"integer": "integer", "boolean": "boolean"}.get(self.kind, "string")}
        return {"name": self.name, "in": "query", "required": False, "description": self.description,
                "schema": schema}


def region_params(path: str) -> tuple[Param, ...]:
    """`region` (a code of any level: county, township or village) and `village` (exact), via `path`."""
    return (
        Param("region", f"{path}village", "region",
              "12-digit division code of a county, township (乡镇) or village: rows under that region"),
        Param("village", f"{path}village", "code", "12-digit code of an administrative village (行政村)"),
    )


class ParamFilter(BaseFilterBackend):
    def filter_queryset(self, request, queryset, view):
        if getattr(view, "action", None) != "list":
            return queryset
        errors = {}
        for param in getattr(view, "filter_params", ()):
            raw = request.query_params.get(param.name)
            if raw is None or raw.strip() == "":
                continue
            try:
                queryset = queryset.filter(param.q(raw))
            except ValueError as exc:
                errors[param.name] = [str(exc)]
        if errors:
            raise ValidationError(errors)
        return queryset

    def get_schema_operation_parameters(self, view):
        return [param.openapi() for param in getattr(view, "filter_params", ())]
