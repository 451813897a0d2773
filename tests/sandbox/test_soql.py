"""The sandbox org's SOQL engine answers queries the way Salesforce's REST API does."""

from __future__ import annotations

import datetime as dt
import pickle

import pytest
from test_soql_fake_org import NOW, FakeOrg, load_org, run

from contractsync.sandbox import _soql
from contractsync.sandbox._soql import SoqlError, parse_soql


@pytest.fixture
def org() -> FakeOrg:
    return load_org()


def tags(org: FakeOrg, records: list[dict[str, object]]) -> list[str]:
    by_id = {record_id: tag for tag, record_id in org.ids.items()}
    return [by_id[str(record["Id"])] for record in records]


def test_the_public_names_are_the_ones_the_server_imports() -> None:
    assert sorted(_soql.__all__) == sorted(
        [
            "MAX_OFFSET",
            "FieldInfo",
            "RecordSource",
            "SchemaView",
            "SelectQuery",
            "SoqlError",
            "SoqlResult",
            "execute_soql",
            "parse_soql",
            "soql_quote",
        ]
    )


def test_records_have_attributes_and_canonical_field_names(org: FakeOrg) -> None:
    result = run(org, "select id, NAME, ext_id__C from contract where ext_id__c = 'C-1'")
    assert result.total_size == 1
    assert result.records == [
        {
            "attributes": {
                "type": "Contract",
                "url": f"/services/data/v59.0/sobjects/Contract/{org.ids['C1']}",
            },
            "Id": org.ids["C1"],
            "Name": "Renewal Acme 2025",
            "Ext_Id__c": "C-1",
        }
    ]


def test_the_api_version_is_a_parameter(org: FakeOrg) -> None:
    query = parse_soql("SELECT Id FROM Contract WHERE Ext_Id__c = 'C-1'")
    result = _soql.execute_soql(query, org, org, now=NOW, api_version="62.0")
    assert result.records[0]["attributes"]["url"].startswith("/services/data/v62.0/sobjects/")


def test_keywords_and_object_names_are_case_insensitive(org: FakeOrg) -> None:
    result = run(org, "SeLeCt Id FrOm CONTRACT wHeRe Status = 'draft' OrDeR bY Name LiMiT 1")
    assert tags(org, result.records) == ["C3"]


def test_field_order_follows_the_select_list(org: FakeOrg) -> None:
    record = run(org, "SELECT Status, Id, Name FROM Contract LIMIT 1").records[0]
    assert list(record) == ["attributes", "Status", "Id", "Name"]


def test_parent_fields_nest_under_the_relationship_name(org: FakeOrg) -> None:
    result = run(
        org,
        "SELECT Id, account.name, Account.Industry, Account.Owner.Email FROM Contract "
        "WHERE Ext_Id__c = 'C-1'",
    )
    assert result.records[0]["Account"] == {
        "attributes": {
            "type": "Account",
            "url": f"/services/data/v59.0/sobjects/Account/{org.ids['A1']}",
        },
        "Name": "Acme",
        "Industry": "Technology",
        "Owner": {
            "attributes": {
                "type": "User",
                "url": f"/services/data/v59.0/sobjects/User/{org.ids['U1']}",
            },
            "Email": "ada@example.com",
        },
    }


def test_an_empty_lookup_is_null(org: FakeOrg) -> None:
    result = run(org, "SELECT Id, Account.Name FROM Contract WHERE Name LIKE 'Master%'")
    assert result.records[0]["Account"] is None


def test_paths_run_five_relationships_deep(org: FakeOrg) -> None:
    soql = (
        "SELECT Account.Parent.Owner.Manager.Name, Account.Parent.Owner.Manager.Manager.Name "
        "FROM Contract WHERE Ext_Id__c = 'C-1'"
    )
    manager = run(org, soql).records[0]["Account"]["Parent"]["Owner"]["Manager"]
    assert manager["Name"] == "Bob Boss"
    assert manager["Manager"] is None


