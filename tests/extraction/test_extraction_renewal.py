"""Renewal length and the notice that stops a renewal, and the rule each is named by."""

from __future__ import annotations

from pathlib import Path

import pytest

from contractsync.documents import read_document
from contractsync.extraction import RulesExtractor
from contractsync.extraction._calibration import Calibration
from contractsync.model import Duration

_PREAMBLE = "MASTER SERVICES AGREEMENT\n\n1. Term.\n\n"


def _found(tmp_path: Path, clause: str) -> dict[str, tuple[object, str]]:
    path = tmp_path / "contract.txt"
    path.write_text(_PREAMBLE + clause + "\n", encoding="utf-8")
    candidates = RulesExtractor(calibration=Calibration()).extract(read_document(path))
    return {c.field: (c.value, c.rule) for c in candidates}


def test_automatic_renewal_with_its_length_and_notice(tmp_path: Path) -> None:
    found = _found(
        tmp_path,
        "This Agreement shall automatically renew for successive periods of one (1) year "
        "unless either party gives written notice of non-renewal at least ninety (90) days "
        "prior to the expiration of the then-current term.",
    )
    assert found["auto_renew"] == (True, "renewal.automatic")
    assert found["renewal_term"] == (Duration(months=12), "renewal.length.stated")
    assert found["renewal_notice_period"] == (Duration(days=90), "renewal.notice.automatic")


def test_length_is_read_after_the_automatic_verb(tmp_path: Path) -> None:
    found = _found(
        tmp_path,
        "Unless Customer notifies Vendor of its intent not to renew within a period of three "
        "(3) months following the Reminder, this Agreement shall automatically renew for one "
        "(1) twelve-month period.",
    )
    assert found["renewal_term"] == (Duration(months=12), "renewal.length.stated")


def test_an_option_to_renew_states_its_length(tmp_path: Path) -> None:
    found = _found(
        tmp_path,
        "Licensee shall have the option to renew this Agreement for one additional term of "
        "five (5) years.",
    )
    assert found["auto_renew"] == (False, "renewal.optional")
    assert found["renewal_term"] == (Duration(months=60), "renewal.length.stated")


def test_a_renewal_by_mutual_agreement_stays_in_the_weak_bin(tmp_path: Path) -> None:
    found = _found(
        tmp_path,
        "This Agreement may be renewed for successive one (1) year periods upon mutual "
        "written agreement of the parties.",
    )
    assert found["renewal_term"] == (Duration(months=12), "renewal.length")


def test_a_year_to_year_renewal_is_inferred(tmp_path: Path) -> None:
    found = _found(
        tmp_path, "Thereafter this Agreement shall be renewed automatically from year to year."
    )
    assert found["renewal_term"] == (Duration(months=12), "renewal.length.inferred")


def test_a_notice_outside_an_automatic_renewal_is_the_plain_rule(tmp_path: Path) -> None:
    found = _found(
        tmp_path,
        "Either party may elect not to renew this Agreement by giving notice at least sixty "
        "(60) days before the end of the then-current term.",
    )
    assert found["renewal_notice_period"] == (Duration(days=60), "renewal.notice")
    assert "renewal_term" not in found


@pytest.mark.parametrize(
    "clause",
    [
        pytest.param(
            "Either party may terminate this Agreement for convenience upon thirty (30) days "
            "prior written notice to the other party.",
            id="termination-for-convenience",
        ),
        pytest.param(
            "Customer may renew this Agreement within two (2) years of the expiry of the "
            "initial term.",
            id="when-not-how-long",
        ),
        pytest.param(
            "Vendor shall provide at least thirty (30) days' advance written notice of "
            "cancellation or non-renewal of any insurance policy required hereunder.",
            id="insurance-policy",
        ),
        pytest.param(
            "Franchisee may renew the franchise by giving written notice of its election to "
            "renew at least six (6) months prior to the expiration of the term.",
            id="election-to-renew",
        ),
    ],
)
def test_no_renewal_term_or_notice(tmp_path: Path, clause: str) -> None:
    found = _found(tmp_path, clause)
    assert "renewal_term" not in found
    assert "renewal_notice_period" not in found


def test_convenience_notice_goes_to_termination_for_convenience(tmp_path: Path) -> None:
    found = _found(
        tmp_path,
        "Either party may terminate this Agreement for convenience upon thirty (30) days "
        "prior written notice to the other party.",
    )
    value, rule = found["termination_for_convenience"]
    assert rule == "convenience"
    assert getattr(value, "notice", None) == Duration(days=30)


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        pytest.param(
            "The present Agreement is effective as from 1 January 2009. It is established by "
            "calendar year and renewed tacitly every year.",
            (True, Duration(months=12)),
            id="renewed-tacitly-every-year",
        ),
        pytest.param(
            "This Agreement shall continue until January 18, 2022, and thereafter shall "
            "continue automatically for successive annual periods.",
            (True, Duration(months=12)),
            id="continues-for-successive-annual-periods",
        ),
        pytest.param(
            "The Agreement is renewed tacitly every month.",
            (True, Duration(months=1)),
            id="renewed-every-month",
        ),
        pytest.param(
            "Reseller shall have the option, subject to Vendor's approval, to extend the Term "
            'of this Agreement for an additional 12 months (a "Renewal Term").',
            (False, Duration(months=12)),
            id="an-option-to-extend-the-term",
        ),
    ],
)
def test_renewals_drafted_without_the_word_renew_nearby(
    tmp_path: Path, clause: str, expected: tuple[bool, Duration]
) -> None:
    found = _found(tmp_path, clause)
    assert (found["auto_renew"][0], found["renewal_term"][0]) == expected


def test_a_page_break_inside_a_sentence_does_not_end_it(tmp_path: Path) -> None:
    # Text converted from PDFs breaks pages mid-sentence; the next page goes on in lower case.
    found = _found(
        tmp_path,
        "9.1 This Contract shall be further extended automatically for a period of 12\n\n\n\n"
        "     months, unless either Party serves written notice of termination on the other "
        "Party at least 65 days prior to the end of the Initial Term.\n\n9.2 Notices are "
        "given in writing.",
    )
    assert found["renewal_term"] == (Duration(months=12), "renewal.length.stated")
    assert found["renewal_notice_period"] == (Duration(days=65), "renewal.notice.automatic")


def test_numbered_clauses_on_their_own_lines_are_sentences(tmp_path: Path) -> None:
    # Without full stops, each numbered line must still be read on its own: the renewal
    # notice and the termination notice are different durations.
    found = _found(
        tmp_path,
        "2.1 This Agreement commences on the Effective Date and continues for three (3) years\n"
        "2.2 Upon expiry this Agreement renews automatically for successive one (1) year "
        "periods unless either party gives sixty (60) days' prior notice of non-renewal\n"
        "3.1 Either party may terminate this Agreement for convenience on thirty (30) days' "
        "written notice\n",
    )
    assert found["renewal_notice_period"][0] == Duration(days=60)
    assert found["renewal_term"][0] == Duration(months=12)
    assert found["termination_for_convenience"][0].notice == Duration(days=30)  # type: ignore[attr-defined]
    assert found["initial_term"][0] == Duration(months=36)
