"""Records parked in the dead letters wait there until what would be sent changes or a
person replays them.

A record whose very payload the org refused would be refused again the same way: sending
it on every scheduled run would only spend API calls and pile up attempts. So an ordinary
run sets it aside (with the records that hang off it), and counts it as parked. A new
contract version or mapping that changes what would be sent may carry the fix, so the
record is sent again then; a fix made in the org is announced by ``contractsync dlq
replay``, whose runs send parked records too. Records refused by a lookup are not parked (see
``LOOKUP_REFUSALS``).
"""

from __future__ import annotations

from contractsync.context import App

from ._items import WriteItem

Groups = list[tuple[str, list[WriteItem]]]

LOOKUP_REFUSALS = "LOOKUP_"
"""contractsync's own refusals of a record whose lookup found no or several records: the
org's data settles them without anyone saying so, and looking again costs one batched
query, so these records are tried on every run."""


def set_aside_parked(app: App, org: str, groups: Groups) -> tuple[Groups, int]:
    """``groups`` without the parked records and their children, and how many were set
    aside. A record is parked when the org refused exactly what would be sent now: its
    open dead letter's payload holds every field of the planned body, with the same value.
    A new contract version or mapping that changes what is sent lets it through."""
    letters = {
        (letter.sobject, letter.external_key): letter
        for letter in app.dead_letters.list(org=org, status="open")
        if not letter.error_code.startswith(LOOKUP_REFUSALS)
    }
    if not letters:
        return groups, 0
    parked: set[tuple[str, str]] = set()
    kept_groups: Groups = []
    for object_name, items in groups:  # parents first: a child sees its parent's fate
        kept: list[WriteItem] = []
        for item in items:
            identity = (item["sobject"], item["key"])
            letter = letters.get(identity)
            refused_as_is = letter is not None and all(
                letter.payload.get(name) == value for name, value in item["body"].items()
            )
            if refused_as_is or any(tuple(parent) in parked for parent in item["parents"]):
                parked.add(identity)
            else:
                kept.append(item)
        if kept:
            kept_groups.append((object_name, kept))
    return kept_groups, len(parked)
