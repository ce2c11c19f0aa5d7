"""A synthetic national registry (`tuopin synth`): 31 provinces down to villages, the registered households
and persons with their yearly records and status events, written straight into the snapshot layout.

Vectorised and streaming: the geography (a few hundred thousand villages) is held whole; households are
generated in chunks of contiguous villages, each chunk written as its own part files and then dropped.
Deterministic for (seed, households, chunk size). Distributions: docs/decisions/1000-national-synthetic-registry.md.

    generate(out, households=1_000_000, years=(2018,), seed=1)
"""

from .generate import YEARS_ALLOWED, generate  # noqa: F401
