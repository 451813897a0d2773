"""An optional extractor that asks a chat model, through any OpenAI-compatible endpoint.

Off by default. It is enabled by the environment:

* ``CONTRACTSYNC_LLM_BASE_URL`` — the API root, e.g. ``http://localhost:8000/v1``;
* ``CONTRACTSYNC_LLM_MODEL`` — the model name the endpoint serves;
* ``CONTRACTSYNC_LLM_API_KEY`` — sent as a bearer token when set (never logged);
* ``CONTRACTSYNC_LLM_TIMEOUT_S`` (default 60) and ``CONTRACTSYNC_LLM_MAX_CHARS``
  (default 60000: the contract text is cut there, head first, where the terms are).

The request is one ``POST {base}/chat/completions`` with ``response_format`` set to a
JSON schema, so the answer is machine-readable. The model must quote, verbatim, the text
each value comes from; the quote is found in the document to give the evidence span, and
a value whose quote is not in the document is dropped — a value nobody can check in one
glance is not proposed. Values go through the same normalisers as the rules, into the
same shapes (``_llm_fields`` holds the schema and the normalisation); an obligation's
evidence is the whole sentence its quote is in, as the rules give it. The model's
confidence is not calibrated on labelled data, so its candidates carry a fixed prior
(``LLM_PRIOR``), below the auto-approve threshold.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import httpx

from contractsync.documents import DocumentText
from contractsync.errors import ExtractionError

from ._candidate import Candidate, make_snippet
from ._llm_fields import INSTRUCTIONS, read_answer, response_schema
from ._text import ContractText

LLM_PRIOR = 0.7


@dataclass(frozen=True, slots=True)
class LlmConfig:
    """Where the OpenAI-compatible endpoint is and how to call it."""

    base_url: str
    model: str
    api_key: str | None = None
    timeout_s: float = 60.0
    max_chars: int = 60_000

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> LlmConfig | None:
        """The configuration from ``CONTRACTSYNC_LLM_*``, or None when not enabled."""
        env = os.environ if environ is None else environ
        base_url = env.get("CONTRACTSYNC_LLM_BASE_URL", "").strip()
        model = env.get("CONTRACTSYNC_LLM_MODEL", "").strip()
        if not base_url or not model:
            return None
        return cls(
            base_url=base_url.rstrip("/"),
            model=model,
            api_key=env.get("CONTRACTSYNC_LLM_API_KEY") or None,
            timeout_s=float(env.get("CONTRACTSYNC_LLM_TIMEOUT_S", "60")),
            max_chars=int(env.get("CONTRACTSYNC_LLM_MAX_CHARS", "60000")),
        )

    def __repr__(self) -> str:  # the key never reaches a log line
        return f"LlmConfig(base_url={self.base_url!r}, model={self.model!r})"


class LlmExtractor:
    """Extractor that asks a chat model for the terms, with verbatim quotes as evidence.

    Args:
        config: the endpoint.
        transport: an httpx transport (tests pass ``httpx.MockTransport``; production
            code never asks whether it is under test).
    """

    name = "llm"

    def __init__(self, config: LlmConfig, *, transport: httpx.BaseTransport | None = None) -> None:
        self.config = config
        self.version = config.model
        self._transport = transport

    def extract(self, document: DocumentText) -> Sequence[Candidate]:
        answer = self._ask(document.clean_text()[: self.config.max_chars], document.name)
        text = ContractText(document)
        found: list[Candidate] = []
        for proposal in read_answer(answer):
            span = _locate(document.text, proposal.quote)
            if span is None:
                continue
            if proposal.field == "obligations":
                # The whole sentence, as the rules give it: reconciliation keeps one
                # obligation per evidence span and kind, whichever extractor read it.
                sentence = text.sentence_at(span[0])
                span = (sentence.start, max(sentence.end, span[1]))
            found.append(
                Candidate(
                    field=proposal.field,
                    value=proposal.value,
                    start=span[0],
                    end=span[1],
                    snippet=make_snippet(document.text, *span),
                    rule="chat",
                    confidence=LLM_PRIOR,
                    extractor=self.name,
                    version=self.version,
                )
            )
        return found

    def _ask(self, text: str, name: str) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {self.config.api_key}"} if self.config.api_key else {}
        body = {
            "model": self.config.model,
            "temperature": 0,
            "messages": [
                {"role": "system", "content": INSTRUCTIONS},
                {"role": "user", "content": text},
            ],
            "response_format": {
                "type": "json_schema",
                "json_schema": {"name": "contract_terms", "strict": True,
                                "schema": response_schema()},
            },
        }  # fmt: skip
        url = f"{self.config.base_url}/chat/completions"
        try:
            with httpx.Client(timeout=self.config.timeout_s, transport=self._transport) as client:
                response = client.post(url, json=body, headers=headers)
                response.raise_for_status()
                content = response.json()["choices"][0]["message"]["content"]
                answer = json.loads(content)
        except (httpx.HTTPError, KeyError, IndexError, TypeError, ValueError) as error:
            raise ExtractionError(
                f"The LLM endpoint {self.config.base_url} failed on {name!r} "
                f"({type(error).__name__}). Check CONTRACTSYNC_LLM_BASE_URL and "
                "CONTRACTSYNC_LLM_MODEL, or unset them to use the rules alone.",
                document=name,
            ) from None
        if not isinstance(answer, dict):
            raise ExtractionError(f"The LLM answer for {name!r} is not a JSON object.",
                                  document=name)  # fmt: skip
        return answer


def _locate(text: str, quote: Any) -> tuple[int, int] | None:
    """The span of ``quote`` in ``text``, allowing any whitespace between its words."""
    if not isinstance(quote, str) or len(quote.strip()) < 4:
        return None
    words = quote.split()
    pattern = r"\s+".join(re.escape(word) for word in words[:80])
    match = re.search(pattern, text)
    return (match.start(), match.end()) if match else None
