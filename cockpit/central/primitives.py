"""The simulator's primitives: time constants, seeded hashing, scalar/vector math, a small
LRU memo and a metric generator's seeded constants.

Shared by the simulator and the modules that simulate enterprises, panels and profiles
(``firms``, ``panels``, ``profiles``), which the simulator in turn uses: they import these
from here, never from ``simulator`` (an import-linter contract keeps it so).
"""

from __future__ import annotations

import hashlib
import math
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np

from cockpit.central.metrics import MetricSpec

TZ_OFFSET_S = 8 * 3600
DAY_S = 86_400
WEEK_S = 7 * DAY_S
_M64 = (1 << 64) - 1
_INV53 = 2.0**-53
_K = TypeVar("_K", bound=Hashable)
_V = TypeVar("_V")


# --------------------------------------------------------------------------- hashing
def _mix64(x: int) -> int:
    """splitmix64 finaliser on Python ints (wraps at 2**64)."""
    x = (x + 0x9E3779B97F4A7C15) & _M64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _M64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _M64
    return x ^ (x >> 31)


_U30, _U27, _U31, _U11 = (np.uint64(n) for n in (30, 27, 31, 11))
_C0, _C1, _C2 = (np.uint64(c) for c in (0x9E3779B97F4A7C15, 0xBF58476D1CE4E5B9, 0x94D049BB133111EB))


def _mix64_np(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser on uint64 arrays; bit-identical to :func:`_mix64`."""
    x = x + _C0
    x = (x ^ (x >> _U30)) * _C1
    x = (x ^ (x >> _U27)) * _C2
    return x ^ (x >> _U31)


def _key(seed: int, *parts: object) -> int:
    """A stable 64-bit key for (seed, parts); independent of PYTHONHASHSEED."""
    text = "|".join([str(seed), *map(str, parts)]).encode()
    return int.from_bytes(hashlib.blake2b(text, digest_size=8).digest(), "little")


class _Py:
    """Scalar math for the shared formulas (Python floats)."""

    sin = staticmethod(math.sin)
    cos = staticmethod(math.cos)
    exp = staticmethod(math.exp)

    @staticmethod
    def floor(x: float) -> float:
        return float(math.floor(x))

    @staticmethod
    def clip(x: float, lo: float, hi: float) -> float:
        return lo if x < lo else hi if x > hi else x

    @staticmethod
    def minimum(a: float, b: float) -> float:
        return a if a < b else b

    @staticmethod
    def rint(x: float) -> float:
        return float(round(x))  # round-half-even, as np.rint

    @staticmethod
    def uniform(key: int, idx: float) -> float:
        """Uniform [0, 1) hashed from (key, integer idx)."""
        return (_mix64(_mix64(int(idx) & _M64) ^ key) >> 11) * _INV53


class _Np:
    """Vector math for the shared formulas (float64 arrays)."""

    sin = staticmethod(np.sin)
    cos = staticmethod(np.cos)
    exp = staticmethod(np.exp)
    floor = staticmethod(np.floor)
    clip = staticmethod(np.clip)
    minimum = staticmethod(np.minimum)
    rint = staticmethod(np.rint)

    @staticmethod
    def uniform(key: int, idx: np.ndarray) -> np.ndarray:
        x = idx.astype(np.int64).astype(np.uint64)
        h = _mix64_np(_mix64_np(x) ^ np.uint64(key))
        return (h >> _U11).astype(np.float64) * _INV53


_PY = _Py()
_NP = _Np()
Xp = Any  # _Py or _Np; values are float or ndarray accordingly


class _LRU:
    """A small thread-safe LRU memo. Values are pure functions of the key, so a race
    only costs a duplicate computation."""

    def peek(self, key: Hashable) -> Any:
        with self._lock:
            if key in self._d:
                self._d.move_to_end(key)
                return self._d[key]
        return None

    def put(self, key: Hashable, value: Any) -> None:
        with self._lock:
            self._d[key] = value
            if len(self._d) > self._max:
                self._d.popitem(last=False)

    def __init__(self, maxsize: int) -> None:
        self._d: OrderedDict[Hashable, Any] = OrderedDict()
        self._max = maxsize
        self._lock = threading.Lock()

    def get(self, key: _K, make: Callable[[], _V]) -> _V:
        with self._lock:
            if key in self._d:
                self._d.move_to_end(key)
                return self._d[key]  # type: ignore[no-any-return]
        value = make()
        with self._lock:
            self._d[key] = value
            if len(self._d) > self._max:
                self._d.popitem(last=False)
        return value


@dataclass(frozen=True)
class _Excursion:
    start: float
    end: float
    ramp: float
    target: float


@dataclass
class _Gen:
    """Seeded constants of one metric's generator."""

    spec: MetricSpec
    key: int
    exc_key: int
    periods: tuple[float, ...]
    phases: tuple[float, ...]
    vn: tuple[tuple[float, int, float], ...]  # (period, key, amplitude)
    c_ms: int
    digits: int
    lo: float
    hi: float
    mean_activity: float = 1.0
