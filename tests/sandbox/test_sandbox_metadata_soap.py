"""The Metadata API's SOAP protocol, and the guards on what clients send it."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

import pytest
from metadata_support import (
    build_zip,
    check,
    deploy,
    fault,
    fields_only,
    manifest,
    soap,
)
from sandbox_support import Api, new_session

from contractsync.sandbox import SandboxOrg
from contractsync.sandbox._metadata_apply import DeployOptions
from contractsync.sandbox._metadata_deploy import Deployments, deploy_result_xml
from contractsync.sandbox._metadata_xml import UnsafeXmlError, XmlError, parse_xml
from contractsync.sandbox._metadata_zip import ZipLimits, ZipRefusedError, read_zip

_NS = {"mt": "http://soap.sforce.com/2006/04/metadata"}
_FIELD = (
    "<fields><fullName>Soap__c</fullName><label>S</label><length>9</length>"
    "<type>Text</type></fields>"
)


@pytest.fixture(scope="module")
def org() -> Iterator[SandboxOrg]:
    with SandboxOrg() as running:
        yield running


@pytest.fixture(scope="module")
def api(org: SandboxOrg) -> Iterator[Api]:
    session = new_session(org.info)
    yield Api(org.info, session)
    session.close()


def _files() -> dict[str, bytes | str]:
    return {
        "package.xml": manifest(CustomField=["Contract.Soap__c"]),
        "objects/Contract.object": fields_only(_FIELD),
    }


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        pytest.param("00D!bogus", "sf:INVALID_SESSION_ID", id="unknown-session"),
        pytest.param(None, "sf:INVALID_SESSION_ID", id="no-session"),
    ],
)
def test_session_is_required(api: Api, token: str | None, expected: str) -> None:
    root = soap(api, "<met:describeMetadata/>", token=token)
    assert root.get("http-status") == "500"
    code, message = fault(root)
    assert (code, message) == (
        expected,
        "INVALID_SESSION_ID: Invalid Session ID found in SessionHeader: Illegal Session",
    )


def test_bearer_header_is_enough_without_session_header(api: Api) -> None:
    response = api.session.post(
        f"{api.info.instance_url}/services/Soap/m/59.0",
        data=(
            '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"'
            ' xmlns:met="http://soap.sforce.com/2006/04/metadata"><soapenv:Body>'
            "<met:describeMetadata/></soapenv:Body></soapenv:Envelope>"
        ),
        headers={"Authorization": f"Bearer {api.info.access_token}", "Content-Type": "text/xml"},
        timeout=30,
    )
    assert response.status_code == 200
    assert b"<partialSaveAllowed>true</partialSaveAllowed>" in response.content


def test_unknown_operation(api: Api) -> None:
    code, message = fault(soap(api, "<met:frobnicate/>"))
    assert code == "soapenv:Client"
    assert message == (
        "No operation available for request {http://soap.sforce.com/2006/04/metadata}frobnicate,"
        " please check the WSDL for the service."
    )


def test_known_but_unimplemented_operation(api: Api) -> None:
    assert fault(soap(api, "<met:retrieve/>")) == (
        "sf:UNKNOWN_EXCEPTION",
        "UNKNOWN_EXCEPTION: retrieve is not implemented by this sandbox org",
    )


def test_envelope_with_a_doctype_is_refused(api: Api) -> None:
    body = (
        '<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><x>&b;</x>'
    )
    response = api.session.post(
        f"{api.info.instance_url}/services/Soap/m/59.0",
        data=body,
        headers={"Content-Type": "text/xml"},
        timeout=30,
    )
    assert response.status_code == 500
    assert b"DOCTYPE is disallowed" in response.content


@pytest.mark.parametrize("version", ["30.0", "99.0", "abc"])
def test_unsupported_versions(api: Api, version: str) -> None:
    root = soap(Api(api.info, api.session, version=version), "<met:describeMetadata/>")
    assert fault(root) == (
        "sf:UNSUPPORTED_API_VERSION",
        f"UNSUPPORTED_API_VERSION: Invalid Api version specified on URL: {version}",
    )


def test_unknown_deploy_id(api: Api) -> None:
    root = soap(
        api,
        "<met:checkDeployStatus><met:asyncProcessId>0Af000000000000AAA</met:asyncProcessId>"
        "</met:checkDeployStatus>",
    )
    assert fault(root) == (
        "sf:INVALID_CROSS_REFERENCE_KEY",
        "INVALID_CROSS_REFERENCE_KEY: invalid cross reference id",
    )


@pytest.mark.parametrize(
    ("operation", "message"),
    [
        pytest.param(
            "<met:deploy><met:ZipFile>%%%</met:ZipFile></met:deploy>",
            "Unable to parse ZipFile: invalid base64 content",
            id="bad-base64",
        ),
        pytest.param(
            "<met:deploy><met:ZipFile></met:ZipFile><met:DeployOptions>"
            "<met:testLevel>RunSomeTests</met:testLevel></met:DeployOptions></met:deploy>",
            "'RunSomeTests' is not a valid value for the enum 'TestLevel'",
            id="bad-test-level",
        ),
        pytest.param(
            "<met:deploy><met:ZipFile></met:ZipFile><met:DeployOptions>"
            "<met:checkOnly>maybe</met:checkOnly></met:DeployOptions></met:deploy>",
            "Unable to parse 'maybe' as a boolean for checkOnly",
            id="bad-boolean",
        ),
    ],
)
def test_malformed_deploy_calls(api: Api, operation: str, message: str) -> None:
    assert fault(soap(api, operation)) == ("soapenv:Client", message)


def test_status_without_details_and_test_options(api: Api) -> None:
    deploy_id = deploy(
        api, _files(), checkOnly=True, testLevel="RunSpecifiedTests", runTests=["ContractTest"]
    )
    result = check(api, deploy_id, details=False)
    assert result["has_details"] is False
    assert (result["done"], result["status"], result["runTestsEnabled"]) == (
        "true",
        "Succeeded",
        "true",
    )
    assert (result["numberTestsTotal"], result["numberTestErrors"]) == ("0", "0")
    assert result["id"] == deploy_id


def test_cancel_after_completion_is_refused(api: Api) -> None:
    deploy_id = deploy(api, _files(), checkOnly=True)
    check(api, deploy_id)
    # cancelDeploy takes the id in an element named String (Metadata WSDL).
    root = soap(api, f"<met:cancelDeploy><met:String>{deploy_id}</met:String></met:cancelDeploy>")
    assert fault(root) == ("sf:INVALID_ID_FIELD", "INVALID_ID_FIELD: Deployment already completed")


def test_a_corrupt_zip_fails_the_deploy_as_a_whole(api: Api) -> None:
    root = soap(
        api,
        "<met:deploy><met:ZipFile>bm90IGEgemlw</met:ZipFile><met:DeployOptions>"
        "<met:singlePackage>true</met:singlePackage></met:DeployOptions></met:deploy>",
    )
    deploy_id = root.findtext(".//mt:id", None, _NS)
    assert deploy_id is not None
    result = check(api, deploy_id)
    assert (result["status"], result["success"], result["errorStatusCode"]) == (
        "Failed",
        "false",
        "UNKNOWN_EXCEPTION",
    )
    assert result["errorMessage"] == "The deploy file is not a valid zip file."
    assert result["numberComponentsTotal"] == "0"


def test_queued_deploy_reports_pending(org: SandboxOrg) -> None:
    state = org._running_state()  # the queue itself, before the org works through it
    deployments = Deployments(state.org)
    deploy_id = deployments.queue(build_zip(_files()), DeployOptions(), state.org.identity.user_id)
    pending = deploy_result_xml(deployments.record(deploy_id), include_details=True)
    assert "<done>false</done>" in pending
    assert "<status>Pending</status>" in pending
    assert "<stateDetail>Waiting in the deployment queue</stateDetail>" in pending
    assert deployments.cancel(deploy_id) is True
    assert "<status>Canceled</status>" in deploy_result_xml(
        deployments.record(deploy_id), include_details=False
    )


def test_deploy_through_the_bare_metadata_url(api: Api) -> None:
    # zeep-style clients post every operation to /services/Soap/m/{version}.
    result = check(api, deploy(api, _files(), path="", checkOnly=True))
    assert result["status"] == "Succeeded"


# -- guards on client input ------------------------------------------------------------------
def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_zip_bomb_stops_at_the_unzipped_limit() -> None:
    bomb = _zip({"objects/A.object": b"\0" * 2_000_000})
    assert len(bomb) < 10_000
    with pytest.raises(ZipRefusedError, match="unzipped content exceeds the maximum size of 1 MB"):
        read_zip(bomb, ZipLimits(max_unzipped_bytes=1024 * 1024))


def test_zip_limits_on_size_and_file_count() -> None:
    many = _zip({f"f{i}.txt": b"x" for i in range(5)})
    with pytest.raises(ZipRefusedError, match="more than 4 files"):
        read_zip(many, ZipLimits(max_files=4))
    with pytest.raises(ZipRefusedError, match="exceeds the maximum size of 0 MB"):
        read_zip(many, ZipLimits(max_zip_bytes=10))
    with pytest.raises(ZipRefusedError, match="not a valid zip file"):
        read_zip(b"PK\x03\x04 truncated", ZipLimits())


def test_zip_paths_are_normalised() -> None:
    files = read_zip(
        _zip({"./a/../package.xml": b"p", "../../objects/X.object": b"o"}), ZipLimits()
    )
    assert set(files) == {"package.xml", "objects/X.object"}


@pytest.mark.parametrize(
    "document",
    [
        b'<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>',
        b"<!DOCTYPE a><a/>",
        b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>',
    ],
)
def test_xml_refuses_doctypes_and_entities(document: bytes) -> None:
    with pytest.raises(UnsafeXmlError, match="DOCTYPE is disallowed"):
        parse_xml(document, max_bytes=10_000)


def test_xml_size_limit_and_positions() -> None:
    with pytest.raises(UnsafeXmlError):
        parse_xml(b"<a>" + b"x" * 100 + b"</a>", max_bytes=50)
    with pytest.raises(XmlError) as bad:
        parse_xml(b"<a>\n<b></a>", max_bytes=100)
    assert bad.value.line == 2
    document = parse_xml(b"<a>\n  <b>text</b>\n</a>", max_bytes=100)
    inner = document.root[0]
    assert (inner.text, document.position(inner)) == ("text", (2, 3))
