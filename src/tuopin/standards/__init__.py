"""Standards as data: poverty lines, exit thresholds, water and housing criteria (no Django)."""

from .loader import Standards, load

__all__ = ["Standards", "load"]