def test_a_path_may_start_with_its_own_object_name(org: FakeOrg) -> None:
    result = run(org, "SELECT Contract.Name FROM Contract WHERE Contract.Ext_Id__c = 'C-1'")
    assert result.records[0]["Name"] == "Renewal Acme 2025"


def test_child_subqueries_nest_children_or_null(org: FakeOrg) -> None:
    result = run(
        org,
        "SELECT Name, (SELECT LastName FROM contacts WHERE LastName != 'Cole' ORDER BY LastName "
        "DESC) FROM Account ORDER BY Name",
    )
    by_name = {record["Name"]: record for record in result.records}
    assert by_name["Globex"]["contacts"] is None
    assert by_name["acme Holdings"]["contacts"] is None
    acme = by_name["Acme"]["contacts"]
    assert acme["totalSize"] == 2
    assert acme["done"] is True
    assert [c["LastName"] for c in acme["records"]] == ["baker", "Archer"]
    assert acme["records"][0]["attributes"]["type"] == "Contact"


def test_child_subqueries_take_limit_and_parent_qualified_names(org: FakeOrg) -> None:
    result = run(
        org,
        "SELECT Id, (SELECT Id FROM Account.Contacts ORDER BY FirstName LIMIT 1) FROM Account "
        "WHERE Name = 'Acme'",
    )
    children = result.records[0]["Contacts"]
    assert children["totalSize"] == 1
    assert tags(org, children["records"]) == ["K1"]


def test_query_all_also_returns_deleted_children_and_rows(org: FakeOrg) -> None:
    soql = "SELECT Id, (SELECT Id FROM Contacts) FROM Account WHERE Name = 'Acme'"
    assert run(org, soql).records[0]["Contacts"]["totalSize"] == 2
    assert run(org, soql, include_deleted=True).records[0]["Contacts"]["totalSize"] == 3
    deleted = run(org, "SELECT Id FROM Contract WHERE IsDeleted = true", include_deleted=True)
    assert tags(org, deleted.records) == ["C5"]
    assert run(org, "SELECT Id FROM Contract WHERE IsDeleted = true").records == []


def test_count_answers_only_the_total(org: FakeOrg) -> None:
    result = run(org, "SELECT COUNT() FROM Contract WHERE Status = 'Draft'")
    assert (result.records, result.total_size) == ([], 2)
    assert run(org, "SELECT count() FROM Contract LIMIT 3").total_size == 3


def test_aggregates_answer_one_aggregate_result(org: FakeOrg) -> None:
    result = run(
        org,
        "SELECT COUNT(Id), COUNT(Amount__c) priced, SUM(Amount__c), MIN(Name), MAX(EndDate), "
        "AVG(ContractTerm), COUNT_DISTINCT(Status) FROM Contract",
    )
    assert result.total_size == 1
    assert result.records == [
        {
            "attributes": {"type": "AggregateResult"},
            "expr0": 4,
            "priced": 3,
            "expr1": 6250.5,
            "expr2": "Master 100%_deal",
            "expr3": "2026-06-17",
            "expr4": 12,
            "expr5": 3,
        }
    ]


