"""One retry policy for every caller: exponential backoff with full jitter.

The clock and the random source are constructor arguments, so tests run the policy with
no real sleeping and reproducible delays.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often and how long to wait before trying again.

    Delay before retry *n* (1-based) is a uniform draw from ``[0, min(cap, base * 2**(n-1))]``
    ("full jitter", which spreads retrying clients best), or ``retry_after`` when the server
    named one.
    """

    attempts: int = 6
    base_s: float = 0.5
    cap_s: float = 30.0
    sleep: Callable[[float], None] = field(default=time.sleep, compare=False, repr=False)
    rng: random.Random = field(default_factory=random.Random, compare=False, repr=False)

    @classmethod
    def single_attempt(cls) -> RetryPolicy:
        """One attempt and no retry: for callers that answer a person now and would rather
        report a failure than make them wait through backoff."""
        return cls(attempts=1)

    def __post_init__(self) -> None:
        if self.attempts < 1:
            raise ValueError("a retry policy needs at least one attempt")
        if self.base_s < 0 or self.cap_s < self.base_s:
            raise ValueError("retry delays need 0 <= base_s <= cap_s")

    def backoff(self, retry: int, *, retry_after: float | None = None) -> float:
        """Seconds to wait before retry number ``retry`` (1 for the first retry)."""
        if retry_after is not None:
            return min(max(retry_after, 0.0), self.cap_s)
        ceiling = min(self.cap_s, self.base_s * 2 ** (retry - 1))
        return self.rng.uniform(0.0, ceiling)

    def delays(self) -> Iterator[float]:
        """The waits between attempts, one fewer than ``attempts``."""
        for retry in range(1, self.attempts):
            yield self.backoff(retry)
