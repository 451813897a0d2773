"""check_mapping against a real describe (the sandbox org): every class of problem at once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from contractsync.errors import PermanentSyncError
from contractsync.mapping import (
    Mapping,
    MappingProblem,
    check_mapping,
    default_mapping_path,
    load_mapping,
    parse_mapping,
)
from contractsync.salesforce import OrgClient


def _describer(client: OrgClient) -> Any:
    def describe(sobject: str) -> dict[str, Any] | None:
        try:
            return client.describe(sobject)
        except PermanentSyncError:
            return None

    return describe


def _with(mapping: Mapping, object_name: str, **changes: Any) -> Mapping:
    data = mapping.model_dump(by_alias=True, exclude_defaults=True)
    for obj in data["objects"]:
        if obj["name"] == object_name:
            for key, value in changes.items():
                if key == "fields":
                    obj.setdefault("fields", {}).update(value)
                else:
                    obj[key] = value
    return parse_mapping(data, source="test")


def test_the_default_mapping_checks_clean_once_the_package_is_installed(
    org_client: OrgClient,
) -> None:
    mapping = load_mapping(default_mapping_path())
    assert check_mapping(mapping, _describer(org_client), org="sandbox") == []


CASES = yaml.safe_load(
    (Path(__file__).resolve().parents[1] / "cases" / "mappings" / "problems.yaml").read_text(
        encoding="utf-8"
    )
)
PROBLEMS = [
    pytest.param(case["object"], case["changes"], case["field"], case["problem"], id=name)
    for name, case in CASES.items()
]


@pytest.mark.parametrize(("object_name", "changes", "field", "problem"), PROBLEMS)
def test_each_class_of_problem_is_named_with_its_fix(
    org_client: OrgClient,
    object_name: str,
    changes: dict[str, Any],
    field: str | None,
    problem: str | None,
) -> None:
    mapping = _with(load_mapping(default_mapping_path()), object_name, **changes)
    problems = check_mapping(mapping, _describer(org_client), org="sandbox")
    if problem is None:
        assert problems == []
        return
    assert any(p.field == field and problem in p.problem and p.fix for p in problems), problems


def test_required_fields_the_mapping_never_sets_are_reported(org_client: OrgClient) -> None:
    data = load_mapping(default_mapping_path()).model_dump(by_alias=True, exclude_defaults=True)
    data["objects"][0]["fields"].pop("Name")
    problems = check_mapping(parse_mapping(data, source="t"), _describer(org_client), org="sandbox")
    assert [(p.object_name, p.field) for p in problems] == [("account", "Name")]
    assert "is required on Account" in problems[0].problem


def test_every_problem_is_listed_not_just_the_first(org_client: OrgClient) -> None:
    mapping = _with(
        load_mapping(default_mapping_path()),
        "contract",
        fields={
            "CS_Missing__c": {"from": "title"},
            "EndDate": {"from": "term_end", "transform": "date"},
            "Status": {"from": "status", "map": {"active": "Live"}},
        },
    )
    problems = check_mapping(mapping, _describer(org_client), org="emea")
    assert {p.field for p in problems} == {"CS_Missing__c", "EndDate", "Status"}
    assert all(isinstance(p, MappingProblem) for p in problems)
    assert "Create it in org 'emea'" in str(next(p for p in problems if p.field == "CS_Missing__c"))
