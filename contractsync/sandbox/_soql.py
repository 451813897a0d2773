"""The sandbox org's SOQL engine: parse a statement, then run it over the org's records.

    query = parse_soql("SELECT Id, Account.Name FROM Contract WHERE Status = 'Draft'")
    result = execute_soql(query, schema, source, now=now)

Both raise ``SoqlError`` with Salesforce's ``errorCode`` and message for a query a real org
would refuse.
"""

from contractsync.sandbox._soql_ast import SelectQuery
from contractsync.sandbox._soql_errors import SoqlError
from contractsync.sandbox._soql_eval import MAX_OFFSET, SoqlResult, execute_soql
from contractsync.sandbox._soql_lexer import soql_quote
from contractsync.sandbox._soql_parser import parse_soql
from contractsync.sandbox._soql_protocols import FieldInfo, RecordSource, SchemaView

__all__ = [
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
