"""The Metadata API SOAP endpoint: ``POST /services/Soap/m/{version}[/...]``.

simple-salesforce posts ``deploy`` to ``.../deployRequest`` and ``checkDeployStatus`` to
``.../deployRequest/{asyncId}`` with the session in ``SessionHeader`` (and a Bearer header);
the zeep client behind ``sf.mdapi`` posts to the bare URL. The operation is the body's first
element, whatever the path (salesforce-api.md 9.2). Refusals are SOAP faults with HTTP 500,
like the partner ``login`` faults of ``_auth``.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import xml.etree.ElementTree as ET
from collections.abc import Awaitable, Callable
from html import escape
from typing import Protocol

from starlette.requests import Request
from starlette.responses import Response

from ._auth import Sessions, bearer_token
from ._errors import SalesforceError
from ._metadata_apply import DeployOptions
from ._metadata_deploy import Deployments, UnknownDeployError, deploy_result_xml
from ._metadata_listing import describe_metadata_xml, list_metadata_xml
from ._metadata_xml import METADATA_NS, XmlError, child, child_text, children, parse_xml
from ._org import Org

__all__ = ["MetadataSoap", "metadata_endpoint"]

_SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/"
_MAX_REQUEST = 52_428_800  # "Maximum size of request is 52428800 bytes"
_OLDEST_VERSION = 31.0
_TEST_LEVELS = frozenset(
    {"NoTestRun", "RunSpecifiedTests", "RunLocalTests", "RunAllTestsInOrg", "RunRelevantTests"}
)
_UNIMPLEMENTED = frozenset(
    {
        "retrieve",
        "checkRetrieveStatus",
        "readMetadata",
        "createMetadata",
        "updateMetadata",
        "upsertMetadata",
        "deleteMetadata",
        "renameMetadata",
        "describeValueType",
        "deployRecentValidation",
        "checkDeployStatusWithoutDetails",
    }
)


class _SoapFaultError(Exception):
    """A SOAP fault: ``sf:`` codes carry an UnexpectedErrorFault detail, client faults none."""

    def __init__(self, code: str, message: str, *, client: bool = False) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.client = client

    def envelope(self) -> str:
        if self.client:
            message = escape(self.message, quote=False)
            fault = f"<faultcode>soapenv:Client</faultcode><faultstring>{message}</faultstring>"
        else:
            fault = (
                f"<faultcode>sf:{self.code}</faultcode>"
                f"<faultstring>{self.code}: {escape(self.message, quote=False)}</faultstring>"
                '<detail><sf:UnexpectedErrorFault xsi:type="sf:UnexpectedErrorFault">'
                f"<sf:exceptionCode>{self.code}</sf:exceptionCode>"
                f"<sf:exceptionMessage>{escape(self.message, quote=False)}</sf:exceptionMessage>"
                "</sf:UnexpectedErrorFault></detail>"
            )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>'
            f'<soapenv:Envelope xmlns:soapenv="{_SOAP_NS}" xmlns:sf="{METADATA_NS}"'
            ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<soapenv:Body><soapenv:Fault>{fault}</soapenv:Fault></soapenv:Body>"
            "</soapenv:Envelope>"
        )


def _response(operation: str, result: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<soapenv:Envelope xmlns:soapenv="{_SOAP_NS}" xmlns="{METADATA_NS}"'
        ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<soapenv:Body><{operation}Response>{result}</{operation}Response></soapenv:Body>"
        "</soapenv:Envelope>"
    )


def _boolean(element: ET.Element, name: str, default: bool) -> bool:
    text = child_text(element, name)
    if text is None:
        return default
    # simple-salesforce formats Python booleans ("False"); real orgs accept any case.
    if text.lower() not in ("true", "false", "1", "0"):
        raise _SoapFaultError("", f"Unable to parse '{text}' as a boolean for {name}", client=True)
    return text.lower() in ("true", "1")


class MetadataSoap:
    """The Metadata API of one org; ``handle`` is the Starlette endpoint."""

    def __init__(self, org: Org, sessions: Sessions, api_version: str) -> None:
        self._org = org
        self._sessions = sessions
        self._latest = float(api_version)
        self.deployments = Deployments(org)

    async def handle(self, request: Request) -> Response:
        try:
            answer = await self._answer(request)
        except _SoapFaultError as fault:
            return Response(
                fault.envelope().encode(), status_code=500, media_type="text/xml;charset=UTF-8"
            )
        return Response(answer.encode(), media_type="text/xml;charset=UTF-8")

    async def _answer(self, request: Request) -> str:
        version = request.path_params.get("rest", "").split("/", 1)[0]
        try:
            number = float(version)
        except ValueError:
            number = 0.0
        if not _OLDEST_VERSION <= number <= self._latest:
            raise _SoapFaultError(
                "UNSUPPORTED_API_VERSION", f"Invalid Api version specified on URL: {version}"
            )
        declared = request.headers.get("content-length", "0")
        if declared.isdigit() and int(declared) > _MAX_REQUEST:
            raise _SoapFaultError(
                "",
                "Maximum size of request reached. Maximum size of request is"
                f" {_MAX_REQUEST} bytes.",
                client=True,
            )
        body = await request.body()
        try:
            envelope = parse_xml(body, max_bytes=_MAX_REQUEST).root
        except XmlError as bad:
            raise _SoapFaultError("", str(bad), client=True) from None
        soap_body = child(envelope, "Body")
        operation = next(iter(soap_body), None) if soap_body is not None else None
        if envelope.tag != f"{{{_SOAP_NS}}}Envelope" or operation is None:
            raise _SoapFaultError("", "Unable to find a SOAP Body with an operation", client=True)
        user_id = self._user(envelope, request)
        name = operation.tag.rsplit("}", 1)[-1]
        handler = (
            self._operations().get(name) if operation.tag.startswith(f"{{{METADATA_NS}}}") else None
        )
        if handler is None:
            if name in _UNIMPLEMENTED:
                raise _SoapFaultError(
                    "UNKNOWN_EXCEPTION", f"{name} is not implemented by this sandbox org"
                )
            raise _SoapFaultError(
                "",
                f"No operation available for request {operation.tag}, please check the WSDL for"
                " the service.",
                client=True,
            )
        return _response(name, handler(operation, user_id))

    def _operations(self) -> dict[str, Callable[[ET.Element, str], str]]:
        return {
            "deploy": self._deploy,
            "checkDeployStatus": self._check_deploy_status,
            "cancelDeploy": self._cancel_deploy,
            "describeMetadata": lambda _op, _user: describe_metadata_xml(self._latest),
            "listMetadata": lambda op, _user: list_metadata_xml(self._org, op),
        }

    def _user(self, envelope: ET.Element, request: Request) -> str:
        """The session's user: ``SessionHeader/sessionId`` first, else the Bearer header."""
        header = child(envelope, "Header")
        session = child(header, "SessionHeader") if header is not None else None
        token = child_text(session, "sessionId") if session is not None else None
        token = token or bearer_token(request.headers)
        try:
            if not token:
                raise SalesforceError.of(401, "INVALID_SESSION_ID", "missing session")
            return self._sessions.user_for(token)
        except SalesforceError:
            raise _SoapFaultError(
                "INVALID_SESSION_ID", "Invalid Session ID found in SessionHeader: Illegal Session"
            ) from None

    def _deploy(self, operation: ET.Element, user_id: str) -> str:
        encoded = "".join((child_text(operation, "ZipFile") or "").split())
        try:
            zip_bytes = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            raise _SoapFaultError(
                "", "Unable to parse ZipFile: invalid base64 content", client=True
            ) from None
        options_element = child(operation, "DeployOptions")
        if options_element is None:
            options_element = ET.Element("DeployOptions")
        test_level = child_text(options_element, "testLevel")
        if test_level is not None and test_level not in _TEST_LEVELS:
            raise _SoapFaultError(
                "", f"'{test_level}' is not a valid value for the enum 'TestLevel'", client=True
            )
        options = DeployOptions(
            check_only=_boolean(options_element, "checkOnly", False),
            rollback_on_error=_boolean(options_element, "rollbackOnError", True),
            single_package=_boolean(options_element, "singlePackage", False),
            allow_missing_files=_boolean(options_element, "allowMissingFiles", False),
            ignore_warnings=_boolean(options_element, "ignoreWarnings", False),
            test_level=test_level,
            run_tests=tuple(
                (t.text or "").strip() for t in children(options_element, "runTests") if t.text
            ),
        )
        deploy_id = self.deployments.queue(zip_bytes, options, user_id)
        # A real org works through its deploy queue on its own: run it once this
        # response is out. checkDeployStatus also runs a request it finds still queued.
        asyncio.get_running_loop().call_soon(self.deployments.run, deploy_id)
        return f"<result><done>false</done><id>{deploy_id}</id><state>Queued</state></result>"

    def _deploy_id(self, operation: ET.Element, element: str = "asyncProcessId") -> str:
        deploy_id = child_text(operation, element) or ""
        try:
            self.deployments.record(deploy_id)
        except UnknownDeployError:
            raise _SoapFaultError(
                "INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id"
            ) from None
        return deploy_id

    def _check_deploy_status(self, operation: ET.Element, _user_id: str) -> str:
        deploy_id = self._deploy_id(operation)
        self.deployments.run(deploy_id)
        include = _boolean(operation, "includeDetails", False)
        return deploy_result_xml(self.deployments.record(deploy_id), include_details=include)

    def _cancel_deploy(self, operation: ET.Element, _user_id: str) -> str:
        # The Metadata WSDL names cancelDeploy's one parameter "String".
        deploy_id = self._deploy_id(operation, "String")
        if not self.deployments.cancel(deploy_id):
            raise _SoapFaultError("INVALID_ID_FIELD", "Deployment already completed")
        record = self.deployments.record(deploy_id)
        return f"<result><done>true</done><id>{record['id']}</id></result>"


class _OrgState(Protocol):
    """The parts of the app's state the Metadata API needs (``_app.AppState``)."""

    org: Org
    sessions: Sessions
    api_version: str


def metadata_endpoint(state: _OrgState) -> Callable[[Request], Awaitable[Response]]:
    """The Starlette endpoint for ``/services/Soap/m/{rest:path}``."""
    return MetadataSoap(state.org, state.sessions, state.api_version).handle