# Each row: the WHERE clause, then the contracts it keeps, in stored order.
WHERE_CASES = [
    ("Status = 'DRAFT'", ["C1", "C3"], "string-equality-ignores-case"),
    ("Status != 'Draft'", ["C2", "C4"], "not-equal"),
    ("Status <> 'Draft'", ["C2", "C4"], "angle-not-equal"),
    ("Ext_Id__c = null", ["C3"], "equals-null"),
    ("Ext_Id__c != NULL", ["C1", "C2", "C4"], "not-null"),
    ("Ext_Id__c != 'C-1'", ["C2", "C3", "C4"], "not-equal-keeps-nulls"),
    ("Ext_Id__c IN ('C-1', 'c-2')", ["C1", "C2"], "in"),
    ("Ext_Id__c NOT IN ('C-1', 'C-2')", ["C3", "C4"], "not-in-keeps-nulls"),
    ("Ext_Id__c > 'C-1'", ["C2", "C4"], "string-range"),
    ("Name LIKE 'renewal%'", ["C1", "C2"], "like-prefix"),
    ("Name LIKE '%ACME%'", ["C1"], "like-contains-ignores-case"),
    ("Name LIKE 'renewal _lobex'", ["C2"], "like-underscore"),
    ("Name LIKE '%100\\%\\_%'", ["C3"], "like-escaped-wildcards"),
    ("Name LIKE '%100\\%x%'", [], "like-escaped-percent-is-literal"),
    ("Name = 'O\\'Brien \\\\ Partners'", ["C4"], "string-escapes"),
    ("Description = 'First line\\nsecond line'", ["C1"], "newline-escape"),
    ("Description LIKE 'first%'", ["C1"], "like-on-textarea"),
    ("Renewal_Regions__c INCLUDES ('apac')", ["C1"], "includes-one"),
    ("Renewal_Regions__c INCLUDES ('EMEA;APAC', 'AMER')", ["C1", "C2"], "includes-and-or"),
    ("Renewal_Regions__c EXCLUDES ('EMEA')", ["C2", "C3"], "excludes"),
    ("Renewal_Regions__c = 'APAC;EMEA'", ["C1"], "multipicklist-equals-set"),
    ("Is_Auto_Renew__c = TRUE", ["C1", "C4"], "boolean-true"),
    ("Is_Auto_Renew__c = false", ["C2", "C3"], "boolean-false"),
    ("Amount__c > 250.5", ["C1", "C4"], "currency-greater"),
    ("Amount__c >= 250.5", ["C1", "C2", "C4"], "currency-greater-or-equal"),
    ("Amount__c < 1000", ["C2"], "less-skips-nulls"),
    ("Amount__c <= 1000.00", ["C1", "C2"], "decimal-literal"),
    ("Discount__c = 10.5", ["C1"], "percent"),
    ("Amount__c > -1", ["C1", "C2", "C4"], "negative-number"),
    ("ContractTerm IN (12)", ["C1", "C2", "C4"], "int-in"),
    ("StartDate >= 2025-01-01", ["C1", "C4"], "date-literal"),
    ("StartDate = 2024-06-18", ["C2"], "date-equals"),
    ("SystemModstamp > 2025-06-18T00:00:00Z", ["C1", "C4"], "datetime-utc"),
    ("SystemModstamp > 2025-06-18T08:00:00+02:00", ["C1", "C4"], "datetime-positive-offset"),
    ("SystemModstamp < 2025-06-17T19:59:59-04:00", ["C3"], "datetime-negative-offset"),
    ("SystemModstamp = 2025-06-18T08:00:00.000Z", ["C1"], "datetime-millis"),
    ("EndDate = YESTERDAY", ["C2"], "yesterday-on-date"),
    ("StartDate = TODAY", ["C4"], "today-on-date"),
    ("SystemModstamp = TODAY", ["C1", "C4"], "today-on-datetime"),
    ("SystemModstamp < TODAY", ["C2", "C3"], "before-range"),
    ("SystemModstamp > YESTERDAY", ["C1", "C4"], "after-range"),
    ("EndDate <= TODAY", ["C2"], "up-to-range-end"),
    ("EndDate >= TOMORROW", ["C1", "C3", "C4"], "from-range-start"),
    ("EndDate != YESTERDAY", ["C1", "C3", "C4"], "outside-range"),
    ("EndDate = NEXT_N_DAYS:90", ["C3"], "next-n-days"),
    ("EndDate = NEXT_90_DAYS", ["C3"], "next-90-days"),
    ("SystemModstamp = LAST_N_DAYS:1", ["C1", "C2", "C4"], "last-n-days-includes-today"),
    ("SystemModstamp = LAST_N_DAYS:60", ["C1", "C2", "C3", "C4"], "last-n-days-wide"),
    ("EndDate = N_DAYS_AGO:1", ["C2"], "n-days-ago"),
    ("SystemModstamp = THIS_WEEK", ["C1", "C2", "C4"], "this-week-from-sunday"),
    ("SystemModstamp = LAST_MONTH", ["C3"], "last-month"),
    ("EndDate = THIS_YEAR", ["C1", "C2", "C3"], "this-year"),
    ("EndDate = NEXT_YEAR", ["C4"], "next-year"),
    ("StartDate = LAST_YEAR", ["C2"], "last-year"),
    ("EndDate = THIS_QUARTER", ["C2"], "this-quarter"),
    ("EndDate = NEXT_QUARTER", ["C3"], "next-quarter"),
    ("StartDate = LAST_N_MONTHS:6", ["C1"], "last-n-months-excludes-this-month"),
    ("EndDate IN (YESTERDAY, NEXT_QUARTER)", ["C2", "C3"], "date-literals-in-list"),
    ("Account.Name = 'acme'", ["C1", "C4"], "parent-field"),
    ("Account.Owner.Name LIKE 'bob%'", ["C2"], "grandparent-field"),
    ("Account.Name != 'Acme'", ["C2", "C3"], "parent-not-equal-keeps-empty-lookup"),
    ("Status = 'Draft' AND Amount__c = null", ["C3"], "and"),
    ("Status = 'Activated' OR Ext_Id__c = 'C-4'", ["C2", "C4"], "or"),
    ("Status = 'Draft' AND (Ext_Id__c = 'C-1' OR Ext_Id__c = null)", ["C1", "C3"], "and-or"),
    ("(Status = 'Draft' AND Ext_Id__c = 'C-1') OR Status = 'Activated'", ["C1", "C2"], "or-and"),
    ("NOT Status = 'Draft'", ["C2", "C4"], "not"),
    ("Amount__c > 0 AND (NOT Status = 'Draft')", ["C2", "C4"], "parenthesized-not"),
    ("NOT (Status = 'Draft' OR Amount__c > 1000)", ["C2"], "not-group"),
    ("((Ext_Id__c = 'C-2'))", ["C2"], "nested-parentheses"),
]


