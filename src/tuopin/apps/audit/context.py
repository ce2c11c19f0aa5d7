"""What the audit trail knows about the request (or command) being served: the client's address, and the
personal-data records read so far (decisions 1151, 1152).

`AuditContextMiddleware` opens a context for every web and API request; `tuopin` commands that read personal
data open one with `reading()`. Inside it:

- every audit event written records the client's address (`client_address()`, read by audit.services);
- every household, person, household-year and person-year row loaded from the database as a model instance
  — by a page, the API, a document, a selector or a service, through `select_related` and `prefetch_related`
  too — is noted by `ReadAudited.from_db`; the middleware writes them as one `read` event when the response
  is ready (one INSERT per request, none when nothing personal was read);
- code that reads personal rows without model instances (`.values()`, raw SQL: the exports) calls `note_read`.

Outside a context (migrations, the demo build, tests calling services) nothing is collected.

The `read` event: `entity` the entity read first (the page's or the endpoint's own), `entity_id` its id when it
is one record (a household's page), `batch` every id read as `{entity: id_ranges}` (runs of three or more as
`[first, last]`), `summary` "METHOD /path → status" (paths hold numeric keys only), the client's address, source
web or api. `tuopin export` puts the households and persons of its file into its `export` event instead.
"""

from __future__ import annotations

import contextlib
import ipaddress
from contextvars import ContextVar
from typing import Iterable

class ReadCollector:
    __slots__ = ("ids",)

    def __init__(self):
        self.ids: dict[str, set[int]] = {}

    def add(self, entity: str, pk) -> None:
        ids = self.ids.get(entity)
        if ids is None:
            ids = self.ids[entity] = set()
        ids.add(pk)

    def add_many(self, entity: str, pks: Iterable) -> None:
        self.ids.setdefault(entity, set()).update(pk for pk in pks if pk is not None)

    def __bool__(self) -> bool:
        return any(self.ids.values())


_address: ContextVar[str | None] = ContextVar("tuopin_audit_address", default=None)
_reads: ContextVar[ReadCollector | None] = ContextVar("tuopin_audit_reads", default=None)


def client_address() -> str | None:
    """The address of the client of the request being served, or None (a command, a test calling a service)."""
    return _address.get()


def valid_address(text: str | None) -> str | None:
    """An IPv4 or IPv6 address as text, or None for anything else (a Unix socket's empty REMOTE_ADDR …):
    PostgreSQL's inet column would refuse it, and the audit row must never fail."""
    try:
        return str(ipaddress.ip_address((text or "").strip()))
    except ValueError:
        return None


@contextlib.contextmanager
def serving(*, address: str | None, collect: bool = True):
    """The context of one request: its client's address, and a collector of the personal records it reads."""
    collector = ReadCollector() if collect else None
    tokens = (_address.set(valid_address(address)), _reads.set(collector))
    try:
        yield collector
    finally:
        _reads.reset(tokens[1])
        _address.reset(tokens[0])


@contextlib.contextmanager
def reading():
    """Collect the reads of a command (no address): yields the collector, for the command to write its event."""
    with serving(address=None) as collector:
        yield collector


def note_read(entity: str, pks: Iterable) -> None:
    """Record personal rows read without model instances (values(), raw SQL) in the current context, if any."""
    collector = _reads.get()
    if collector is not None:
        collector.add_many(entity, pks)


class ReadAudited:
    """Mixin for the models of personal data: each instance loaded from the database is noted as read."""

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        collector = _reads.get()
        if collector is not None and instance.pk is not None:
            collector.add(cls._meta.label_lower, instance.pk)
        return instance


def id_ranges(ids: Iterable[int]) -> list:
    """Sorted ids with runs of three or more written as [first, last]: [3, [10, 250], 300].

    A page of a village's households or a county's export reads mostly consecutive ids; this keeps a read
    event small however many rows it names, and stays plain JSON an auditor can read."""
    out: list = []
    run: list[int] = []
    for pk in sorted(set(ids)):
        if run and pk == run[-1] + 1:
            run.append(pk)
            continue
        out.extend(_run(run))
        run = [pk]
    out.extend(_run(run))
    return out


def _run(run: list[int]) -> list:
    if len(run) >= 3:
        return [[run[0], run[-1]]]
    return list(run)


def expand_ranges(ranges: Iterable) -> list[int]:
    """The ids an `id_ranges` list stands for."""
    out: list[int] = []
    for item in ranges:
        if isinstance(item, list):
            out.extend(range(item[0], item[1] + 1))
        else:
            out.append(item)
    return out
