"""One value per field when several extractors propose values.

The rule: candidates are grouped by field and by value (equal canonical values form one
group, whichever extractor proposed them). The group with the highest total confidence
wins and its most confident candidate supplies the evidence. The winner's confidence is
then its group's share of the field's total confidence times its own, so

* extractors that agree keep the confidence of the surest of them;
* extractors that disagree send the value to review (a 0.9 against a 0.8 becomes
  0.9 * 0.9 / 1.7 ≈ 0.48), because a calibrated 0.9 is not 0.9 when another reader
  saw something else.

Obligations are lists, not single values: all are kept, de-duplicated by evidence span
and kind. Of two readings of one obligation, the one that says more (a remedy, a due
date, a recurrence) is kept, then the surer one: a terser reading must not erase a
service credit the other found.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from ._candidate import Candidate, value_key


def reconcile(
    candidates: Iterable[Candidate],
) -> tuple[dict[str, Candidate], tuple[Candidate, ...]]:
    """``(one candidate per field, obligations)`` from every extractor's candidates."""
    by_field: defaultdict[str, list[Candidate]] = defaultdict(list)
    obligations: dict[tuple[int, int, str], Candidate] = {}
    for candidate in candidates:
        if candidate.field == "obligations":
            kind = str(getattr(candidate.value, "kind", ""))
            key = (candidate.start, candidate.end, kind)
            kept = obligations.get(key)
            if kept is None or _reading(kept) < _reading(candidate):
                obligations[key] = candidate
        else:
            by_field[candidate.field].append(candidate)
    chosen = {name: _choose(group) for name, group in by_field.items()}
    ordered = tuple(sorted(obligations.values(), key=lambda c: (c.start, c.end)))
    return chosen, ordered


def _reading(candidate: Candidate) -> tuple[int, float]:
    """How much an obligation's value states, then how sure its reader was."""
    dump = getattr(candidate.value, "model_dump", None)
    stated = dump(exclude_none=True, exclude_defaults=True) if callable(dump) else {}
    return _count_stated(stated), candidate.confidence


def _count_stated(value: object) -> int:
    if isinstance(value, dict):
        return sum(_count_stated(item) for item in value.values())
    if isinstance(value, (list, tuple)):
        return sum(_count_stated(item) for item in value)
    return 0 if value in (None, "", ()) else 1


def _choose(candidates: list[Candidate]) -> Candidate:
    groups: defaultdict[str, list[Candidate]] = defaultdict(list)
    for candidate in candidates:
        groups[value_key(candidate.value)].append(candidate)
    total = sum(c.confidence for c in candidates)
    best_group = max(groups.values(), key=lambda g: (sum(c.confidence for c in g), -g[0].start))
    best = max(best_group, key=lambda c: c.confidence)
    if len(groups) == 1 or total == 0:
        return best
    share = sum(c.confidence for c in best_group) / total
    return best.with_confidence(best.confidence * share)