@pytest.mark.parametrize(
    ("where", "expected"), [c[:2] for c in WHERE_CASES], ids=[c[2] for c in WHERE_CASES]
)
def test_where_keeps_the_rows_salesforce_keeps(
    org: FakeOrg, where: str, expected: list[str]
) -> None:
    result = run(org, f"SELECT Id FROM Contract WHERE {where}")
    assert tags(org, result.records) == expected
    assert result.total_size == len(expected)


@pytest.mark.parametrize(
    "literal",
    ["{id18}", "{id15}", "{lower18}"],
    ids=["18-characters", "15-characters", "lower-cased-18-characters"],
)
def test_ids_match_in_any_of_their_spellings(org: FakeOrg, literal: str) -> None:
    id18 = org.ids["A1"]
    value = literal.format(id18=id18, id15=id18[:15], lower18=id18.lower())
    result = run(org, f"SELECT Id FROM Contract WHERE AccountId = '{value}' ORDER BY Id")
    assert tags(org, result.records) == ["C1", "C4"]
    by_id = run(org, f"SELECT Name FROM Account WHERE Id IN ('{value}')")
    assert [r["Name"] for r in by_id.records] == ["Acme"]


ORDER_CASES = [
    ("Name", ["C3", "C4", "C1", "C2"], "ascending-ignores-case"),
    ("Name DESC", ["C2", "C1", "C4", "C3"], "descending"),
    ("Amount__c", ["C3", "C2", "C1", "C4"], "nulls-first-by-default"),
    ("Amount__c NULLS LAST", ["C2", "C1", "C4", "C3"], "nulls-last"),
    ("Amount__c DESC", ["C3", "C4", "C1", "C2"], "descending-nulls-first-by-default"),
    ("Amount__c DESC NULLS LAST", ["C4", "C1", "C2", "C3"], "descending-nulls-last"),
    ("Status, Name DESC", ["C2", "C1", "C3", "C4"], "two-keys"),
    ("Is_Auto_Renew__c DESC, EndDate ASC", ["C1", "C4", "C2", "C3"], "boolean-then-date"),
    ("Account.Name NULLS LAST, SystemModstamp DESC", ["C4", "C1", "C2", "C3"], "parent-field"),
    ("ContractTerm, Ext_Id__c DESC", ["C3", "C4", "C2", "C1"], "ties-broken-by-second-key"),
]


