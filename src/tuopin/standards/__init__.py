"""Standards as data: poverty lines, exit thresholds, water and housing criteria (no Django)."""

from .loader import StandardMissing, Standards, load

__all__ = ["StandardMissing", "Standards", "load"]
