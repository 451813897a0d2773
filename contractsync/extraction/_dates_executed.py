"""The agreement date as the signatures give it: the execution clause and the signed dates.

An execution clause may date the contract (``IN WITNESS WHEREOF … as of March 5, 2019``,
``… this 14th day of February 2020``). Otherwise the dates written beside the signatures
date it, and when the parties signed on different days the contract is made on the last
of them, the day the last party signed.

Signed dates are dates with a ``Date`` label, before them (``Date: March 5, 2019``) or,
in tabular signature blocks converted from PDFs, after them (``4/24/2018 4/25/2018 Date
Date``). They are read in the contract's tail (``signature_date``) or, when the tail has
none, in the first signature block found elsewhere (``signature_block_date``): a block is
the text around the marks that only signature blocks carry (``/s/``, ``By:``,
``Title:``), as when the signature page sits on the cover or before long exhibits.
"""

from __future__ import annotations

import re
from datetime import date

from ._dates import DATE, parse_date
from ._text import ContractText

WITNESS = re.compile(r"IN\s+WITNESS\s+WHEREOF", re.IGNORECASE)
# The execution clause of Southern African and civil-law forms: "THUS DONE AND SIGNED at
# Pretoria on this 31st day of March 2001".
_SIGNED_AT = re.compile(
    rf"\b(?:done\s+and\s+)?signed\s+at\s+[^\n.,;]{{1,60}}?\s+on\s+(?:this\s+)?(?:the\s+)?"
    rf"(?P<date>{DATE})",
    re.IGNORECASE,
)
_WITNESS_DATED = re.compile(
    rf"\b(?:as\s+of|this|on|dated)\s+(?:this\s+)?(?:the\s+)?(?P<date>{DATE})", re.IGNORECASE
)
_LABEL_BEFORE = re.compile(r"\bdated?\s*:?\s*$", re.IGNORECASE)
# "the Supply Agreement dated April 1, 2017": the date of the instrument just named, which
# in a short contract's tail is often some other agreement's.
_INSTRUMENT_DATED = re.compile(
    r"(?:agreement|amendment|contract|letter|plan|order|note|instrument|certificate|policy|"
    r"license|licence|lease)\s*(?:\([^)]*\)\s*)?,?\s*dated\s*$",
    re.IGNORECASE,
)
# A label naming another date ("Effective Date:", "Termination Date:") is not a signature's.
QUALIFIED_LABEL = re.compile(
    r"\b(?:effective|commencement|start|termination|expiration|expiry|end|closing|completion|"
    r"delivery|launch|due|payment|invoice|filing|release|birth|issue|renewal|anniversary)"
    r"\s+dated?\s*:?\s*$",
    re.IGNORECASE,
)
# The label may sit a row below in a tabular block, under a rule and beside another
# column's label: "1/14/02 ----------- Name (type or print)   Date".
_LABEL_AFTER = re.compile(
    rf"(?:\s*{DATE})*(?:\s+[-_=]{{3,}})*\s+(?:[A-Z]\w{{0,15}}(?:\s+\([a-z ]{{1,20}}\))?\s+)?Date\b"
)
# "[signature authenticated by the document depository on December 17, 2018]", "Signed on
# 5 May 2019": a signature dated in words rather than by a label.
_SIGNED_ON = re.compile(r"\bsign(?:ed|ature)\b[^.\n\[\]]{0,80}?\bon\s*$", re.IGNORECASE)
_MARK = re.compile(r"/s/|\bBy\s*:|\bTitle\s*:")
_SIGNATURE_REACH = 4000
_BLOCK_BEFORE = 300
_BLOCK_AFTER = 600


def executed(text: ContractText) -> list[tuple[str, date, int, int]]:
    """``(rule, date, start, end)`` from the execution clause and the signed dates."""
    found: list[tuple[str, date, int, int]] = []
    for witness in WITNESS.finditer(text.text):
        sentence = text.sentence_at(witness.start())
        dated = _WITNESS_DATED.search(text.text, witness.start(), sentence.end + 40)
        if dated is not None and (value := parse_date(dated["date"])) is not None:
            found.append(("witness_as_of", value, dated.start("date"), dated.end("date")))
            break
    else:
        for dated in _SIGNED_AT.finditer(text.text):
            if (value := parse_date(dated["date"])) is not None:
                found.append(("witness_as_of", value, dated.start("date"), dated.end("date")))
                break
    tail_start = max(0, len(text.text) - _SIGNATURE_REACH)
    last_witness = [m.start() for m in WITNESS.finditer(text.text)][-1:]
    if last_witness:
        tail_start = min(tail_start, last_witness[0])
    signed = signed_dates(text.text, tail_start, len(text.text))
    rule = "signature_date"
    if not signed:
        signed, rule = _first_block(text.text, tail_start), "signature_block_date"
    if signed:
        value, start, end = max(signed, key=lambda item: (item[0], item[1]))
        found.append((rule, value, start, end))
    return found


def signed_dates(text: str, low: int, high: int) -> list[tuple[date, int, int]]:
    """The labelled dates between ``low`` and ``high``, as ``(date, start, end)``."""
    found: list[tuple[date, int, int]] = []
    for match in re.finditer(DATE, text[low:high], re.IGNORECASE):
        start, end = low + match.start(), low + match.end()
        before = text[max(0, start - 30) : start]
        labelled = (
            _LABEL_BEFORE.search(before)
            and not QUALIFIED_LABEL.search(before)
            and not _INSTRUMENT_DATED.search(before)
        ) or _SIGNED_ON.search(text, max(0, start - 100), start)
        if not labelled and not _LABEL_AFTER.match(text, end, end + 160):
            continue
        if (value := parse_date(match.group())) is not None:
            found.append((value, start, end))
    return found


def in_signature_block(text: str, start: int, end: int) -> bool:
    """Whether the date at ``start:end`` is a labelled date beside signature marks."""
    if not signed_dates(text, start, end):
        return False
    return _MARK.search(text, max(0, start - _BLOCK_BEFORE), end + _BLOCK_AFTER) is not None


def _first_block(text: str, tail_start: int) -> list[tuple[date, int, int]]:
    for mark in _MARK.finditer(text, 0, tail_start):
        low = max(0, mark.start() - _BLOCK_BEFORE)
        signed = signed_dates(text, low, min(tail_start, mark.end() + _BLOCK_AFTER))
        if signed:
            return signed
    return []
