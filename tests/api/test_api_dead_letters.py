"""Dead letters through the API: listed, shown, replayed after the fix, discarded (audited)."""

from __future__ import annotations

from collections.abc import Callable

from api_support import LOOPBACK, fix_title, refused_and_delivered
from fastapi.testclient import TestClient

from contractsync.api import create_api
from contractsync.context import App
from contractsync.sync import org_registry

Key = Callable[[str], str]


def test_a_refused_record_is_listed_shown_and_replayed_after_the_fix(
    store: App, client: TestClient, key: Key
) -> None:
    good, bad = key("GOOD"), key("BAD")
    refused_and_delivered(store, good, bad)

    listed = client.get("/dead-letters").json()
    assert (listed["total"], listed["limit"], listed["offset"]) == (1, 50, 0)
    [letter] = listed["items"]
    assert (letter["org"], letter["sobject"], letter["key"], letter["contract_key"]) == (
        "test",
        "Contract",
        bad,
        bad,
    )
    assert (letter["error_code"], letter["fields"], letter["status"]) == (
        "STRING_TOO_LONG",
        ["Name"],
        "open",
    )
    assert "payload" not in letter
    assert client.get("/dead-letters", params={"org": "elsewhere"}).json()["total"] == 0
    assert client.get("/dead-letters", params={"status": "delivered"}).json()["total"] == 0

    shown = client.get(f"/dead-letters/{letter['id']}").json()
    assert shown["payload"]["Name"] == "x" * 120
    assert [(e["code"], e["fields"]) for e in shown["errors"]] == [("STRING_TOO_LONG", ["Name"])]

    # Nothing fixed yet: the org refuses it again, and the letter says so.
    again = client.post("/dead-letters/replay").json()
    assert (again["delivered"], again["still_open"]) == (0, 1)
    [outcome] = again["letters"]
    assert (outcome["id"], outcome["replayed"], outcome["status"], outcome["error_code"]) == (
        letter["id"],
        True,
        "open",
        "STRING_TOO_LONG",
    )
    assert client.get(f"/dead-letters/{letter['id']}").json()["attempts"] == 2

    fix_title(store, bad)
    replayed = client.post("/dead-letters/replay", json={"ids": [letter["id"]]})

    assert replayed.status_code == 200
    body = replayed.json()
    assert (body["delivered"], body["still_open"]) == (1, 0)
    assert body["letters"][0]["status"] == "delivered"
    assert body["letters"][0]["error_code"] is None
    [run] = body["runs"]
    assert (run["org"], run["status"]) == ("test", "complete")
    assert client.get("/dead-letters").json()["total"] == 0
    closed = client.get("/dead-letters", params={"status": "all"}).json()["items"]
    assert [(c["id"], c["status"], c["resolved_by"]) for c in closed] == [
        (letter["id"], "delivered", "api")
    ]
    org = org_registry(store).client("test")
    rows = org.query_all(f"SELECT Name FROM Contract WHERE CS_Key__c = '{bad}'")
    assert [row["Name"] for row in rows] == ["Short enough"]
    children = org.query_all(
        f"SELECT CS_Key__c FROM CS_Obligation__c WHERE CS_Contract__r.CS_Key__c = '{bad}'"
    )
    assert [row["CS_Key__c"] for row in children] == [f"{bad}:REPORT"]


def test_discard_needs_a_reason_and_is_audited_with_the_actor(
    store: App, client: TestClient, key: Key
) -> None:
    bad = key("BAD")
    refused_and_delivered(store, key("GOOD"), bad)
    [letter] = store.dead_letters.list()

    assert client.post(f"/dead-letters/{letter.id}/discard").status_code == 422
    blank = client.post(f"/dead-letters/{letter.id}/discard", json={"reason": "   "})
    assert blank.status_code == 422
    assert store.dead_letters.get(letter.id).status == "open"

    discarded = client.post(
        f"/dead-letters/{letter.id}/discard", json={"reason": "customer cancelled"}
    )

    assert discarded.status_code == 200
    assert (discarded.json()["status"], discarded.json()["resolved_by"]) == ("discarded", "api")
    entry = store.audit.entries(entity_key=bad)[-1]
    assert (entry.action, entry.actor, entry.details["reason"]) == (
        "dead_letter.discarded",
        "api",
        "customer cancelled",
    )
    twice = client.post(f"/dead-letters/{letter.id}/discard", json={"reason": "again"})
    assert twice.status_code == 409
    assert twice.json() == {
        "code": "not_open",
        "message": f"Dead letter #{letter.id} is already discarded; only open ones can be "
        "discarded.",
    }
    # A discarded letter is not replayed.
    replayed = client.post("/dead-letters/replay", json={"ids": [letter.id]}).json()
    assert replayed["letters"][0]["replayed"] is False
    assert replayed["runs"] == []


