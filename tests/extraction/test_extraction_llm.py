"""The LLM extractor against a local fake OpenAI-compatible server."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
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
    answer.update(fields)
    return answer


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
