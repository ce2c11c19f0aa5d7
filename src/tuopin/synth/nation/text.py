"""Fixed-width text columns built as Arrow buffers: 100 million ID strings through Python objects would
take minutes, a uint8 matrix takes a second."""

from __future__ import annotations

import numpy as np
import pyarrow as pa


def digits(values: np.ndarray, width: int) -> np.ndarray:
    """The decimal digits of non-negative integers, zero-padded, as an (n, width) matrix of ASCII bytes."""
    v = np.asarray(values, dtype=np.int64).copy()
    out = np.empty((len(v), width), dtype=np.uint8)
    for k in range(width - 1, -1, -1):
        out[:, k] = v % 10 + 48
        v //= 10
    return out


def const(text: str, n: int) -> np.ndarray:
    raw = np.frombuffer(text.encode("ascii"), dtype=np.uint8)
    return np.broadcast_to(raw, (n, len(raw)))


def strings(*parts: np.ndarray) -> pa.Array:
    """Concatenate byte matrices column-wise into one Arrow string array (every row the same width)."""
    matrix = np.ascontiguousarray(np.hstack(parts))
    n, width = matrix.shape
    offsets = np.arange(0, n * width + 1, width, dtype=np.int32)
    return pa.Array.from_buffers(pa.string(), n, [None, pa.py_buffer(offsets), pa.py_buffer(matrix)])


def pick(pool: list[str], index: np.ndarray) -> pa.Array:
    """Strings from a small pool by index (names, cause lists): Arrow's take, no Python loop."""
    return pa.array(pool, type=pa.string()).take(pa.array(index, type=pa.int32()))
