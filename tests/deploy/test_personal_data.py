"""No personal data in URLs or log lines."""

import logging

from django.urls import URLPattern, URLResolver, get_resolver

from tuopin.web.converters import VocabularyConverter

VALID_ID = "360426199101010071"


def _patterns(resolver, prefix=""):
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            yield from _patterns(p, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p.pattern.converters


def test_urls_carry_only_numeric_keys_never_an_id_or_phone_number():
    seen = 0
    for route, converters in _patterns(get_resolver()):
        for name, converter in converters.items():
            seen += 1
            # Numbers only — a record id (1 to 2^63 − 1) or a four-digit year (decision 1140) —, or a word of a
            # fixed ASCII vocabulary (a template's kind): never free text.
            if isinstance(converter, VocabularyConverter):
                assert set(converter.regex.split("|")) == set(converter.words), (route, name)
                assert all(w.isascii() and w.replace("_", "").isalpha() for w in converter.words), (route, name)
                continue
            assert type(converter).__name__ in ("IntConverter", "IdConverter", "YearConverter"), (route, name)
            assert converter.regex in ("[0-9]+", "[0-9]{1,19}", "[0-9]{4}"), (route, name)
        assert "id_number" not in route and "phone" not in route, route
    assert seen > 10


def test_log_lines_are_masked_by_the_configured_handler():
    console = next(h for h in logging.getLogger().handlers if isinstance(h, logging.StreamHandler)
                   and any(type(f).__name__ == "MaskPersonalData" for f in h.filters))
    record = logging.getLogger("tuopin.test").makeRecord(
        "tuopin.test", logging.WARNING, __file__, 1, "import refused row for %s, phone %s",
        (VALID_ID, "13912345678"), None)
    assert console.filter(record)  # the handler's filters run as they would on a real log call
    err = console.format(record)
    assert "import refused row" in err
    assert VALID_ID not in err and "13912345678" not in err