def test_unknown_ids_answer_404_naming_the_thing_and_the_fix(
    store: App, client: TestClient
) -> None:
    for response in (
        client.get("/dead-letters/999"),
        client.post("/dead-letters/999/discard", json={"reason": "gone"}),
        client.post("/dead-letters/replay", json={"ids": [999]}),
    ):
        assert response.status_code == 404
        assert response.json() == {
            "code": "not_found",
            "message": "No dead letter #999. List them with GET /dead-letters?status=all.",
        }
    assert store.sync_runs.recent() == []


def test_malformed_requests_answer_422(client: TestClient) -> None:
    assert client.get("/dead-letters/first").status_code == 422
    assert client.get("/dead-letters", params={"status": "lost"}).status_code == 422
    assert client.post("/dead-letters/replay", json={"ids": []}).status_code == 422
    assert client.post("/dead-letters/replay", json={"ids": ["one"]}).status_code == 422


def test_dead_letters_are_listed_a_page_at_a_time_with_the_total(
    store: App, client: TestClient, park_letter: Callable[..., int]
) -> None:
    ids = [park_letter(store, org, f"P-{n}") for n, org in enumerate("abaab")]
    store.dead_letters.discard(ids[0], actor="tester", reason="gone")

    page = client.get("/dead-letters", params={"limit": 2, "offset": 1}).json()
    assert (page["total"], page["limit"], page["offset"]) == (4, 2, 1)
    assert [item["id"] for item in page["items"]] == ids[2:4]
    every = client.get("/dead-letters", params={"status": "all", "limit": 3}).json()
    assert (every["total"], [item["id"] for item in every["items"]]) == (5, ids[:3])
    of_a = client.get("/dead-letters", params={"org": "a", "status": "all", "offset": 1}).json()
    assert (of_a["total"], [item["id"] for item in of_a["items"]]) == (3, [ids[2], ids[3]])
    assert client.get("/dead-letters", params={"offset": 4}).json()["items"] == []
    for bad in ({"limit": 0}, {"limit": 201}, {"offset": -1}):
        assert client.get("/dead-letters", params=bad).status_code == 422


def test_messages_are_redacted_in_lists_and_details(
    store: App, client: TestClient, park_letter: Callable[..., int]
) -> None:
    leaky = (
        "Bad value for session_id=00D5g000004Xyz1!AQ8AQHsecret near Authorization: Bearer s3cr3t"
    )
    letter_id = park_letter(store, "a", "LEAK-1", message=leaky)

    [listed] = client.get("/dead-letters").json()["items"]
    shown = client.get(f"/dead-letters/{letter_id}")
    assert listed["message"] == shown.json()["message"]
    assert listed["message"].startswith("Bad value for session_id=***")
    assert shown.json()["errors"][0]["message"] == listed["message"]
    assert "s3cr3t" not in shown.text
    assert "AQ8AQHsecret" not in shown.text


def test_a_letter_delivered_while_it_is_discarded_stays_delivered(
    store: App,
    park_letter: Callable[..., int],
    delivered_before_next_write: Callable[[App, int], None],
) -> None:
    letter_id = park_letter(store, "a", "RACE-1")
    delivered_before_next_write(store, letter_id)
    response = TestClient(create_api(store), client=LOOPBACK).post(
        f"/dead-letters/{letter_id}/discard", json={"reason": "customer cancelled"}
    )

    assert response.status_code == 409
    assert response.json() == {
        "code": "not_open",
        "message": f"Dead letter #{letter_id} is already delivered; only open ones can be "
        "discarded.",
    }
    letter = store.dead_letters.get(letter_id)
    assert (letter.status, letter.resolved_by) == ("delivered", "sync")
    actions = [entry.action for entry in store.audit.entries(entity_key="RACE-1")]
    assert "dead_letter.discarded" not in actions
