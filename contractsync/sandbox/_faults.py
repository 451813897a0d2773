"""Deterministic fault injection: latency, jitter and the errors real orgs produce.

Real orgs answer 503 ``SERVER_UNAVAILABLE``, ``UNABLE_TO_LOCK_ROW``, concurrency
``REQUEST_LIMIT_EXCEEDED`` and 500 ``UNKNOWN_EXCEPTION`` after a write committed
(salesforce-api.md 3.2, 12.2), and sometimes do not answer at all. A plan names a rate per
endpoint family; draws come from a seeded generator, so the same plan and the same request
sequence fail the same way.

Faults: ``unavailable`` (503), ``lock`` (``UNABLE_TO_LOCK_ROW``; per record in collections and
Bulk), ``concurrent`` (403 concurrency ``REQUEST_LIMIT_EXCEEDED``), ``unknown_after_commit``
(the call runs and commits, then 500 ``UNKNOWN_EXCEPTION``) and ``hang`` (the call never
runs and never answers: the client's timeout ends it; stopping the server releases it).

Spec syntax (CLI ``--faults``): comma-separated ``seed=N``, ``latency=MS``, ``jitter=MS`` and
``FAMILY:FAULT=RATE`` items, e.g. ``seed=7,rest:unavailable=0.1,composite:lock=0.05``.
"""

from __future__ import annotations

import contextlib
import random
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["FAMILIES", "FAULTS", "FaultInjector", "FaultPlan", "FaultRule"]

FAMILIES = ("auth", "describe", "rest", "query", "composite", "bulk", "limits", "*")
FAULTS = ("unavailable", "lock", "concurrent", "unknown_after_commit", "hang")


@dataclass(frozen=True, slots=True)
class FaultRule:
    """Fail ``rate`` of the requests of ``family`` with ``fault``."""

    family: str
    fault: str
    rate: float

    def __post_init__(self) -> None:
        if self.family not in FAMILIES:
            raise ValueError(f"unknown endpoint family {self.family!r}; use one of {FAMILIES}")
        if self.fault not in FAULTS:
            raise ValueError(f"unknown fault {self.fault!r}; use one of {FAULTS}")
        if not 0.0 <= self.rate <= 1.0:
            raise ValueError(f"fault rate must be between 0 and 1, got {self.rate}")


@dataclass(frozen=True, slots=True)
class FaultPlan:
    """Latency, jitter and fault rules, all driven by one seed."""

    seed: int = 0
    latency_ms: int = 0
    jitter_ms: int = 0
    rules: tuple[FaultRule, ...] = field(default_factory=tuple)

    @classmethod
    def parse(
        cls, spec: str, *, seed: int = 0, latency_ms: int = 0, jitter_ms: int = 0
    ) -> FaultPlan:
        """Read the ``--faults`` syntax described in the module docstring."""
        values = {"seed": seed, "latency": latency_ms, "jitter": jitter_ms}
        rules: list[FaultRule] = []
        for raw in (item.strip() for item in spec.split(",")):
            if not raw:
                continue
            name, sep, value = raw.partition("=")
            if not sep:
                raise ValueError(f"fault spec item {raw!r} needs '=': e.g. rest:unavailable=0.1")
            if ":" in name:
                family, _, fault = name.partition(":")
                rules.append(FaultRule(family.strip(), fault.strip(), float(value)))
            elif name in values:
                values[name] = int(value)
            else:
                raise ValueError(f"unknown fault spec setting {name!r}")
        return cls(values["seed"], values["latency"], values["jitter"], tuple(rules))

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> FaultPlan:
        rules = tuple(
            FaultRule(str(r["family"]), str(r["fault"]), float(r["rate"]))
            for r in data.get("rules", ())
        )
        return cls(
            int(data.get("seed", 0)),
            int(data.get("latency_ms", 0)),
            int(data.get("jitter_ms", 0)),
            rules,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "seed": self.seed,
            "latency_ms": self.latency_ms,
            "jitter_ms": self.jitter_ms,
            "rules": [{"family": r.family, "fault": r.fault, "rate": r.rate} for r in self.rules],
        }


class FaultInjector:
    """Draws faults for requests; replace the plan at run time with ``configure``."""

    def __init__(self, plan: FaultPlan | None = None) -> None:
        self._lock = threading.Lock()
        self._hanging = 0
        self.configure(plan or FaultPlan())

    @property
    def hanging(self) -> int:
        """How many requests the ``hang`` fault holds right now."""
        return self._hanging

    @contextlib.contextmanager
    def holding(self) -> Iterator[None]:
        """Count a request as hung while the block runs."""
        with self._lock:
            self._hanging += 1
        try:
            yield
        finally:
            with self._lock:
                self._hanging -= 1

    @property
    def plan(self) -> FaultPlan:
        return self._plan

    def configure(self, plan: FaultPlan) -> None:
        """Install ``plan`` and restart its random sequences from the seed."""
        with self._lock:
            self._plan = plan
            # Separate streams: changing latency settings must not shift which calls fail.
            self._faults = random.Random(plan.seed)  # noqa: S311 - simulation, not security
            self._delays = random.Random(plan.seed + 1)  # noqa: S311

    def delay_seconds(self) -> float:
        with self._lock:
            plan = self._plan
            if not plan.latency_ms and not plan.jitter_ms:
                return 0.0
            jitter = self._delays.uniform(0, plan.jitter_ms) if plan.jitter_ms else 0.0
            return (plan.latency_ms + jitter) / 1000

    def draw(self, family: str, *, exclude: tuple[str, ...] = ()) -> str | None:
        """The fault this request of ``family`` suffers, if any (one draw per rule)."""
        with self._lock:
            chosen = None
            for rule in self._plan.rules:
                if rule.family not in (family, "*") or rule.fault in exclude:
                    continue
                hit = self._faults.random() < rule.rate
                if hit and chosen is None:
                    chosen = rule.fault
            return chosen

    def draw_lock(self, family: str) -> bool:
        """Whether one record of a collections call finds its row locked (per-record, 3.2)."""
        with self._lock:
            hit = False
            for rule in self._plan.rules:
                if rule.family in (family, "*") and rule.fault == "lock":
                    hit = (self._faults.random() < rule.rate) or hit
            return hit

    def has_rule(self, family: str, fault: str) -> bool:
        return any(r.family in (family, "*") and r.fault == fault for r in self._plan.rules)

    def error_id(self) -> str:
        """An ErrorId in the shape UNKNOWN_EXCEPTION messages carry."""
        with self._lock:
            first = self._faults.randrange(10**9, 10**10)
            second = self._faults.randrange(10**9, 2 * 10**9)
        return f"{first}-{self._faults.randrange(10**4, 10**5)} ({-second})"