@pytest.mark.parametrize(
    ("order", "expected"), [c[:2] for c in ORDER_CASES], ids=[c[2] for c in ORDER_CASES]
)
def test_order_by_sorts_the_way_salesforce_sorts(
    org: FakeOrg, order: str, expected: list[str]
) -> None:
    assert tags(org, run(org, f"SELECT Id FROM Contract ORDER BY {order}").records) == expected


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        ("LIMIT 2", ["C3", "C4"]),
        ("LIMIT 2 OFFSET 1", ["C4", "C1"]),
        ("OFFSET 3", ["C2"]),
        ("LIMIT 0", []),
        ("OFFSET 2000", []),
    ],
    ids=["limit", "limit-offset", "offset", "limit-zero", "offset-at-maximum"],
)
def test_limit_and_offset_page_the_sorted_rows(
    org: FakeOrg, clause: str, expected: list[str]
) -> None:
    result = run(org, f"SELECT Id FROM Contract ORDER BY Name {clause}")
    assert tags(org, result.records) == expected


def test_relative_dates_follow_now_not_the_wall_clock(org: FakeOrg) -> None:
    later = dt.datetime(2026, 6, 18, 1, 0, tzinfo=dt.UTC)
    result = run(org, "SELECT Id FROM Contract WHERE EndDate = YESTERDAY", now=later)
    assert tags(org, result.records) == ["C4"]


def test_now_is_read_in_utc(org: FakeOrg) -> None:
    tokyo = dt.timezone(dt.timedelta(hours=9))
    # 07:00 on the 19th in Tokyo is still the 18th in UTC.
    now = dt.datetime(2025, 6, 19, 7, 0, tzinfo=tokyo)
    result = run(org, "SELECT Id FROM Contract WHERE StartDate = TODAY", now=now)
    assert tags(org, result.records) == ["C4"]


def test_naive_now_is_refused(org: FakeOrg) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        run(org, "SELECT Id FROM Contract", now=dt.datetime(2025, 6, 18))  # noqa: DTZ001


def test_parent_records_are_fetched_once_per_query(org: FakeOrg) -> None:
    calls: list[tuple[str, str]] = []
    original = org.get

    def counting_get(sobject: str, record_id: str) -> object:
        calls.append((sobject, record_id))
        return original(sobject, record_id)

    org.get = counting_get  # type: ignore[method-assign]
    run(org, "SELECT Account.Name, Account.Industry FROM Contract WHERE Account.Name != null")
    assert len(calls) == len(set(calls))


def test_soql_errors_survive_pickling() -> None:
    error = SoqlError("MALFORMED_QUERY", "unexpected token: 'OR'")
    copy = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own bytes
    assert (copy.error_code, copy.message) == (error.error_code, error.message)
    assert str(copy) == "MALFORMED_QUERY: unexpected token: 'OR'"


def test_the_parse_tree_is_frozen() -> None:
    query = parse_soql("SELECT Id FROM Contract")
    with pytest.raises(AttributeError):
        query.limit = 5  # type: ignore[misc]
