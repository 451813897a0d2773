"""The LLM extractor against a local fake OpenAI-compatible server."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest

from contractsync.documents import read_document
from contractsync.errors import ExtractionError
from contractsync.extraction import (
    LlmConfig,
    LlmExtractor,
    RulesExtractor,
    default_extractors,
    extract_document,
)
from contractsync.extraction._llm_fields import read_answer
from contractsync.model import (
    Duration,
    Money,
    OwnerRole,
    PriceEscalator,
    ServiceLevel,
    TerminationForConvenience,
)


class FakeOpenAI(BaseHTTPRequestHandler):
    answer: ClassVar[dict[str, Any]] = {}
    requests: ClassVar[list[dict[str, Any]]] = []
    status: ClassVar[int] = 200

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        FakeOpenAI.requests.append({"path": self.path, "body": body,
                                    "auth": self.headers.get("Authorization")})  # fmt: skip
        message = {"role": "assistant", "content": json.dumps(FakeOpenAI.answer)}
        payload = {"choices": [{"message": message}]}
        data = json.dumps(payload).encode()
        self.send_response(FakeOpenAI.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        return


@pytest.fixture
def server() -> Iterator[str]:
    FakeOpenAI.requests = []
    FakeOpenAI.status = 200
    httpd = HTTPServer(("127.0.0.1", 0), FakeOpenAI)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    httpd.shutdown()
    httpd.server_close()


def _answer(**fields: Any) -> dict[str, Any]:
    empty = {"value": None, "quote": None}
    names = ["agreement_date", "effective_date", "signed_date", "expiration_date", "initial_term",
             "auto_renew", "renewal_term", "renewal_notice_period", "payment_terms_days",
             "billing_frequency", "total_value", "annual_value", "governing_law"]  # fmt: skip
    answer: dict[str, Any] = {name: dict(empty) for name in names}
    answer["parties"] = {"value": [], "quote": None}
    answer["termination_for_convenience"] = dict(empty)
    answer["price_escalator"] = dict(empty)
    answer["obligations"] = []
    answer.update(fields)
    return answer


def _termination(allowed: Any = True, notice: Any = None, by: Any = "either") -> dict[str, Any]:
    return {"allowed": allowed, "notice": notice, "by": by}


def _escalator(
    percent: Any = None, cap: Any = None, index: Any = None, every: Any = None
) -> dict[str, Any]:
    return {"percent": percent, "cap_percent": cap, "index": index, "every": every}


def _obligation(
    kind: Any, description: Any = "", due: Any = None, amount: Any = None, level: Any = None
) -> dict[str, Any]:
    return {"kind": kind, "description": description, "due_date": due, "amount": amount,
            "service_level": level}  # fmt: skip


def _sla(level: Any) -> dict[str, Any]:
    return _obligation("service_level", "Availability", level=level)


def _level(target: Any = 99.9, unit: Any = "percent", metric: Any = "availability") -> Any:
    return {"metric": metric, "target": target, "unit": unit, "comparison": "at_least"}


_CONVENIENCE = "Either party may terminate this Agreement for convenience"
_INCREASE = "Fees may increase annually by the change in the Consumer Price Index"
_AVAILABILITY = "maintain availability of at least 99.9%"
_LAW = {"value": "Ontario", "quote": "the laws of the Province of Ontario"}


def test_llm_values_are_normalised_and_located(server: str, cases: Path) -> None:
    FakeOpenAI.answer = _answer(
        governing_law={
            "value": "Ontario, Canada",
            "quote": "governed by and construed in accordance with the laws of the Province",
        },
        renewal_notice_period={"value": "90 days", "quote": "at least ninety (90) days prior"},
        payment_terms_days={"value": "45", "quote": "this sentence is not in the contract"},
    )  # fmt: skip
    config = LlmConfig(base_url=server, model="fake-model", api_key="sk-test")
    document = read_document(cases / "services_agreement.txt")
    found = {c.field: c for c in LlmExtractor(config).extract(document)}
    assert set(found) == {"governing_law", "renewal_notice_period"}  # the unquotable is dropped
    assert found["governing_law"].value.subdivision == "CA-ON"
    assert found["governing_law"].source == "llm/fake-model"
    span = found["renewal_notice_period"]
    assert document.text[span.start : span.end].startswith("at least ninety")
    request = FakeOpenAI.requests[0]
    assert request["path"] == "/v1/chat/completions"
    assert request["auth"] == "Bearer sk-test"
    assert request["body"]["response_format"]["type"] == "json_schema"


def test_llm_and_rules_are_reconciled(server: str, cases: Path) -> None:
    FakeOpenAI.answer = _answer(
        payment_terms_days={"value": "30", "quote": "within thirty (30) days of receipt"},
        renewal_term={"value": "2 years", "quote": "successive one (1) year periods"},
    )
    config = LlmConfig(base_url=server, model="fake-model")
    document = read_document(cases / "services_agreement.txt")
    rules_only = extract_document(document).fields
    both = extract_document(document, [RulesExtractor(), LlmExtractor(config)]).fields
    assert both["payment_terms_days"].value == 30
    assert both["payment_terms_days"].confidence >= rules_only["payment_terms_days"].confidence
    assert both["renewal_term"].confidence < rules_only["renewal_term"].confidence


def test_llm_failure_is_an_extraction_error_and_rules_still_answer(
    server: str, cases: Path
) -> None:
    FakeOpenAI.status = 500
    config = LlmConfig(base_url=server, model="fake-model", api_key="sk-secret")
    document = read_document(cases / "services_agreement.txt")
    with pytest.raises(ExtractionError) as raised:
        LlmExtractor(config).extract(document)
    assert "sk-secret" not in str(raised.value)
    result = extract_document(document, [RulesExtractor(), LlmExtractor(config)])
    assert result.errors
    assert "governing_law" in result.fields
    assert "sk-secret" not in repr(config)


def test_llm_is_off_unless_configured() -> None:
    assert LlmConfig.from_env({}) is None
    assert [e.name for e in default_extractors({})] == ["rules"]
    environ = {"CONTRACTSYNC_LLM_BASE_URL": "http://x/v1", "CONTRACTSYNC_LLM_MODEL": "m"}
    assert [e.name for e in default_extractors(environ)] == ["rules", "llm"]


def test_llm_termination_and_escalator_take_the_rules_shapes(server: str, cases: Path) -> None:
    FakeOpenAI.answer = _answer(
        termination_for_convenience={"value": _termination(notice="sixty (60) days"),
                                     "quote": _CONVENIENCE},
        price_escalator={"value": _escalator(cap=5.0, index="Consumer Price Index",
                                             every="annually"), "quote": _INCREASE},
    )  # fmt: skip
    config = LlmConfig(base_url=server, model="fake-model")
    document = read_document(cases / "services_agreement.txt")
    found = {c.field: c for c in LlmExtractor(config).extract(document)}
    rules = {c.field: c for c in RulesExtractor().extract(document)}
    assert set(found) == {"termination_for_convenience", "price_escalator"}
    for field, candidate in found.items():
        assert candidate.value == rules[field].value  # equal values, so they reconcile
        assert document.text[candidate.start :].startswith(candidate.snippet[:30])
    assert found["termination_for_convenience"].value.notice == Duration(days=60)
    assert found["price_escalator"].value.cap_percent == Decimal(5)
    both = extract_document(document, [RulesExtractor(), LlmExtractor(config)]).fields
    for field in found:  # agreement keeps the surest confidence
        assert both[field].confidence == pytest.approx(rules[field].confidence)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(_escalator(percent=3), PriceEscalator(percent=Decimal(3)), id="fixed"),
        pytest.param(_escalator(cap="up to 5%"),
                     PriceEscalator(percent=Decimal(5), cap_percent=Decimal(5)), id="cap-only"),
        pytest.param(_escalator(percent=0, cap=4.0, index="CPI-U", every="2 years"),
                     PriceEscalator(index="CPI-U", cap_percent=Decimal(4),
                                    every=Duration(months=24)), id="zero-rise-and-every"),
        pytest.param(_escalator(percent=2.5, index="consumer price index for all urban "
                                                    "consumers"),
                     PriceEscalator(percent=Decimal("2.5"), index="CPI-U"), id="index-words"),
        pytest.param(_escalator(index="rpi"), PriceEscalator(index="RPI"), id="index-lowercase"),
        pytest.param(_escalator(percent=1, index="cpi-w plus 1%"),
                     PriceEscalator(percent=Decimal(1), index="CPI-W"), id="index-in-a-phrase"),
    ],
)  # fmt: skip
def test_llm_escalator_values_are_normalised(value: Any, expected: PriceEscalator) -> None:
    answer = _answer(price_escalator={"value": value, "quote": _INCREASE})
    assert [(p.field, p.value) for p in read_answer(answer)] == [("price_escalator", expected)]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(_termination(allowed=False, notice="30 days", by="customer"),
                     TerminationForConvenience(allowed=False, by="customer"), id="not-allowed"),
        pytest.param(_termination(allowed="yes", notice="3 months", by="Vendor"),
                     TerminationForConvenience(allowed=True, notice=Duration(months=3),
                                               by="vendor"), id="words"),
        pytest.param(_termination(), TerminationForConvenience(allowed=True), id="no-notice"),
    ],
)  # fmt: skip
def test_llm_termination_values_are_normalised(
    value: Any, expected: TerminationForConvenience
) -> None:
    answer = _answer(termination_for_convenience={"value": value, "quote": _CONVENIENCE})
    assert [p.value for p in read_answer(answer)] == [expected]


def test_llm_obligations_are_read_on_the_rules_sentences(server: str, cases: Path) -> None:
    FakeOpenAI.answer = _answer(
        obligations=[
            {"value": _obligation("service_level", "Uptime of 99.9%", level=_level()),
             "quote": _AVAILABILITY},
            {"value": _obligation("payment", amount="$120,000"),
             "quote": "Customer shall pay Vendor an annual fee of $120,000 per year."},
            {"value": _obligation("payment", due="whenever"), "quote": _INCREASE},
            {"value": _obligation("reporting", "Quarterly report", due="2021-06-30"),
             "quote": "Vendor shall deliver a quarterly usage report"},  # not in the contract
        ],
    )  # fmt: skip
    config = LlmConfig(base_url=server, model="fake-model")
    document = read_document(cases / "services_agreement.txt")
    found = LlmExtractor(config).extract(document)
    rules = [c for c in RulesExtractor().extract(document) if c.field == "obligations"]
    by_key = {c.value.key: c for c in found}
    assert set(by_key) == {"sla-1", "payment-1"}  # the unreadable and the unquotable dropped
    sla, payment = by_key["sla-1"], by_key["payment-1"]
    level = ServiceLevel(metric="availability", target=Decimal("99.9"), unit="percent")
    assert sla.value.service_level == level
    assert sla.value.description == "Uptime of 99.9%"
    assert sla.value.obligor == "counterparty"
    assert payment.value.amount == Money(amount=Decimal(120000), currency="USD")
    assert payment.value.owner_role == OwnerRole.FINANCE
    assert payment.value.description.startswith("Customer shall pay")  # no description: the quote
    rule_spans = {(c.start, c.end, c.value.kind) for c in rules}
    assert {(c.start, c.end, c.value.kind) for c in found} <= rule_spans  # the whole sentence
    both = extract_document(document, [RulesExtractor(), LlmExtractor(config)])
    assert len(both.obligations) == len(rules)  # one obligation per sentence and kind


_MALFORMED = [
    pytest.param("termination_for_convenience", _termination(notice="soonish"), id="notice"),
    pytest.param("termination_for_convenience", _termination(by="landlord"), id="by"),
    pytest.param("termination_for_convenience", _termination(allowed="perhaps"), id="allowed"),
    pytest.param("termination_for_convenience", {"allowed": True}, id="partial-termination"),
    pytest.param("termination_for_convenience", "yes", id="termination-not-an-object"),
    pytest.param("price_escalator", _escalator(percent=250), id="percent-out-of-range"),
    pytest.param("price_escalator", _escalator(percent="lots"), id="percent-words"),
    pytest.param("price_escalator", _escalator(percent=3, index="Widget Index"), id="index"),
    pytest.param("price_escalator", _escalator(percent=3, every="now and then"), id="every"),
    pytest.param("price_escalator", _escalator(), id="no-rule"),
    pytest.param("price_escalator", ["3%"], id="escalator-not-an-object"),
    pytest.param("obligations", _obligation("wish"), id="kind"),
    pytest.param("obligations", _obligation("deliverable", due="someday"), id="due-date"),
    pytest.param("obligations", _obligation("payment", amount="plenty"), id="amount"),
    pytest.param("obligations", _sla(_level(target="high")), id="target"),
    pytest.param("obligations", _sla(_level(unit="furlongs")), id="unit"),
    pytest.param("obligations", _sla("99.9%"), id="level-text"),
    pytest.param("obligations", None, id="obligation-null"),
]
_QUOTES = {"termination_for_convenience": _CONVENIENCE, "price_escalator": _INCREASE,
           "obligations": _AVAILABILITY}  # fmt: skip


@pytest.mark.parametrize(("field", "value"), _MALFORMED)
def test_llm_drops_a_malformed_value_whole(
    server: str, cases: Path, field: str, value: Any
) -> None:
    entry: Any = {"value": value, "quote": _QUOTES[field]}
    if field == "obligations":
        entry = [entry, "junk"]
    FakeOpenAI.answer = _answer(governing_law=_LAW, **{field: entry})
    config = LlmConfig(base_url=server, model="fake-model")
    found = LlmExtractor(config).extract(read_document(cases / "services_agreement.txt"))
    assert [c.field for c in found] == ["governing_law"]  # the rest of the answer still counts


def test_llm_request_schema_is_valid_for_strict_mode(server: str, cases: Path) -> None:
    FakeOpenAI.answer = _answer()
    config = LlmConfig(base_url=server, model="fake-model")
    assert LlmExtractor(config).extract(read_document(cases / "services_agreement.txt")) == []
    response_format = FakeOpenAI.requests[0]["body"]["response_format"]
    assert response_format["json_schema"]["strict"] is True
    schema = response_format["json_schema"]["schema"]
    objects = list(_objects(schema))
    assert len(objects) > 10
    for path, node in objects:
        assert node.get("additionalProperties") is False, path
        assert sorted(node["required"]) == sorted(node["properties"]), path
    assert set(schema["properties"]) == set(_answer())  # the test answers follow the schema
    fields = schema["properties"]
    for name in ("termination_for_convenience", "price_escalator"):
        assert {"type": "null"} in fields[name]["properties"]["value"]["anyOf"]
    assert fields["obligations"]["type"] == "array"
    helpers = {  # what the test answers send, against what the schema asks for
        "termination_for_convenience": _termination(),
        "price_escalator": _escalator(),
    }
    for name, sent in helpers.items():
        assert set(sent) == set(fields[name]["properties"]["value"]["anyOf"][0]["properties"])
    obligation = fields["obligations"]["items"]["properties"]["value"]
    assert set(_obligation("other")) == set(obligation["properties"])
    assert set(_level()) == set(obligation["properties"]["service_level"]["anyOf"][0]["properties"])


def _objects(node: Any, path: str = "$") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every object schema under ``node``, with where it is."""
    if isinstance(node, dict):
        if node.get("type") == "object" or "properties" in node:
            yield path, node
        for key, child in node.items():
            yield from _objects(child, f"{path}.{key}")
    elif isinstance(node, list):
        for number, child in enumerate(node):
            yield from _objects(child, f"{path}[{number}]")
