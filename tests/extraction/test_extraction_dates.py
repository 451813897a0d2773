"""Dates, term ends and the inclusive expiration convention, on short written snippets."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contractsync.documents import read_document
from contractsync.extraction import RulesExtractor
from contractsync.extraction._calibration import Calibration
from contractsync.extraction._dates import DATE, parse_date
from contractsync.extraction.evaluation import GoldAnswer, is_correct, match_parties
from contractsync.model import Duration, Party

_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"]  # fmt: skip


def _extract(tmp_path: Path, text: str) -> dict[str, Any]:
    path = tmp_path / "contract.txt"
    path.write_text(text, encoding="utf-8")
    candidates = RulesExtractor(calibration=Calibration()).extract(read_document(path))
    return {c.field: c.value for c in candidates}


# ---- parsing ----


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("the 24t h day of August 2018", date(2018, 8, 24), id="split-th"),
        pytest.param("1s t day of October, 2008", date(2008, 10, 1), id="split-st"),
        pytest.param("29/3/18", date(2018, 3, 29), id="two-digit-year-day-first"),
        pytest.param("3/21/08", date(2008, 3, 21), id="two-digit-year-month-first"),
        pytest.param("9/9/97", date(1997, 9, 9), id="two-digit-year-last-century"),
        pytest.param("2/30/19", None, id="impossible-day"),
    ],
)
def test_parse_date(text: str, expected: date | None) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["section 1.2.18", "clause 4-1-17", "ratio 3/4"])
def test_scanning_skips_short_triples_that_are_not_slashed_dates(text: str) -> None:
    assert re.search(DATE, text, re.IGNORECASE) is None


@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2049, 12, 31)))
def test_two_digit_years_pivot_at_fifty(day: date) -> None:
    assert parse_date(f"{day.month}/{day.day}/{day.year % 100:02d}") == day


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2199, 12, 31)))
def test_written_dates_round_trip(day: date) -> None:
    month = _MONTHS[day.month - 1]
    assert parse_date(f"{month} {day.day}, {day.year}") == day
    assert parse_date(f"the {day.day}th day of {month}, {day.year}") == day


# ---- the inclusive end ----


@given(
    st.dates(min_value=date(1950, 1, 1), max_value=date(2090, 12, 31)),
    st.integers(min_value=1, max_value=240),
)
def test_last_day_is_the_day_before_the_anniversary(start: date, months: int) -> None:
    term = Duration(months=months)
    assert term.last_day(start) == term.after(start) - timedelta(days=1)
    assert term.last_day(start) >= start


# The term clause of a contract made March 1, 2020: its inclusive end, "perpetual" or none.
@pytest.mark.parametrize(
    ("term", "expected"),
    [
        pytest.param(
            "This Agreement shall remain in effect until terminated by either party.",
            "perpetual",
            id="until-terminated",
        ),
        pytest.param(
            'The term of this Agreement (the "Term") shall commence on May 1, 2021 and end on '
            "April 30, 2023.",
            date(2023, 4, 30),
            id="stated-end-beats-length",
        ),
        pytest.param(
            "This Agreement shall continue for three (3) years from the Launch Date.",
            None,
            id="counted-from-an-event",
        ),
        pytest.param(
            "The term of this Agreement shall continue until the later of (a) the second (2nd) "
            "anniversary of the Effective Date or (b) completion of the Services.",
            date(2022, 2, 28),
            id="later-of-anniversary",
        ),
        pytest.param(
            "This Agreement shall commence on March 1, 2020 and remain in full force and effect "
            "until one (1) year subsequent to the Effective Date, provided however, that either "
            "party may terminate at any time prior to the expiration of sixty (60) days.",
            date(2021, 2, 28),
            id="until-a-length-after-the-start",
        ),
        pytest.param(
            "The term of this Agreement and the sponsorship described herein shall commence on "
            "January 1, 2021 and extend through December 31, 2021.",
            date(2021, 12, 31),
            id="long-subject-before-shall",
        ),
        pytest.param(
            "This Agreement begins on the Effective Date and shall continue indefinitely unless "
            "sooner terminated.",
            "perpetual",
            id="agreement-begins-indefinitely",
        ),
        pytest.param(
            'The term of this Agreement shall be ten (10) years (the "Term") which shall '
            "commence on the date upon which Cedar delivers the last Sample.",
            None,
            id="commences-at-an-event",
        ),
        pytest.param(
            "This Agreement shall be effective as of the date of first deliveries on the "
            "pipeline and shall continue for a primary term of ten years. Thereafter this "
            "Agreement shall be effective month to month, until terminated by either party.",
            None,
            id="event-start-is-not-perpetual",
        ),
        pytest.param(
            '"Calendar Year" means each successive period of 12 calendar months, except that '
            "the first Calendar Year of the Term shall commence on the Effective Date.",
            None,
            id="definition-of-another-period",
        ),
        pytest.param(
            '"Intended End of Term" means the later of (a) the second (2nd) anniversary of the '
            "Effective Date and (b) the date determined under Section 7.",
            date(2022, 2, 28),
            id="definition-of-the-term-end",
        ),
        pytest.param(
            "This Agreement shall commence on the Effective Date and shall extend for a period "
            'of five (5) years thereafter ("Initial Term").',
            date(2025, 2, 28),
            id="years-thereafter-after-a-start",
        ),
        pytest.param(
            "The term of this Agreement shall end upon termination by either party, and the "
            "Distributor may sell its stock for six (6) months thereafter.",
            None,
            id="years-thereafter-after-the-term",
        ),
        pytest.param(
            "This Agreement shall continue in effect for a period of one year from the date of "
            "its execution and from year to year thereafter if approved by the Board.",
            date(2021, 2, 28),
            id="from-the-date-of-its-execution",
        ),
        pytest.param(
            "The term of this Agreement shall commence on the Effective Date and shall end on "
            "the 60th day following a written notice from one party to the other of its "
            "decision to terminate this Agreement at the end of such 60-day period.",
            "perpetual",
            id="ends-only-after-notice",
        ),
        pytest.param(
            "Your employment shall commence on 1 March 2020 and shall continue unless and until "
            "either party gives notice to the other.",
            "perpetual",
            id="employment-until-notice",
        ),
    ],
)
def test_expiration(tmp_path: Path, term: str, expected: object) -> None:
    values = _extract(
        tmp_path,
        "SERVICES AGREEMENT\n\nThis Services Agreement is made as of March 1, 2020 by and "
        "between Cedar Inc. and Dogwood LLC. It has a one (1) year warranty.\n\n"
        f"1. Term. {term}\n\n2. Fees. Fees are due monthly.\n",
    )
    assert values.get("expiration_date") == expected


# ---- dates read from a whole snippet ----

_FILLER = "The seller ships the goods as ordered by the buyer. " * 60


# Each snippet gives exactly these values for the fields it names: the agreement date, the
# effective date, the term and its inclusive end, wherever in the text they are stated.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            'SUPPLY AGREEMENT\n\nThis Supply Agreement (the "Agreement") is entered into as of '
            'January 1, 2020 (the "Effective Date") by and between Alder Co. and Birch Ltd.\n\n'
            "2. Term. This Agreement shall continue for a period of five (5) years from the "
            "Effective Date, unless terminated earlier.\n",
            {
                "effective_date": date(2020, 1, 1),
                "initial_term": Duration(months=60),
                "expiration_date": date(2024, 12, 31),
            },
            id="a-term-counted-from-the-effective-date-ends-the-day-before",
        ),
        pytest.param(
            'LICENSE AGREEMENT\n\nLICENSE AGREEMENT (the "Agreement") dated the 3r d day of March, '
            '2019 (the "Effective Date") between Elm Corp. and Fir GmbH.\n',
            {"agreement_date": date(2019, 3, 3), "effective_date": date(2019, 3, 3)},
            id="a-defined-effective-date-in-the-title-line-dates-the-agreement",
        ),
        pytest.param(
            "Dated 12/6/19\n\nMARKETING AGREEMENT\n\nThis Marketing Agreement is entered into "
            "and effective as of the date first written above by Gum Co. and Hazel Inc.\n",
            {"agreement_date": date(2019, 12, 6), "effective_date": date(2019, 12, 6)},
            id="effective-as-of-the-date-above-is-the-agreement-date",
        ),
        pytest.param(
            "CONSULTING AGREEMENT between Ivy Co. and Juniper Ltd.\n\nThe effective term is 12 "
            "months beginning March 1, 2005 and ending February 28, 2006.\n",
            {"effective_date": date(2005, 3, 1), "expiration_date": date(2006, 2, 28)},
            id="the-term-beginning-on-a-date-gives-the-effective-date",
        ),
        pytest.param(
            "SUPPLY AGREEMENT between Oak Ltd. and Pine LLC.\n\n1. Supply. Oak supplies Pine.\n\n"
            "IN WITNESS WHEREOF, the parties execute this Agreement this 14t h day of February "
            "2020.\n\nOAK LTD. By: /s/ A. Smith\n",
            {"agreement_date": date(2020, 2, 14)},
            id="the-execution-clause-dates-the-agreement-with-this-day-of",
        ),
        pytest.param(
            "RESELLER AGREEMENT\n\nThis Agreement is entered into as of the Effective Date by "
            "Aspen Inc. and Birch LLC.\n\nAspen Inc.: By: /s/ A. Lee Birch LLC: By: /s/ B. Ray "
            'Title Title 4/24/2018 04/25/2018 Date Date\n\n1. Definitions. "Effective Date" '
            "means the date of last signature on this Agreement.\n\n2. Term. This Agreement "
            "shall commence on the Effective Date and continue for twelve (12) months.\n",
            {
                "agreement_date": date(2018, 4, 25),
                "effective_date": date(2018, 4, 25),
                "expiration_date": date(2019, 4, 24),
            },
            id="signature-dates-labelled-after-them-give-the-last-signature",
        ),
        pytest.param(
            f"SUPPLY CONTRACT between Cedar Co. and Larch Ltd.\n\n{_FILLER}\n\nAGREEMENT PERIOD "
            "Termination Date: December 31, 2023\n\nACCEPTED AND AGREED\nBy: /s/ C. Doe "
            "Title: President Date: January 10, 2020\nBy: /s/ D. Roe Title: Director "
            f"Date: December 11, 2019\n\n{_FILLER}\n\nEXHIBIT A Price list.\n{_FILLER}\n",
            {"agreement_date": date(2020, 1, 10)},
            id="a-labelled-term-date-in-the-body-is-not-the-agreement-date",
        ),
        pytest.param(
            "MAINTENANCE AGREEMENT between Maple Corp. and Spruce S.A.\n\n1. DEFINITIONS\n"
            "EFFECTIVE DATE shall mean the date of installation of the system, i.e. December 10, "
            "1993. ERROR means any failure of the program.\n",
            {"effective_date": date(1993, 12, 10)},
            id="an-unquoted-capitalised-definition-gives-the-effective-date",
        ),
        pytest.param(
            "ENDORSEMENT AGREEMENT\n\nWHEREAS, the company lent money to the trust, the loans "
            "being owed on the date hereof and represented by a Demand Note, dated December 5, "
            "1995, between them; and\n\nIN WITNESS WHEREOF, the parties have executed this "
            "Agreement as of this 4th day of April, 2003.\n",
            {"agreement_date": date(2003, 4, 4)},
            id="a-date-in-a-recital-dates-another-instrument",
        ),
        pytest.param(
            "LICENSE AGREEMENT dated January 15, 2008 between Poplar Inc. and Yew LLC.\n\n"
            "10. Term. This Agreement shall commence as of the Effective Date and shall terminate "
            "five (5) years following the launch of the website, but in no event later than "
            "February 28, 2013.\n",
            {"expiration_date": date(2013, 2, 28)},
            id="a-latest-end-caps-a-term-counted-from-an-event",
        ),
        pytest.param(
            'DISTRIBUTOR AGREEMENT\n\nThis Distributor Agreement (this "Agreement") is made and '
            "effective as of1 August 2019, by and between Elm LLC and Ash Ltd.\n",
            {"agreement_date": date(2019, 8, 1)},
            id="a-date-glued-to-the-word-before-it-is-read",
        ),
        pytest.param(
            "Amendment No. 1 to the Maintenance Agreement ref. DS/C-39/14 Issue 7 dated March 9, "
            "2015\n\nBETWEEN Oak Ltd. AND Pine LLC.\n\n1. Amendment. The fee is amended.\n\n"
            "2. Effective Date. This Amendment shall enter into force on the date of its "
            "signature by both Parties.\n\nOak Ltd. By: /s/ A. Smith Date: January 6, 2016\n",
            {"agreement_date": date(2016, 1, 6), "effective_date": date(2016, 1, 6)},
            id="a-numbered-instrument-named-in-the-title-does-not-date-the-contract",
        ),
        pytest.param(
            "SERVICES AGREEMENT made as of December 23, 2003 between Oak Ltd. and Pine LLC.\n\n"
            "3. Term. The initial term of this Agreement shall be for 3 years commencing on the "
            "date first set forth above.\n",
            {"agreement_date": date(2003, 12, 23), "effective_date": date(2003, 12, 23)},
            id="a-term-commencing-on-the-date-above-starts-on-the-agreement-date",
        ),
        pytest.param(
            "COOPERATION AGREEMENT made as of June 18, 2020 between Oak Ltd. and Pine LLC.\n\n"
            "5. Covenants. At all times during the period commencing on the date hereof and "
            "ending thirty days before the meeting, Oak shall vote as agreed.\n",
            {"agreement_date": date(2020, 6, 18), "effective_date": None},
            id="a-period-commencing-on-the-date-hereof-is-not-the-contracts-start",
        ),
    ],
)
def test_dates_of_a_snippet(tmp_path: Path, text: str, expected: dict[str, object]) -> None:
    values = _extract(tmp_path, text)
    assert {field: values.get(field) for field in expected} == expected


# ---- one clause dropped into a common contract frame ----


# A commencement clause: starting "upon execution" of this agreement makes its date the
# effective date; the execution of another instrument does not.
@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        pytest.param(
            "This agreement commences upon execution of this document.",
            date(2018, 1, 15),
            id="own-execution",
        ),
        pytest.param(
            "Each order commences upon execution of a Statement of Work.",
            None,
            id="another-instruments-execution",
        ),
    ],
)
def test_commencing_on_execution_is_the_agreement_date(
    tmp_path: Path, clause: str, expected: date | None
) -> None:
    values = _extract(
        tmp_path,
        "SUPPLY AGREEMENT THIS AGREEMENT is made on the 15th day of January 2018 between "
        f"Alder Inc. and Rowan Ltd.\n\n1. Commencement. {clause}\n",
    )
    assert values["agreement_date"] == date(2018, 1, 15)
    assert values.get("effective_date") == expected


# A contract without a dated preamble: only its own dating sentences date it.
@pytest.mark.parametrize(
    ("tail", "expected"),
    [
        pytest.param(
            "Oak and Pine are parties to a Supply Agreement dated May 8, 2008.",
            None,
            id="another-instrument-dated",
        ),
        pytest.param(
            "14.6 This Agreement is dated April 29, 2010.",
            date(2010, 4, 29),
            id="this-agreement-is-dated",
        ),
        pytest.param(
            "THUS DONE AND SIGNED at Pretoria on this 31st day of March 2001. For and on behalf "
            "of Oak Ltd. /s/",
            date(2001, 3, 31),
            id="done-and-signed-at",
        ),
        pytest.param(
            "Oak Ltd. /s/ Oak Ltd. [signature authenticated by third party document depository "
            "on December 17, 2018]",
            date(2018, 12, 17),
            id="signature-authenticated-on",
        ),
        pytest.param(
            "Pine pays monthly. "
            * 100
            + "\n\nOak Ltd.                Pine LLC\n\nBy: /s/ A. Ash        By: /s/ B. Beech\n\n"
            "A. Ash    1/9/02        B. Beech     1/14/02 ----------------   ----------------- "
            "Name (type or print)   Date    Name (type or print)   Date",
            date(2002, 1, 14),
            id="tabular-block-labels-under-a-rule",
        ),
    ],
)
def test_dates_in_a_short_contract_without_a_dated_preamble(
    tmp_path: Path, tail: str, expected: date | None
) -> None:
    values = _extract(
        tmp_path,
        "COOPERATION AGREEMENT\n\nOak Ltd. and Pine LLC agree as follows.\n\n"
        f"1. Cooperation. Oak helps Pine. {tail}\n",
    )
    assert values.get("agreement_date") == expected


# Sentences that make the agreement effective, or leave the effective date open.
@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        pytest.param(
            "This Agreement shall become effective on the date on which it is signed by the "
            "parties.",
            date(2020, 3, 1),
            id="effective-when-signed",
        ),
        pytest.param(
            "The Agreement enters into force on the Signing Date.",
            None,
            id="a-defined-signing-date",
        ),
        pytest.param(
            "This Agreement shall not be considered accepted, approved or otherwise effective "
            "until signed by the appropriate parties.",
            date(2020, 3, 1),
            id="not-effective-until-signed",
        ),
        pytest.param(
            "This Agreement has been duly executed as of the date first set forth above and "
            "shall be effective simultaneously.",
            date(2020, 3, 1),
            id="executed-and-effective-simultaneously",
        ),
        pytest.param(
            "The Agreement shall become effective upon the completion of the execution by both "
            "Parties.",
            date(2020, 3, 1),
            id="effective-on-completing-execution",
        ),
        pytest.param(
            "Each Statement of Work shall not be effective until signed by both parties.",
            None,
            id="another-instrument-effective-when-signed",
        ),
        pytest.param(
            "This Agreement takes effect upon acceptance by the FDA no later than June 2, 2020 "
            '(such date, the "Effective Date").',
            date(2020, 6, 2),
            id="such-date-the-effective-date",
        ),
    ],
)
def test_effective_date_sentences(tmp_path: Path, sentence: str, expected: date | None) -> None:
    values = _extract(
        tmp_path,
        "SERVICES AGREEMENT\n\nThis Services Agreement is made as of March 1, 2020 by and "
        f"between Cedar Inc. and Dogwood LLC.\n\n1. Effectiveness. {sentence}\n",
    )
    assert values.get("effective_date") == expected


# ---- scoring the one-day boundary ----


@pytest.mark.parametrize(
    ("field", "proposed", "right"),
    [
        pytest.param("expiration_date", date(2024, 12, 31), True, id="inclusive-end"),
        pytest.param("expiration_date", date(2025, 1, 1), True, id="anniversary"),
        pytest.param("expiration_date", date(2025, 1, 2), False, id="day-after"),
        pytest.param("expiration_date", date(2024, 12, 30), False, id="two-days-before"),
        pytest.param("effective_date", date(2024, 12, 31), False, id="other-dates-exact"),
    ],
)
def test_one_day_boundary(field: str, proposed: date, right: bool) -> None:
    gold = GoldAnswer("value", (date(2025, 1, 1),), "1/1/2025")
    assert is_correct(field, proposed, gold) is right


def test_a_contract_dated_twice_differently_is_contested(tmp_path: Path) -> None:
    path = tmp_path / "contract.txt"
    path.write_text(
        "SERVICES AGREEMENT\n\nThis Agreement is made as of March 1, 2021 by and between "
        "Oak Ltd. and Pine LLC.\n\n1. Services. Oak serves Pine.\n\nIN WITNESS WHEREOF the "
        "parties sign below.\n\nOAK LTD. By: /s/ A. Smith Date: April 9, 2021\n",
        encoding="utf-8",
    )
    [agreement] = [
        c
        for c in RulesExtractor(calibration=Calibration()).extract(read_document(path))
        if c.field == "agreement_date"
    ]
    assert agreement.value == date(2021, 3, 1)  # the preamble's date still wins
    assert agreement.rule.endswith(".contested")  # but in a bin of its own


def test_a_party_answered_once_per_spelling_is_one_party() -> None:
    gold = GoldAnswer("value", ("ACME CORP.", "Beta LLC", "Acme Corp"), "…")
    assert match_parties([Party(name="Acme Corp"), Party(name="Beta LLC")], gold) == (2, 2, 2)
    similar = GoldAnswer("value", ("Beta Holdings LLC", "Beta LLC"), "…")
    assert match_parties([Party(name="Beta Holdings LLC")], similar) == (1, 1, 2)


def test_effective_the_day_after_the_last_signature(tmp_path: Path) -> None:
    values = _extract(
        tmp_path,
        "HOSTING AGREEMENT\n\n3.1 Term. This Agreement will be effective beginning on 12:01 "
        "a.m., Eastern Time, on the day after the date of last signature to these Base Terms "
        '("Effective Date").\n\n' + "Pine pays monthly. " * 300 + "\n\nOak Ltd. By: /s/ A. Ash "
        "Date: January 9, 2002\n"
        "Pine LLC By: /s/ B. Beech Date: January 14, 2002\n",
    )
    assert values["agreement_date"] == date(2002, 1, 14)
    assert values["effective_date"] == date(2002, 1, 15)


def test_the_signed_date_is_the_last_signature(tmp_path: Path) -> None:
    values = _extract(
        tmp_path,
        "SERVICES AGREEMENT\n\nThis Services Agreement is made as of March 1, 2021 by and "
        "between Oak Ltd. and Pine LLC.\n\n1. Services. Oak serves Pine.\n\n"
        + "Pine pays monthly. "
        * 300
        + "\n\nIN WITNESS WHEREOF the parties sign below.\n\nOAK LTD. By: /s/ A. Smith "
        "Date: April 9, 2021\n\nPINE LLC By: /s/ B. Jones Date: April 12, 2021\n",
    )
    assert values["agreement_date"] == date(2021, 3, 1)
    assert values["signed_date"] == date(2021, 4, 12)
    assert "signed_date" not in _extract(tmp_path, "SERVICES AGREEMENT\n\nOak serves Pine.\n")
