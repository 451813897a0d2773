"""Properties of the SOQL engine that hold for every input, checked with Hypothesis."""

from __future__ import annotations

import functools
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from test_soql_fake_org import NOW, FakeOrg

from contractsync.sandbox._soql import execute_soql, parse_soql, soql_quote
from contractsync.sandbox._soql_ast import Comparison, StringValue
from contractsync.sandbox._soql_values import like_pattern

# A LIKE pattern as tokens: ("any", ""), ("one", "") or ("char", c); a literal % or _ or
# backslash is written with a backslash before it.
LIKE_TOKENS = st.lists(
    st.one_of(
        st.sampled_from([("any", ""), ("one", "")]),
        st.tuples(st.just("char"), st.sampled_from(list("abAB x%_\\"))),
    ),
    max_size=8,
)


def render(tokens: list[tuple[str, str]]) -> str:
    raw = {"any": "%", "one": "_"}
    return "".join(
        raw.get(kind) or (f"\\{char}" if char in "%_\\" else char) for kind, char in tokens
    )


def like_reference(tokens: list[tuple[str, str]], value: str) -> bool:
    """LIKE by dynamic programming over pattern tokens, without regular expressions."""

    @functools.cache
    def match(t: int, v: int) -> bool:
        if t == len(tokens):
            return v == len(value)
        kind, char = tokens[t]
        if kind == "any":
            return match(t + 1, v) or (v < len(value) and match(t, v + 1))
        if v == len(value):
            return False
        if kind == "one":
            return match(t + 1, v + 1)
        return char.lower() == value[v].lower() and match(t + 1, v + 1)

    return match(0, 0)


@given(tokens=LIKE_TOKENS, value=st.text(st.sampled_from(list("abAB x%_\\")), max_size=8))
def test_like_agrees_with_a_reference_matcher(tokens: list[tuple[str, str]], value: str) -> None:
    matched = like_pattern(render(tokens)).fullmatch(value) is not None
    assert matched == like_reference(tokens, value)


@given(st.text())
def test_quoted_strings_parse_back_to_themselves(value: str) -> None:
    query = parse_soql(f"SELECT Id FROM Contract WHERE Name = {soql_quote(value)}")
    assert isinstance(query.where, Comparison)
    assert isinstance(query.where.value, StringValue)
    assert query.where.value.value == value


SORT_VALUES = st.one_of(st.none(), st.sampled_from(["a", "A", "b", "B", "ab", ""]))


def sort_org(names: list[str | None]) -> FakeOrg:
    field = {"reference_to": [], "relationship_name": None}
    return FakeOrg(
        {
            "objects": {
                "Account": {
                    "fields": [
                        {"name": "Id", "type": "id", **field},
                        {"name": "Name", "type": "string", **field},
                        {"name": "Seq", "type": "int", **field},
                    ]
                }
            },
            "records": {
                "Account": [
                    {"Id": f"0015f0Xy{n:06d}q", "Name": name, "Seq": n}
                    for n, name in enumerate(names)
                ]
            },
        }
    )


@given(
    names=st.lists(SORT_VALUES, max_size=12),
    descending=st.booleans(),
    nulls=st.sampled_from(["", " NULLS FIRST", " NULLS LAST"]),
)
def test_order_by_is_a_stable_total_order(
    names: list[str | None], descending: bool, nulls: str
) -> None:
    org = sort_org(names)
    direction = " DESC" if descending else ""
    soql = f"SELECT Seq FROM Account ORDER BY Name{direction}{nulls}"
    seqs = [r["Seq"] for r in execute_soql(parse_soql(soql), org, org, now=NOW).records]
    nulls_first = nulls != " NULLS LAST"

    def before(left: int, right: int) -> int:
        a, b = names[left], names[right]
        if a is None or b is None:
            if a is None and b is None:
                return left - right
            return -1 if (a is None) == nulls_first else 1
        ka, kb = a.upper(), b.upper()
        if ka == kb:
            return left - right  # ties keep the order the source gave them
        return (-1 if ka < kb else 1) * (-1 if descending else 1)

    assert seqs == sorted(range(len(names)), key=functools.cmp_to_key(before))


@given(
    flags=st.lists(st.tuples(st.booleans(), st.booleans()), max_size=8),
)
def test_not_and_or_follow_boolean_algebra(flags: list[tuple[bool, bool]]) -> None:
    field = {"reference_to": [], "relationship_name": None}
    org = FakeOrg(
        {
            "objects": {
                "Account": {
                    "fields": [
                        {"name": "Id", "type": "id", **field},
                        {"name": "A__c", "type": "boolean", **field},
                        {"name": "B__c", "type": "boolean", **field},
                    ]
                }
            },
            "records": {
                "Account": [
                    {"Id": f"0015f0Xy{n:06d}q", "A__c": a, "B__c": b}
                    for n, (a, b) in enumerate(flags)
                ]
            },
        }
    )

    def ids(where: str) -> list[Any]:
        query = parse_soql(f"SELECT Id FROM Account WHERE {where}")
        return [r["Id"] for r in execute_soql(query, org, org, now=NOW).records]

    assert ids("NOT (A__c = true AND B__c = true)") == ids("(NOT A__c = true) OR B__c = false")
    assert ids("NOT (A__c = true OR B__c = true)") == ids("A__c = false AND B__c = false")
