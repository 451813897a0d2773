"""Queries a real org refuses fail here with the same errorCode and message."""

from __future__ import annotations

import pytest
from test_soql_fake_org import FakeOrg, load_org, run

from contractsync.sandbox._soql import SoqlError

NO_SUCH_COLUMN = (
    "If you are attempting to use a custom field, be sure to append the '__c' after the custom "
    "field name. Please reference your WSDL or the describe call for the appropriate names."
)
CUSTOM_RELATIONSHIP = (
    "If you are attempting to use a custom relationship, be sure to append the '__r' after the "
    "custom relationship name. Please reference your WSDL or the describe call for the "
    "appropriate names."
)


def located(row_text: str, caret: int, row: int, column: int, detail: str) -> str:
    return f"\n{row_text}\n{' ' * caret}^\nERROR at Row:{row}:Column:{column}\n{detail}"


ERROR_CASES = [
    (
        "SELECT Id, Foo__c FROM Contract",
        "INVALID_FIELD",
        located(
            "SELECT Id, Foo__c FROM Contract",
            11,
            1,
            12,
            f"No such column 'Foo__c' on entity 'Contract'. {NO_SUCH_COLUMN}",
        ),
        "unknown-field",
    ),
    (
        "SELECT Id FROM Foo__c",
        "INVALID_TYPE",
        located(
            "SELECT Id FROM Foo__c",
            15,
            1,
            16,
            "sObject type 'Foo__c' is not supported. If you are attempting to use a custom "
            "object, be sure to append the '__c' after the entity name. Please reference your "
            "WSDL or the describe call for the appropriate names.",
        ),
        "unknown-object",
    ),
    (
        "SELECT Id, Account.Nme FROM Contract",
        "INVALID_FIELD",
        located(
            "SELECT Id, Account.Nme FROM Contract",
            19,
            1,
            20,
            f"No such column 'Nme' on entity 'Account'. {NO_SUCH_COLUMN}",
        ),
        "unknown-parent-field",
    ),
    (
        "SELECT Id, Acount.Name FROM Contract",
        "INVALID_FIELD",
        located(
            "SELECT Id, Acount.Name FROM Contract",
            11,
            1,
            12,
            f"Didn't understand relationship 'Acount' in field path. {CUSTOM_RELATIONSHIP}",
        ),
        "unknown-relationship",
    ),
    (
        "SELECT Id FROM Contract WHERE Account.Ownr.Name = 'x'",
        "INVALID_FIELD",
        located(
            "Id FROM Contract WHERE Account.Ownr.Name = 'x'",
            31,
            1,
            39,
            f"Didn't understand relationship 'Ownr' in field path. {CUSTOM_RELATIONSHIP}",
        ),
        "unknown-relationship-in-where",
    ),
    (
        "SELECT Id, (SELECT Id FROM Contactz) FROM Account",
        "INVALID_TYPE",
        located(
            "SELECT Id, (SELECT Id FROM Contactz) FROM Account",
            27,
            1,
            28,
            "Didn't understand relationship 'Contactz' in FROM part of query call. "
            + CUSTOM_RELATIONSHIP,
        ),
        "unknown-child-relationship",
    ),
    (
        "SELECT Id FROM Contract ORDER BY Nam",
        "INVALID_FIELD",
        located(
            "SELECT Id FROM Contract ORDER BY Nam",
            33,
            1,
            34,
            f"No such column 'Nam' on entity 'Contract'. {NO_SUCH_COLUMN}",
        ),
        "unknown-order-by-field",
    ),
    (
        "SELECT Id FROM Contract WHERE Status = 'A' AND Name = 'x' OR Name = 'y'",
        "MALFORMED_QUERY",
        located(
            "WHERE Status = 'A' AND Name = 'x' OR Name = 'y'", 34, 1, 59, "unexpected token: 'OR'"
        ),
        "and-then-or-without-parentheses",
    ),
    (
        "SELECT Id FROM Contract WHERE Name = 'x' OR Name = 'y' AND Status = 'A'",
        "MALFORMED_QUERY",
        located(
            "WHERE Name = 'x' OR Name = 'y' AND Status = 'A'",
            31,
            1,
            56,
            "unexpected token: 'AND'",
        ),
        "or-then-and-without-parentheses",
    ),
    (
        "SELECT Id FROM Contract WHERE Name != null AND NOT (Amount__c > 0)",
        "MALFORMED_QUERY",
        located(
            "Contract WHERE Name != null AND NOT (Amount__c > 0)",
            32,
            1,
            48,
            "unexpected token: 'NOT'",
        ),
        "not-after-and",
    ),
    (
        "SELECT Id FROM Contract WHERE",
        "MALFORMED_QUERY",
        "unexpected token: '<EOF>'",
        "end-of-statement",
    ),
    (
        "SELECT Id, FROM Contract",
        "MALFORMED_QUERY",
        located("SELECT Id, FROM Contract", 11, 1, 12, "unexpected token: 'FROM'"),
        "keyword-as-field",
    ),
    (
        "SELECT Id FROM Contract -- every contract",
        "MALFORMED_QUERY",
        located("SELECT Id FROM Contract -- every contract", 24, 1, 25, "unexpected token: '-'"),
        "line-comment",
    ),
    (
        "SELECT Id FROM Contract /* every contract */",
        "MALFORMED_QUERY",
        located("SELECT Id FROM Contract /* every contract */", 24, 1, 25, "unexpected token: '/'"),
        "block-comment",
    ),
    (
        "SELECT Id FROM Contract c",
        "MALFORMED_QUERY",
        located("SELECT Id FROM Contract c", 24, 1, 25, "unexpected token: 'c'"),
        "object-alias",
    ),
    (
        "SELECT Id FROM Contract WHERE Status = Draft",
        "MALFORMED_QUERY",
        located("Id FROM Contract WHERE Status = Draft", 32, 1, 40, "unexpected token: 'Draft'"),
        "unquoted-string",
    ),
    (
        'SELECT Id FROM Contract WHERE Name = "x"',
        "MALFORMED_QUERY",
        located('Id FROM Contract WHERE Name = "x"', 30, 1, 38, "unexpected token: '\"'"),
        "double-quotes",
    ),
    (
        "SELECT Id FROM Contract WHERE Name IN ()",
        "MALFORMED_QUERY",
        located("Id FROM Contract WHERE Name IN ()", 32, 1, 40, "unexpected token: ')'"),
        "empty-in-list",
    ),
    (
        "SELECT Id FROM Contract WHERE Name LIKE null",
        "MALFORMED_QUERY",
        located("FROM Contract WHERE Name LIKE null", 30, 1, 41, "unexpected token: 'null'"),
        "like-null",
    ),
    (
        "SELECT Id FROM Contract WHERE Name = 'abc",
        "MALFORMED_QUERY",
        "unexpected token: '<EOF>'",
        "unterminated-string",
    ),
    (
        "SELECT Id FROM Contract WHERE Name = 'a\\d'",
        "MALFORMED_QUERY",
        located(
            "Id FROM Contract WHERE Name = 'a\\d'",
            30,
            1,
            38,
            "Illegal character sequence '\\d' in string literal.",
        ),
        "illegal-escape",
    ),
    (
        "SELECT Id FROM Contract WHERE StartDate > 2025-13-01",
        "MALFORMED_QUERY",
        located(
            "FROM Contract WHERE StartDate > 2025-13-01", 32, 1, 43, "Invalid date: 2025-13-01"
        ),
        "invalid-date",
    ),
    (
        "SELECT Id FROM Account WHERE SystemModstamp > 2020-12-12t12:12:00-25:00",
        "MALFORMED_QUERY",
        located(
            "Account WHERE SystemModstamp > 2020-12-12t12:12:00-25:00",
            31,
            1,
            47,
            "Invalid datetime: 2020-12-12t12:12:00-25:00",
        ),
        "invalid-datetime-offset",
    ),
    (
        "SELECT Id FROM Contract WHERE SystemModstamp > 2025-01-01T00:00:00",
        "MALFORMED_QUERY",
        located(
            "Contract WHERE SystemModstamp > 2025-01-01T00:00:00",
            32,
            1,
            48,
            "Invalid datetime: 2025-01-01T00:00:00",
        ),
        "datetime-without-zone",
    ),
    (
        "SELECT Id FROM Contract WHERE Id = 'ZZZ'",
        "INVALID_QUERY_FILTER_OPERATOR",
        located("SELECT Id FROM Contract WHERE Id = 'ZZZ'", 30, 1, 31, "invalid ID field: ZZZ"),
        "invalid-id",
    ),
    (
        "SELECT Id FROM Contract WHERE AccountId IN ('0015f0Xy000001qACA', '001')",
        "INVALID_QUERY_FILTER_OPERATOR",
        located(
            "SELECT Id FROM Contract WHERE AccountId IN ('0015f0Xy000001qACA'",
            30,
            1,
            31,
            "invalid ID field: 001",
        ),
        "invalid-id-in-list",
    ),
    (
        "SELECT Id FROM Contract WHERE Amount__c = '5'",
        "INVALID_FIELD",
        located(
            "FROM Contract WHERE Amount__c = '5'",
            32,
            1,
            43,
            "value of filter criterion for field 'Amount__c' must be of type double and "
            "should not be enclosed in quotes",
        ),
        "quoted-number",
    ),
    (
        "SELECT Id FROM Contract WHERE name = 5",
        "INVALID_FIELD",
        located(
            "Id FROM Contract WHERE name = 5",
            30,
            1,
            38,
            "value of filter criterion for field 'Name' must be of type string and should "
            "be enclosed in quotes",
        ),
        "unquoted-string-value",
    ),
    (
        "SELECT Id FROM Contract WHERE StartDate = 2025-01-01T00:00:00Z",
        "INVALID_FIELD",
        located(
            "FROM Contract WHERE StartDate = 2025-01-01T00:00:00Z",
            32,
            1,
            43,
            "value of filter criterion for field 'StartDate' must be of type date and should "
            "not be enclosed in quotes",
        ),
        "datetime-on-date-field",
    ),
    (
        "SELECT Id FROM Contract WHERE SystemModstamp > 2025-01-01",
        "INVALID_FIELD",
        located(
            "Contract WHERE SystemModstamp > 2025-01-01",
            32,
            1,
            48,
            "value of filter criterion for field 'SystemModstamp' must be of type dateTime "
            "and should not be enclosed in quotes",
        ),
        "date-on-datetime-field",
    ),
    (
        "SELECT Id FROM Contract WHERE EndDate = '2025-01-01'",
        "INVALID_FIELD",
        located(
            "FROM Contract WHERE EndDate = '2025-01-01'",
            30,
            1,
            41,
            "value of filter criterion for field 'EndDate' must be of type date and should "
            "not be enclosed in quotes",
        ),
        "quoted-date",
    ),
    (
        "SELECT Id FROM Contract WHERE Is_Auto_Renew__c = 'true'",
        "INVALID_FIELD",
        located(
            "Contract WHERE Is_Auto_Renew__c = 'true'",
            34,
            1,
            50,
            "value of filter criterion for field 'Is_Auto_Renew__c' must be of type boolean "
            "and should not be enclosed in quotes",
        ),
        "quoted-boolean",
    ),
    (
        "SELECT Id FROM Contract WHERE Name = TODAY",
        "INVALID_FIELD",
        located(
            "Id FROM Contract WHERE Name = TODAY",
            30,
            1,
            38,
            "value of filter criterion for field 'Name' must be of type string and should "
            "be enclosed in quotes",
        ),
        "date-literal-on-text",
    ),
    (
        "SELECT Id FROM Contract WHERE Amount__c LIKE '5%'",
        "INVALID_QUERY_FILTER_OPERATOR",
        located(
            "SELECT Id FROM Contract WHERE Amount__c LIKE '5%'",
            30,
            1,
            31,
            "invalid operator on currency field",
        ),
        "like-on-number",
    ),
    (
        "SELECT Id FROM Contract WHERE Is_Auto_Renew__c > true",
        "INVALID_QUERY_FILTER_OPERATOR",
        located(
            "SELECT Id FROM Contract WHERE Is_Auto_Renew__c > true",
            30,
            1,
            31,
            "invalid operator on boolean field",
        ),
        "range-on-boolean",
    ),
    (
        "SELECT Id FROM Contract WHERE Status INCLUDES ('Draft')",
        "INVALID_QUERY_FILTER_OPERATOR",
        located(
            "SELECT Id FROM Contract WHERE Status INCLUDES ('Draft')",
            30,
            1,
            31,
            "includes or excludes operator only valid on multipicklist field",
        ),
        "includes-on-picklist",
    ),
    (
        "SELECT Id, Name, ID FROM Contract",
        "INVALID_FIELD",
        "duplicate field selected: ID",
        "duplicate-field",
    ),
    (
        "SELECT Account.Name, account.NAME FROM Contract",
        "INVALID_FIELD",
        "duplicate field selected: account.NAME",
        "duplicate-parent-field",
    ),
    (
        "SELECT Name, COUNT(Id) FROM Contract",
        "MALFORMED_QUERY",
        located(
            "SELECT Name, COUNT(Id) FROM Contract",
            7,
            1,
            8,
            "Field must be grouped or aggregated: Name",
        ),
        "field-beside-aggregate",
    ),
    (
        "SELECT Id FROM Contract OFFSET 2001",
        "NUMBER_OUTSIDE_VALID_RANGE",
        "Maximum SOQL offset allowed for apiName Contract is 2000",
        "offset-over-2000",
    ),
    (
        "SELECT Id\nFROM Contract\nWHERE Name = 'a' AND Status = 'b' OR Id = null",
        "MALFORMED_QUERY",
        located(
            "WHERE Name = 'a' AND Status = 'b' OR Id = null", 34, 3, 35, "unexpected token: 'OR'"
        ),
        "multi-line-row-and-column",
    ),
]


