"""Synthetic data: the demo county shaped like Zhenlai (镇赉县), generated deterministically from a seed.

`build_county(seed, scale)` returns rows for every table (no database needed, no Django); the demo app's
loader (`tuopin.apps.demo.load`) writes them with bulk INSERTs and audits the build.
"""

from .county import build_county, build_org, build_registry  # noqa: F401
