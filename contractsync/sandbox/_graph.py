"""``POST /composite/graph``: several composite graphs, each one all-or-nothing.

Nodes are ``/sobjects`` calls only and may reference earlier nodes of their graph with
``@{ref.field}``. Limits: 75 graphs, 500 nodes in all, depth 15, 15 node kinds (API version
x method x object); once 14 graphs have failed the rest are halted. A failed graph keeps its
failing node's error and reports ``PROCESSING_HALTED`` for the others (salesforce-api.md 4.4).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from ._api import ApiRequest, ApiResponse

# One subrequest runs exactly as in /composite: same references, same envelope.
from ._composite import _halted, _response, _run_one
from ._errors import SalesforceError
from ._sobjects import method_not_allowed

__all__ = ["handle_graph"]

MAX_GRAPHS = 75
MAX_NODES = 500
MAX_DEPTH = 15
MAX_KINDS = 15
MAX_FAILED_GRAPHS = 14
_NODE_URL = re.compile(r"^/services/data/v(\d+\.\d)/sobjects/([^/]+)(/[^/]+)?(/[^/]+)?/?$")
_REFERENCE = re.compile(r"@\{([A-Za-z0-9_]+)\.")
_ALLOWED = {1: {"POST"}, 2: {"GET", "PATCH", "DELETE"}, 3: {"GET", "PATCH", "DELETE", "POST"}}

Dispatch = Callable[[ApiRequest], ApiResponse]


class _Rollback(Exception):  # noqa: N818 - control flow inside this module
    pass


def _limit(message: str) -> SalesforceError:
    return SalesforceError.of(400, "LIMIT_EXCEEDED", message, with_fields=False)


def _invalid(message: str) -> SalesforceError:
    return SalesforceError.of(400, "INVALID_INPUT", message, with_fields=False)


def handle_graph(req: ApiRequest, dispatch: Dispatch, atomic: Callable[[], Any]) -> ApiResponse:
    if req.method != "POST":
        raise method_not_allowed(req.method, "POST")
    body = req.json()
    graphs = body.get("graphs") if isinstance(body, dict) else None
    if not isinstance(graphs, list) or not graphs:
        raise SalesforceError.of(
            400,
            "JSON_PARSER_ERROR",
            "The request body must contain a non-empty graphs array",
            with_fields=False,
        )
    if len(graphs) > MAX_GRAPHS:
        raise _limit(f"The request has {len(graphs)} graphs; the limit is {MAX_GRAPHS}.")
    kinds: set[tuple[str, str, str]] = set()
    seen_ids: set[str] = set()
    total = 0
    for graph in graphs:
        graph_id = graph.get("graphId") if isinstance(graph, dict) else None
        nodes = graph.get("compositeRequest") if isinstance(graph, dict) else None
        if (
            not isinstance(graph_id, str)
            or not graph_id
            or not isinstance(nodes, list)
            or not nodes
        ):
            raise _invalid("Each graph needs a graphId and a non-empty compositeRequest array.")
        if graph_id in seen_ids:
            raise _invalid(f"Duplicate graphId: {graph_id}")
        seen_ids.add(graph_id)
        total += len(nodes)
        _check_depth(graph_id, nodes)
        kinds |= {_kind(node) for node in nodes}
    if total > MAX_NODES:
        raise _limit(f"The request has {total} nodes; the limit is {MAX_NODES}.")
    if len(kinds) > MAX_KINDS:
        raise _limit(
            f"The request has {len(kinds)} kinds of nodes (API version, method and object);"
            f" the limit is {MAX_KINDS}."
        )
    answers = []
    failed = 0
    for graph in graphs:
        if failed >= MAX_FAILED_GRAPHS:
            responses = [
                _response(n["referenceId"], 400, [_halted()]) for n in graph["compositeRequest"]
            ]
            ok = False
        else:
            ok, responses = _run_graph(req, graph["compositeRequest"], dispatch, atomic)
        failed += not ok
        answers.append(
            {
                "graphId": graph["graphId"],
                "graphResponse": {"compositeResponse": responses},
                "isSuccessful": ok,
            }
        )
    return ApiResponse(200, {"graphs": answers})


def _kind(node: Any) -> tuple[str, str, str]:
    if not isinstance(node, dict) or not isinstance(node.get("referenceId"), str):
        raise _invalid("Each node needs a referenceId, a method and a url.")
    match = _NODE_URL.match(urlsplit(str(node.get("url", ""))).path)
    if match is None:
        return ("", str(node.get("method", "")).upper(), "")
    return (match[1], str(node.get("method", "GET")).upper(), match[2].lower())


def _check_depth(graph_id: str, nodes: list[Any]) -> None:
    depth: dict[str, int] = {}
    for node in nodes:
        text = json.dumps([node.get("url"), node.get("body")])
        parents = [depth.get(ref, 0) for ref in _REFERENCE.findall(text)]
        level = 1 + max(parents, default=0)
        if level > MAX_DEPTH:
            raise _limit(f"Graph {graph_id} is more than {MAX_DEPTH} nodes deep.")
        depth[node["referenceId"]] = level


def _run_graph(
    req: ApiRequest, nodes: list[dict[str, Any]], dispatch: Dispatch, atomic: Callable[[], Any]
) -> tuple[bool, list[dict[str, Any]]]:
    responses: list[dict[str, Any]] = []
    outputs: dict[str, Any] = {}
    try:
        with atomic():
            for node in nodes:
                result = _node_error(node) or _run_one(req, node, outputs, dispatch)
                responses.append(result)
                if result["httpStatusCode"] >= 400:
                    raise _Rollback  # noqa: TRY301 - unwinds this graph's transaction
                outputs[node["referenceId"]] = result["body"]
    except _Rollback:
        failing = len(responses) - 1
        halted = [_response(n["referenceId"], 400, [_halted()]) for n in nodes]
        halted[failing] = responses[failing]
        return False, halted
    return True, responses


def _node_error(node: dict[str, Any]) -> dict[str, Any] | None:
    """4.4: only /sobjects nodes, with the methods their shape allows."""
    match = _NODE_URL.match(urlsplit(str(node.get("url", ""))).path)
    method = str(node.get("method", "GET")).upper()
    depth = 1 + (match[3] is not None) + (match[4] is not None) if match else 0
    if match is None or method not in _ALLOWED[depth]:
        message = f"{method} {node.get('url')} is not allowed in a composite graph"
        return _response(
            node["referenceId"], 400, [{"errorCode": "INVALID_INPUT", "message": message}]
        )
    return None