@pytest.fixture
def org() -> FakeOrg:
    return load_org()


@pytest.mark.parametrize(
    ("soql", "error_code", "message"),
    [case[:3] for case in ERROR_CASES],
    ids=[case[3] for case in ERROR_CASES],
)
def test_refused_queries_fail_as_salesforce_fails_them(
    org: FakeOrg, soql: str, error_code: str, message: str
) -> None:
    with pytest.raises(SoqlError) as raised:
        run(org, soql)
    assert (raised.value.error_code, raised.value.message) == (error_code, message)


def wide_org() -> FakeOrg:
    """Objects with enough fields to make long statements like the ones orgs quoted."""
    filler = [f"F{n:02d}__c" for n in range(60)]
    plan_fields = [*filler, "Id", "CreatedById", "OCE__ActualCap__c", "Name", "OCE__JobId__c"]
    plan_fields.append("P" * 69 + "__c")
    account_fields = ["Id", "Name", "Phone", "Rating", "ShippingCity"]
    field = {"reference_to": [], "relationship_name": None}
    return FakeOrg(
        {
            "objects": {
                "OCE__ActivityPlan__c": {
                    "fields": [{"name": n, "type": "string", **field} for n in plan_fields]
                },
                "Account": {
                    "fields": [{"name": n, "type": "string", **field} for n in account_fields]
                },
                "Contact": {
                    "fields": [
                        *({"name": n, "type": "string", **field} for n in filler),
                        {
                            "name": "AccountId",
                            "type": "reference",
                            "reference_to": ["Account"],
                            "relationship_name": "Account",
                        },
                    ]
                },
            },
            "records": {},
        }
    )


