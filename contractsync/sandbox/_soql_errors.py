"""SOQL errors with the codes and wording Salesforce's REST API returns for them."""

from __future__ import annotations

# Salesforce quotes the offending row around the error position, not the whole statement.
# Messages from real orgs fit 30 characters before the error and 33 after its start, widened
# to whole words: "CreatedById,OCE__ActualCap__c,TPI_Product__c,Name,OCE__JobId__c"
# around Row:1:Column:114, "Account.Phone, ..., Account.ShippingCity" around Column:486.
_BEFORE = 30
_AFTER = 33
_WORD_BREAKS = frozenset(" \t\r\n,()")


class SoqlError(Exception):
    """A query Salesforce would refuse, with its ``errorCode`` and ``message``.

    The server answers 400 with ``[{"message": error.message, "errorCode": error.error_code}]``.
    """

    def __init__(self, error_code: str, message: str) -> None:
        super().__init__(message)
        self.error_code = error_code
        self.message = message

    def __reduce__(self) -> tuple[type[SoqlError], tuple[str, str]]:
        return (type(self), (self.error_code, self.message))

    def __str__(self) -> str:
        return f"{self.error_code}: {self.message}"

    @classmethod
    def at(cls, text: str, position: int, error_code: str, detail: str) -> SoqlError:
        """An error pointing at ``position`` of the statement, the way Salesforce words it:
        ``"\\n<row excerpt>\\n<spaces>^\\nERROR at Row:r:Column:c\\n<detail>"``."""
        return cls(error_code, _located(text, position, detail))


def _located(text: str, position: int, detail: str) -> str:
    line_start = text.rfind("\n", 0, position) + 1
    line_end = text.find("\n", position)
    if line_end == -1:
        line_end = len(text)
    row = text.count("\n", 0, position) + 1
    column = position - line_start
    start = max(line_start, position - _BEFORE)
    while start > line_start and text[start - 1] not in _WORD_BREAKS:
        start -= 1
    end = min(line_end, position + _AFTER)
    while end < line_end and text[end] not in _WORD_BREAKS:
        end += 1
    excerpt = text[start:end]
    caret = " " * (position - start) + "^"
    return f"\n{excerpt}\n{caret}\nERROR at Row:{row}:Column:{column + 1}\n{detail}"


def unexpected_token(text: str, position: int, token_text: str | None) -> SoqlError:
    """MALFORMED_QUERY for a token the grammar does not allow where it stands.

    At the end of the statement Salesforce has no position to show and answers the bare
    ``unexpected token: '<EOF>'`` (seen in SOAP faults of real orgs).
    """
    if token_text is None:
        return SoqlError("MALFORMED_QUERY", "unexpected token: '<EOF>'")
    return SoqlError.at(text, position, "MALFORMED_QUERY", f"unexpected token: '{token_text}'")
