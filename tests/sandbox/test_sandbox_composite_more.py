"""Composite tree, graph and batch (salesforce-api.md 4.3-4.5), multipart files (8.2)."""

from __future__ import annotations

from typing import Any

import pytest
from sandbox_support import Api

V = "/services/data/v59.0"


def used(api: Api) -> int:
    header = api.call("GET", "limits").headers["Sforce-Limit-Info"]
    return int(header.split("=")[1].split("/")[0])


def account(ref: str, name: str | None, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"attributes": {"type": "Account", "referenceId": ref}} | extra
    if name is not None:
        body["Name"] = name
    return body


def test_tree_creates_parents_and_children(api: Api) -> None:
    contacts = {
        "records": [{"attributes": {"type": "Contact", "referenceId": "c1"}, "LastName": "Kid"}]
    }
    response = api.call(
        "POST",
        "composite/tree/Account",
        json={"records": [account("a1", "Tree Co", Contacts=contacts)]},
    )
    assert response.status_code == 201
    body = response.json()
    assert body["hasErrors"] is False
    assert [r["referenceId"] for r in body["results"]] == ["a1", "c1"]
    parent, child = (r["id"] for r in body["results"])
    assert parent.startswith("001")
    assert child.startswith("003")
    linked = api.call("GET", f"sobjects/Contact/{child}").json()["AccountId"]
    assert linked == parent


def test_tree_is_all_or_nothing(api: Api) -> None:
    response = api.call(
        "POST",
        "composite/tree/Account",
        json={"records": [account("ok", "Tree Rolled"), account("bad", None)]},
    )
    assert response.status_code == 400
    assert response.json() == {
        "hasErrors": True,
        "results": [
            {
                "referenceId": "bad",
                "errors": [
                    {
                        "statusCode": "REQUIRED_FIELD_MISSING",
                        "message": "Required fields are missing: [Name]",
                        "fields": ["Name"],
                    }
                ],
            }
        ],
    }
    query = api.call(
        "GET", "query/", params={"q": "SELECT Id FROM Account WHERE Name = 'Tree Rolled'"}
    )
    assert query.json()["totalSize"] == 0


@pytest.mark.parametrize(
    ("records", "code", "message"),
    [
        pytest.param(
            [account(f"r{i}", "x") for i in range(201)], "LIMIT_EXCEEDED",
            "The request has 201 records; a tree request can create at most 200.", id="too-many",
        ),
        pytest.param(
            [account("same", "x"), account("same", "y")], "INVALID_INPUT",
            "Duplicate ReferenceId provided in the request: same", id="duplicate-ref",
        ),
        pytest.param(
            [{"attributes": {"type": "Account"}, "Name": "x"}], "INVALID_INPUT",
            "Include a reference ID for each record in the request.", id="no-ref",
        ),
        pytest.param(
            [{"attributes": {"type": "Contact", "referenceId": "c"}, "LastName": "x"}],
            "INVALID_INPUT", "The record c has type Contact; expected Account.", id="wrong-type",
        ),
    ],
)  # fmt: skip
def test_tree_request_errors(api: Api, records: list[Any], code: str, message: str) -> None:
    response = api.call("POST", "composite/tree/Account", json={"records": records})
    assert response.status_code == 400
    assert response.json() == [{"message": message, "errorCode": code}]


