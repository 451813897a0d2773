"""Service levels: availability targets and support response/resolution times, with credits.

* Availability: ``availability of at least 99.9%``, ``99.9% uptime``, ``available 99.5% of
  the time``; the metric is ``availability`` or ``uptime``, the unit ``percent``, and the
  target must be a plausible availability (80-100%): smaller percents in these sentences
  are reductions, credits or thresholds.
* Response and resolution times: ``respond within four (4) hours``, ``resolve Severity 1
  issues within 24 hours``, ``Response Time: 2 business hours``; the metric is
  ``response_time``, ``resolution_time`` or ``restoration_time``, qualified by the severity
  or priority the clause names (``response_time:severity_1``), compared ``at_most``.
  Only in sentences about support (severity, priority, incident, ticket, outage …) and
  never in ones about a breach and its cure, whose periods have the same shape.

The remedy is the service credit named in the same or the next sentence (``a service
credit of 5% of the monthly fee``, ``a credit equal to $500``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from contractsync.model import Remedy, ServiceLevel

from ._money import MONEY, parse_money
from ._numbers import NUMBER, parse_number
from ._rules_escalator import PERCENT
from ._text import ContractText, Sentence, squash

_TARGET = r"\d{2,3}(?:\.\d+)?\s*(?:%|percent)"
_AVAILABILITY = re.compile(
    r"(?P<metric>availability|uptime|up-time|service\s+level)[^.;]{0,80}?"
    r"(?:at\s+least|no\s+less\s+than|not\s+less\s+than|minimum\s+of|of|"
    rf"equal\s+to\s+or\s+greater\s+than)?\s*(?P<target>{_TARGET})"
    rf"|(?<![\d.])(?P<target_before>{_TARGET})\s+(?:monthly\s+|annual\s+|service\s+|network\s+)?"
    r"(?P<metric_after>availability|uptime|up-time)"
    rf"|\bavailable\b[^.;]{{0,60}}?(?P<target_of_time>{_TARGET})\s+of\s+the\s+time",
    re.IGNORECASE,
)
# Smaller percents in these sentences are reductions, credits or thresholds, not targets.
_MIN_AVAILABILITY = Decimal(80)
_SUPPORT_TIME = re.compile(
    r"\b(?P<verb>respon(?:d|ds|se|ses|ding)|acknowledg\w*|resol(?:ve|ves|ution|ving|ved)|"
    r"restor(?:e|es|ation|ing)|fix(?:es|ed)?|work-?arounds?)\b[^.;]{0,100}?"
    r"(?:\bwithin|\bno\s+(?:later|more)\s+than|\bnot\s+(?:later|more)\s+than|\bin\s+less\s+than"
    r"|\btimes?\s*(?:of|:|is|shall\s+be|will\s+be)|:)\s*"
    rf"(?P<amount>{NUMBER})\s*(?P<unit>(?:business\s+|working\s+|calendar\s+)?"
    r"(?:hours?|hrs?|minutes?|mins?|days?))\b",
    re.IGNORECASE,
)
_SUPPORT_CONTEXT = re.compile(
    r"\b(?:severity|priority|incidents?|tickets?|support|outages?|errors?|defects?|faults?|"
    r"problems?|issues?|service\s+requests?|complaints?|downtime|help\s*desk|trouble|"
    r"P[1-5]|sev\s*[1-5])\b",
    re.IGNORECASE,
)
# A breach's cure period ("cure such default within thirty days") is not a support time.
_BREACH = re.compile(r"\b(?:breach\w*|cure[ds]?|default|terminat\w*)\b", re.IGNORECASE)
_SEVERITY = re.compile(
    r"\b(?P<kind>severity|sev|priority)\s*(?:level\s*)?-?\s*(?P<level>[1-5]|one|two|three|"
    r"four|five|critical|high|medium|low|urgent)\b"
    r"|\b(?P<word>critical|high|medium|low|urgent)[\s-]+(?P<kind_after>severity|priority)\b"
    r"|\bP(?P<p>[1-5])\b",
    re.IGNORECASE,
)
_LEVEL_WORDS = {"one": "1", "two": "2", "three": "3", "four": "4", "five": "5"}
_CREDIT = re.compile(
    r"\bcredits?\s+(?:of|equal\s+to|in\s+the\s+amount\s+of|amounting\s+to|totall?ing)\s+"
    rf"(?:(?P<percent>{PERCENT})|(?P<money>{MONEY}))"
    rf"|(?P<percent_before>{PERCENT})\s+(?:service\s+(?:level\s+)?)?credit\b",
    re.IGNORECASE,
)
_NEXT_WORD = re.compile(r"\S")


@dataclass(frozen=True, slots=True)
class MeasuredServiceLevel:
    """A service level read from a sentence, with the credit for missing it if named."""

    sentence: Sentence
    level: ServiceLevel
    remedy: Remedy | None


def service_levels(text: ContractText) -> list[MeasuredServiceLevel]:
    """Availability targets, then response and resolution times, one per sentence and level."""
    found: list[MeasuredServiceLevel] = []
    seen: set[tuple[int, str, Decimal]] = set()
    for sentence, level in [*_availability(text), *_support_times(text)]:
        if (sentence.start, level.metric, level.target) in seen:
            continue
        seen.add((sentence.start, level.metric, level.target))
        found.append(MeasuredServiceLevel(sentence, level, _remedy(text, sentence)))
    return found


def _availability(text: ContractText) -> list[tuple[Sentence, ServiceLevel]]:
    found: list[tuple[Sentence, ServiceLevel]] = []
    for match in _AVAILABILITY.finditer(text.text):
        words = match["target"] or match["target_before"] or match["target_of_time"]
        target = Decimal(re.sub(r"[^\d.]", "", words))
        if not _MIN_AVAILABILITY <= target <= 100:
            continue
        metric_words = (match["metric"] or match["metric_after"] or "availability").casefold()
        metric = "uptime" if "up" in metric_words else "availability"
        level = ServiceLevel(metric=metric, target=target, unit="percent")
        found.append((text.sentence_at(match.start()), level))
    return found


def _support_times(text: ContractText) -> list[tuple[Sentence, ServiceLevel]]:
    found: list[tuple[Sentence, ServiceLevel]] = []
    for match in _SUPPORT_TIME.finditer(text.text):
        sentence = text.sentence_at(match.start())
        if not _SUPPORT_CONTEXT.search(sentence.text) or _BREACH.search(sentence.text):
            continue
        amount = parse_number(match["amount"])
        if amount is None or amount <= 0:
            continue
        verb = match["verb"].casefold()
        if verb.startswith(("respon", "acknowledg")):
            metric = "response_time"
        elif verb.startswith("restor"):
            metric = "restoration_time"
        else:
            metric = "resolution_time"
        severity = _severity(text, sentence, match)
        level = ServiceLevel(
            metric=f"{metric}:{severity}" if severity else metric,
            target=amount,
            unit=_unit(match["unit"]),
            comparison="at_most",
        )
        found.append((sentence, level))
    return found


def _severity(text: ContractText, sentence: Sentence, match: re.Match[str]) -> str | None:
    # The severity a time belongs to is the nearest one named in its clause, preferably
    # before it ("Severity 1: response within 1 hour"), else after ("within 4 hours for P2");
    # failing that, the last one named earlier in the sentence governs the list that follows
    # ("Severity 1: response within 1 hour; resolution within 4 hours").
    before = text.text[sentence.start : match.start()]
    clause_start = sentence.start + before.rfind(";") + 1
    window = text.text[clause_start : min(sentence.end, match.end() + 60)]
    anchor = match.start("amount") - clause_start
    levels = list(_SEVERITY.finditer(window))
    if levels:
        nearest = min(levels, key=lambda m: abs(m.start() - anchor) + 40 * (m.start() > anchor))
    else:
        earlier = list(_SEVERITY.finditer(before))
        if not earlier:
            return None
        nearest = earlier[-1]
    if nearest["p"]:
        return f"priority_{nearest['p']}"
    kind = (nearest["kind"] or nearest["kind_after"]).casefold()
    kind = "priority" if kind == "priority" else "severity"
    level = (nearest["level"] or nearest["word"]).casefold()
    return f"{kind}_{_LEVEL_WORDS.get(level, level)}"


def _unit(words: str) -> str:
    words = squash(words).casefold()
    business = "business_" if words.startswith(("business", "working")) else ""
    unit = words.split()[-1]
    if unit.startswith("min"):
        return "minutes"
    if unit.startswith("h"):
        return f"{business}hours"
    return f"{business}days"


def _remedy(text: ContractText, sentence: Sentence) -> Remedy | None:
    places = [sentence.text]
    start_of_next = _NEXT_WORD.search(text.text, sentence.end)
    if start_of_next is not None:
        following = text.sentence_at(start_of_next.start())
        if following.start >= sentence.end:
            places.append(following.text)
    for words in places:
        credit = _CREDIT.search(words)
        if credit is None:
            continue
        description = squash(credit.group())
        percent_words = credit["percent"] or credit["percent_before"]
        if percent_words:
            percent = parse_number(percent_words)
            if percent is not None and 0 < percent <= 100:
                return Remedy(description=description, credit_percent=percent)
            continue
        money = parse_money(credit["money"])
        if money is not None and money.amount > 0:
            return Remedy(description=description, amount=money)
    return None