def test_long_rows_are_quoted_around_the_error_like_a_real_org() -> None:
    # A real INVALID_FIELD for TPI_Product__c at Row:1:Column:114 quoted exactly this window.
    prefix = "SELECT Id," + "P" * 69 + "__c,"
    assert len(prefix) == 83
    soql = (
        prefix + "CreatedById,OCE__ActualCap__c,TPI_Product__c,Name,OCE__JobId__c,F12__c "
        "FROM OCE__ActivityPlan__c"
    )
    with pytest.raises(SoqlError) as raised:
        run(wide_org(), soql)
    assert raised.value.message == (
        "\nCreatedById,OCE__ActualCap__c,TPI_Product__c,Name,OCE__JobId__c\n"
        "                              ^\nERROR at Row:1:Column:114\n"
        "No such column 'TPI_Product__c' on entity 'OCE__ActivityPlan__c'. " + NO_SUCH_COLUMN
    )


def test_windows_widen_to_whole_words() -> None:
    # Another real one: Account.RecordTypeId at Column:486 of a long Contact query.
    fields = ", ".join(f"F{n:02d}__c" for n in range(50))
    head = f"SELECT {fields}, "
    head = head + " " * (446 - len(head))
    soql = (
        head + "Account.Phone, Account.Rating, Account.RecordTypeId, Account.ShippingCity, "
        "F51__c FROM Contact"
    )
    with pytest.raises(SoqlError) as raised:
        run(wide_org(), soql)
    excerpt, caret, position, _ = raised.value.message.split("\n")[1:5]
    assert excerpt == "Account.Phone, Account.Rating, Account.RecordTypeId, Account.ShippingCity"
    assert caret == " " * 39 + "^"
    assert position == "ERROR at Row:1:Column:486"
