"""Lookups in a mapping: parsing, rules, desired records and check_mapping."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import yaml

from contractsync.errors import MappingError, PermanentSyncError
from contractsync.mapping import (
    Mapping,
    check_mapping,
    default_mapping_path,
    desired_records,
    normalize_domain,
    parse_mapping,
)
from contractsync.model import Contract
from contractsync.salesforce import OrgClient

TODAY = date(2026, 1, 1)


def _mapping(*, keep_account: bool = True, **lookup: Any) -> Mapping:
    data = yaml.safe_load(default_mapping_path().read_text(encoding="utf-8"))
    contract = next(obj for obj in data["objects"] if obj["name"] == "contract")
    del contract["references"]
    rule = {"sobject": "Account", "match": {"Website": "{account.domain}"}, "compare": "domain"}
    contract["lookups"] = {"AccountId": {**rule, **lookup}}
    if not keep_account:
        data["objects"] = [obj for obj in data["objects"] if obj["name"] != "account"]
    return parse_mapping(data, source="test")


def _contract(domain: str | None) -> Contract:
    return Contract.model_validate(
        {
            "contract_key": "C-1",
            "title": "C",
            "contract_type": "subscription",
            "status": "draft",
            "account": {"key": "ACC-1", "name": "Acme", "domain": domain},
        }
    )


@pytest.mark.parametrize(
    ("raw", "domain"),
    [
        ("acme.com", "acme.com"),
        ("https://www.Acme.com/", "acme.com"),
        ("http://acme.com/en/about?x=1", "acme.com"),
        ("WWW.ACME.COM.", "acme.com"),
        ("https://user@shop.acme.com:8443/", "shop.acme.com"),
    ],
    ids=["plain", "scheme-www-slash", "path-query", "case-dot", "port-userinfo-subdomain"],
)
def test_domains_are_compared_by_host(raw: str, domain: str) -> None:
    assert normalize_domain(raw) == domain


def test_a_lookup_defaults_to_failing_on_ties_and_misses_and_is_fingerprinted() -> None:
    mapping = _mapping(keep_account=False)
    lookup = mapping.object("contract").lookups["AccountId"]
    assert (lookup.ties, lookup.missing, lookup.create) == ("fail", "fail", None)

    contract = desired_records(_contract("https://www.ACME.com/"), mapping, today=TODAY)[0]
    ref = contract.lookups["AccountId"]
    assert ref.match == (("Website", "acme.com"),)
    assert "AccountId" not in contract.snapshot()  # the Id is only known at delivery
    [other] = desired_records(_contract("beta.io"), mapping, today=TODAY)[:1]
    assert other.fingerprint != contract.fingerprint
    [without] = desired_records(_contract(None), mapping, today=TODAY)[:1]
    assert without.lookups["AccountId"].match is None


def test_the_record_a_lookup_creates_is_made_only_on_demand() -> None:
    mapping = _mapping(missing="create", create="account")
    records = desired_records(_contract("acme.com"), mapping, today=TODAY)
    assert [record.sobject for record in records] == ["Contract"]
    created = records[0].lookups["AccountId"].create
    assert created is not None
    assert (created.sobject, created.key) == ("Account", "ACC-1")


@pytest.mark.parametrize(
    ("lookup", "problem"),
    [
        ({"missing": "create"}, "'missing: create' and 'create: <object mapping>' go together"),
        ({"create": "account"}, "'missing: create' and 'create: <object mapping>' go together"),
        ({"match": {}}, "at least one 'match' field"),
        ({"match": {"Website": "{account.domain}", "Name": "x"}}, "exactly one field"),
        ({"ties": "random"}, "ties"),
        ({"missing": "create", "create": "obligation"}, "cycle"),
        ({"sobject": "Lead", "missing": "create", "create": "account"}, "creates 'account'"),
    ],
    ids=[
        "create-without-object",
        "object-without-create",
        "no-match",
        "domain-two-fields",
        "unknown-tie-rule",
        "create-a-child",
        "create-other-sobject",
    ],
)
def test_lookup_rules_are_validated(lookup: dict[str, Any], problem: str) -> None:
    with pytest.raises(MappingError, match=problem):
        _mapping(**lookup)


def test_an_object_made_on_demand_cannot_also_be_referenced() -> None:
    data = _mapping(missing="create", create="account").model_dump(
        by_alias=True, exclude_defaults=True
    )
    data["objects"][1]["references"] = {"Account": {"object": "account", "relationship": "Account"}}
    with pytest.raises(MappingError, match="creates only when nothing matches"):
        parse_mapping(data, source="test")


def _describer(client: OrgClient) -> Any:
    def describe(sobject: str) -> dict[str, Any] | None:
        try:
            return client.describe(sobject)
        except PermanentSyncError:
            return None

    return describe


def test_check_mapping_accepts_a_good_lookup_and_names_every_bad_one(org_client: OrgClient) -> None:
    describe = _describer(org_client)
    assert check_mapping(_mapping(), describe, org="sandbox") == []

    bad = _mapping(sobject="Nope__c").model_dump(by_alias=True, exclude_defaults=True)
    contract = bad["objects"][1]
    contract["lookups"]["Description"] = {"sobject": "Account", "match": {"Missing__c": "x"}}
    problems = [str(p) for p in check_mapping(parse_mapping(bad, source="t"), describe, org="o")]
    assert any("AccountId: is not a lookup to Nope__c" in p for p in problems), problems
    assert any("sObject 'Nope__c' does not exist" in p for p in problems), problems
    assert any("Description: is not a lookup to Account" in p for p in problems), problems
    assert any("Account.Missing__c, which does not exist" in p for p in problems), problems
