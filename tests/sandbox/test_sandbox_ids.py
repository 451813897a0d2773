"""Record ids: the 18-character checksum and the 15/18 forms (salesforce-api.md 8.3)."""

from __future__ import annotations

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contractsync.sandbox import checksum, normalize_id
from contractsync.sandbox._ids import InvalidIdError, format_id

ALNUM = string.ascii_letters + string.digits


@pytest.mark.parametrize(
    ("id15", "suffix"),
    [
        pytest.param("0015f000000aOqL", "AAU", id="upper-in-third-block"),
        pytest.param("001000000000000", "AAA", id="all-digits"),
        pytest.param("ABCDEABCDEABCDE", "555", id="all-upper"),
        pytest.param("a0X5f000000AbCd", "EAK", id="mixed"),
    ],
)
def test_checksum_encodes_upper_case_positions(id15: str, suffix: str) -> None:
    assert checksum(id15) == suffix


def test_normalize_accepts_15_and_18_chars() -> None:
    assert normalize_id("0015f000000aOqL") == "0015f000000aOqLAAU"
    assert normalize_id("0015f000000aOqLAAU") == "0015f000000aOqLAAU"
    assert normalize_id("0015f000000aOqLaau") == "0015f000000aOqLAAU"


@pytest.mark.parametrize(
    "bad",
    [
        pytest.param("0015f000000aOqLAAA", id="wrong-checksum"),
        pytest.param("0015f000000aOq", id="too-short"),
        pytest.param("0015f000000aOq-AAU", id="bad-char"),
        pytest.param("", id="empty"),
    ],
)
def test_normalize_rejects_malformed_ids(bad: str) -> None:
    with pytest.raises(InvalidIdError):
        normalize_id(bad)


@given(st.text(alphabet=ALNUM, min_size=15, max_size=15))
def test_18_char_form_round_trips(id15: str) -> None:
    full = normalize_id(id15)
    assert full[:15] == id15
    assert normalize_id(full) == full


@given(st.integers(min_value=0, max_value=62**9 - 1))
def test_minted_ids_carry_prefix_and_valid_checksum(sequence: int) -> None:
    minted = format_id("800", sequence)
    assert minted.startswith("800")
    assert normalize_id(minted) == minted