def node(method: str, path: str, ref: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
    sub: dict[str, Any] = {"method": method, "url": f"{V}/{path}", "referenceId": ref}
    return sub if body is None else sub | {"body": body}


def test_graph_rolls_back_each_graph_alone(api: Api) -> None:
    good = {
        "graphId": "good",
        "compositeRequest": [
            node("POST", "sobjects/Account", "acc", {"Name": "Graph Kept"}),
            node("POST", "sobjects/Contact", "con", {"LastName": "G", "AccountId": "@{acc.id}"}),
        ],
    }
    bad = {
        "graphId": "bad",
        "compositeRequest": [
            node("POST", "sobjects/Account", "acc2", {"Name": "Graph Lost"}),
            node("POST", "sobjects/Account", "acc3", {}),
        ],
    }
    response = api.call("POST", "composite/graph", json={"graphs": [good, bad]})
    assert response.status_code == 200
    graphs = response.json()["graphs"]
    assert [(g["graphId"], g["isSuccessful"]) for g in graphs] == [("good", True), ("bad", False)]
    kept = graphs[0]["graphResponse"]["compositeResponse"]
    assert [r["httpStatusCode"] for r in kept] == [201, 201]
    lost = graphs[1]["graphResponse"]["compositeResponse"]
    assert lost[0]["body"] == [
        {
            "errorCode": "PROCESSING_HALTED",
            "message": "The transaction was rolled back since another operation in the same"
            " transaction failed.",
        }
    ]
    assert lost[1]["body"][0]["errorCode"] == "REQUIRED_FIELD_MISSING"
    names = api.call(
        "GET", "query/", params={"q": "SELECT Name FROM Account WHERE Name LIKE 'Graph %'"}
    ).json()["records"]
    assert [r["Name"] for r in names] == ["Graph Kept"]


def test_graph_nodes_and_limits(api: Api) -> None:
    query_node = {
        "graphId": "g",
        "compositeRequest": [node("GET", "query/?q=SELECT+Id+FROM+Account", "q")],
    }
    refused = api.call("POST", "composite/graph", json={"graphs": [query_node]}).json()["graphs"][0]
    assert refused["isSuccessful"] is False
    assert refused["graphResponse"]["compositeResponse"][0]["body"] == [
        {
            "errorCode": "INVALID_INPUT",
            "message": f"GET {V}/query/?q=SELECT+Id+FROM+Account is not allowed in a composite"
            " graph",
        }
    ]
    create = node("POST", "sobjects/Account", "a", {"Name": "n"})
    many = [{"graphId": f"g{i}", "compositeRequest": [create]} for i in range(76)]
    response = api.call("POST", "composite/graph", json={"graphs": many})
    assert response.status_code == 400
    assert response.json() == [
        {"message": "The request has 76 graphs; the limit is 75.", "errorCode": "LIMIT_EXCEEDED"}
    ]
    deep = [
        {"method": "GET", "url": f"{V}/sobjects/Account/@{{n{i}.id}}", "referenceId": f"n{i + 1}"}
        for i in range(15)
    ]
    chain = [create | {"referenceId": "n0"}, *deep]
    too_deep = api.call(
        "POST", "composite/graph", json={"graphs": [{"graphId": "d", "compositeRequest": chain}]}
    )
    assert too_deep.json() == [
        {"message": "Graph d is more than 15 nodes deep.", "errorCode": "LIMIT_EXCEEDED"}
    ]


def test_batch_runs_each_subrequest_alone(api: Api) -> None:
    created = api.call("POST", "sobjects/Account/", json={"Name": "Batch Me"}).json()["id"]
    before = used(api)
    response = api.call(
        "POST",
        "composite/batch",
        json={
            "batchRequests": [
                {
                    "method": "PATCH",
                    "url": f"v59.0/sobjects/Account/{created}",
                    "richInput": {"Phone": "7"},
                },
                {"method": "GET", "url": f"v59.0/sobjects/Account/{created}?fields=Phone"},
                {"method": "POST", "url": "v59.0/sobjects/Account", "richInput": {}},
            ]
        },
    )  # fmt: skip
    assert response.status_code == 200
    body = response.json()
    assert body["hasErrors"] is True
    assert [r["statusCode"] for r in body["results"]] == [204, 200, 400]
    assert body["results"][0]["result"] is None
    assert body["results"][1]["result"]["Phone"] == "7"
    assert body["results"][2]["result"][0]["errorCode"] == "REQUIRED_FIELD_MISSING"
    # 4.6: one API call per subrequest (+1 for the limits call that reads the counter).
    assert used(api) - before == 3 + 1


def test_batch_halt_on_error(api: Api) -> None:
    response = api.call(
        "POST",
        "composite/batch",
        json={
            "haltOnError": True,
            "batchRequests": [
                {"method": "POST", "url": "v59.0/sobjects/Account", "richInput": {}},
                {"method": "GET", "url": "v59.0/limits"},
            ],
        },
    ).json()
    assert response["results"][1] == {
        "statusCode": 412,
        "result": [
            {
                "errorCode": "BATCH_PROCESSING_HALTED",
                "message": "Batch processing halted per request",
            }
        ],
    }
    too_many = api.call(
        "POST", "composite/batch",
        json={"batchRequests": [{"method": "GET", "url": "v59.0/limits"}] * 26},
    )  # fmt: skip
    assert too_many.status_code == 400
    assert too_many.json()[0]["errorCode"] == "LIMIT_EXCEEDED"


def multipart(parts: list[tuple[str, str, bytes, str | None]]) -> tuple[bytes, str]:
    boundary = "boundary_sandbox_test"
    chunks = []
    for name, content_type, data, filename in parts:
        disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        head = (
            f"--{boundary}\r\nContent-Disposition: {disposition}\r\n"
            f"Content-Type: {content_type}\r\n\r\n"
        )
        chunks.append(head.encode() + data + b"\r\n")
    body = b"".join(chunks) + f"--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def test_content_version_multipart_upload(api: Api) -> None:
    contract_parent = api.call("POST", "sobjects/Account/", json={"Name": "File Owner"}).json()[
        "id"
    ]
    pdf = b"%PDF-1.4\n\x00\xff binary \r\n--not-a-boundary\n"
    entity = (
        b'{"Title": "MSA 2025", "PathOnClient": "msa-2025.pdf", "FirstPublishLocationId": "'
        + contract_parent.encode()
        + b'"}'
    )
    body, content_type = multipart(
        [("entity_content", "application/json", entity, None),
         ("VersionData", "application/octet-stream", pdf, "msa-2025.pdf")]
    )  # fmt: skip
    response = api.call(
        "POST", "sobjects/ContentVersion", data=body, headers={"Content-Type": content_type}
    )
    assert response.status_code == 201, response.text
    version_id = response.json()["id"]
    assert response.json() == {"id": version_id, "success": True, "errors": []}
    version = api.call("GET", f"sobjects/ContentVersion/{version_id}").json()
    assert (version["FileExtension"], version["ContentSize"], version["Title"]) == (
        "pdf",
        len(pdf),
        "MSA 2025",
    )
    assert api.call("GET", f"sobjects/ContentVersion/{version_id}/VersionData").content == pdf
    soql = (
        "SELECT LinkedEntityId FROM ContentDocumentLink"
        f" WHERE ContentDocumentId = '{version['ContentDocumentId']}'"
    )
    links = api.call("GET", "query/", params={"q": soql}).json()["records"]
    assert contract_parent in {link["LinkedEntityId"] for link in links}


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        pytest.param(
            [("VersionData", "application/octet-stream", b"x", "a.pdf")],
            "The multipart request needs exactly one entity_content part (JSON)", id="no-entity",
        ),
        pytest.param(
            [("entity_content", "application/json", b"{nope", None),
             ("VersionData", "application/octet-stream", b"x", "a.pdf")],
            "The entity_content part is not valid JSON", id="bad-json",
        ),
    ],
)  # fmt: skip
def test_multipart_errors(
    api: Api, parts: list[tuple[str, str, bytes, str | None]], message: str
) -> None:
    body, content_type = multipart(parts)
    response = api.call(
        "POST", "sobjects/ContentVersion", data=body, headers={"Content-Type": content_type}
    )
    assert response.status_code == 400
    assert response.json() == [{"message": message, "errorCode": "INVALID_MULTIPART_REQUEST"}]
