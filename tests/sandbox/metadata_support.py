"""Helpers for the Metadata API tests: building deploy zips and calling the SOAP API raw."""

from __future__ import annotations

import base64
import io
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path
from typing import Any

from sandbox_support import Api

CASES = Path(__file__).parent / "cases" / "metadata"
MD = "http://soap.sforce.com/2006/04/metadata"
SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
_NS = {"soapenv": SOAP, "mt": MD}


def folder_files(name: str) -> dict[str, bytes]:
    """The files of a fixture package under cases/metadata/, by zip path."""
    root = CASES / name
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def build_zip(files: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, content in files.items():
            archive.writestr(path, content.encode() if isinstance(content, str) else content)
    return buffer.getvalue()


def manifest(**types: list[str]) -> str:
    """A package.xml naming ``members`` per type: ``manifest(CustomObject=["X__c"])``."""
    body = "".join(
        "<types>" + "".join(f"<members>{m}</members>" for m in members) + f"<name>{kind}</name>"
        "</types>"
        for kind, members in types.items()
    )
    return f'<Package xmlns="{MD}">{body}<version>62.0</version></Package>'


def custom_object(fields: str = "", **elements: str) -> str:
    """A CustomObject file: a new custom object unless ``label=""`` style overrides say so."""
    values = {
        "deploymentStatus": "Deployed",
        "label": "Widget",
        "pluralLabel": "Widgets",
        "nameField": "<label>Widget Name</label><type>Text</type>",
        "sharingModel": "ReadWrite",
    } | elements
    body = "".join(f"<{k}>{v}</{k}>" for k, v in values.items() if v is not None)
    return f'<CustomObject xmlns="{MD}">{fields}{body}</CustomObject>'


def fields_only(fields: str) -> str:
    """A standard object file carrying only custom fields (``Contract.object``)."""
    return f'<CustomObject xmlns="{MD}">{fields}</CustomObject>'


def envelope(operation: str, token: str | None) -> str:
    header = (
        f"<soapenv:Header><met:SessionHeader><met:sessionId>{token}</met:sessionId>"
        "</met:SessionHeader></soapenv:Header>"
        if token is not None
        else ""
    )
    return (
        f'<soapenv:Envelope xmlns:soapenv="{SOAP}" xmlns:met="{MD}">{header}'
        f"<soapenv:Body>{operation}</soapenv:Body></soapenv:Envelope>"
    )


def soap(api: Api, operation: str, *, token: str | None = "", path: str = "") -> ET.Element:
    """POST a Metadata API call; returns the parsed envelope (any status)."""
    token = api.info.access_token if token == "" else token
    response = api.session.post(
        f"{api.info.instance_url}/services/Soap/m/{api.version}/{path}",
        data=envelope(operation, token).encode(),
        headers={"Content-Type": "text/xml", "SOAPAction": "x"},
        timeout=30,
    )
    root = ET.fromstring(response.content)  # noqa: S314 - the org under test answered
    root.set("http-status", str(response.status_code))
    return root


def fault(root: ET.Element) -> tuple[str, str]:
    """(faultcode, faultstring) of a fault envelope."""
    found = root.find("soapenv:Body/soapenv:Fault", _NS)
    assert found is not None, ET.tostring(root)
    return found.findtext("faultcode") or "", found.findtext("faultstring") or ""


def deploy(
    api: Api, files: dict[str, bytes | str], *, path: str = "deployRequest", **options: Any
) -> str:
    """Deploy raw with explicit DeployOptions (singlePackage and rollbackOnError default on)."""
    opts = {"singlePackage": True, "rollbackOnError": True} | options
    run_tests = opts.pop("runTests", [])
    option_xml = "".join(
        f"<met:{k}>{str(v).lower() if isinstance(v, bool) else v}</met:{k}>"
        for k, v in opts.items()
    )
    option_xml += "".join(f"<met:runTests>{t}</met:runTests>" for t in run_tests)
    encoded = base64.b64encode(build_zip(files)).decode()
    root = soap(
        api,
        f"<met:deploy><met:ZipFile>{encoded}</met:ZipFile>"
        f"<met:DeployOptions>{option_xml}</met:DeployOptions></met:deploy>",
        path=path,
    )
    deploy_id = root.findtext("soapenv:Body/mt:deployResponse/mt:result/mt:id", None, _NS)
    assert deploy_id, ET.tostring(root)
    return deploy_id


def check(api: Api, deploy_id: str, *, details: bool = True) -> dict[str, Any]:
    """checkDeployStatus as a dict: scalar fields, plus 'failures' and 'successes' lists."""
    root = soap(
        api,
        f"<met:checkDeployStatus><met:asyncProcessId>{deploy_id}</met:asyncProcessId>"
        f"<met:includeDetails>{str(details).lower()}</met:includeDetails>"
        "</met:checkDeployStatus>",
        path=f"deployRequest/{deploy_id}",
    )
    result = root.find("soapenv:Body/mt:checkDeployStatusResponse/mt:result", _NS)
    assert result is not None, ET.tostring(root)
    out: dict[str, Any] = {
        child.tag.split("}")[1]: child.text for child in result if child.tag != f"{{{MD}}}details"
    }
    out["has_details"] = result.find("mt:details", _NS) is not None

    def entries(name: str) -> list[dict[str, str | None]]:
        return [
            {c.tag.split("}")[1]: c.text for c in entry}
            for entry in result.findall(f"mt:details/mt:{name}", _NS)
        ]

    out["failures"] = entries("componentFailures")
    out["successes"] = entries("componentSuccesses")
    return out


def deploy_and_check(api: Api, files: dict[str, bytes | str], **options: Any) -> dict[str, Any]:
    return check(api, deploy(api, files, **options))


def problems(result: dict[str, Any]) -> list[tuple[str, str | None, str | None]]:
    """(componentType, fullName, problem) of each failure ('' for package.xml's empty type)."""
    return [(f["componentType"] or "", f["fullName"], f["problem"]) for f in result["failures"]]
