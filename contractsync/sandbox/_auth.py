"""Logins and sessions: the OAuth token endpoint, SOAP ``login()``, identity and userinfo.

Implements the flows simple-salesforce 1.12.10 uses (salesforce-api.md 1.1-1.4): password,
client credentials (HTTP Basic or form) and JWT bearer (RS256 against registered
certificates), plus the partner SOAP ``login`` call, which Salesforce refuses from API 65.0.
Sessions slide: each use extends them, and an idle one expires into 401
``INVALID_SESSION_ID``.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import secrets
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from html import escape
from typing import Any

import jwt
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from ._errors import SalesforceError
from ._org import Org
from ._values import format_datetime

__all__ = ["OAuthError", "Sessions", "identity_json", "soap_login", "token_grant", "userinfo_json"]

_JWT_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"
_AUDIENCES = ("https://login.salesforce.com", "https://test.salesforce.com")
_SOAP_LOGIN_RETIRED = 65.0  # 1.3: login() is unavailable in API 65.0 and later


class OAuthError(Exception):
    """A token-endpoint refusal: ``{"error", "error_description"}`` with an HTTP status."""

    def __init__(self, error: str, description: str, status: int = 400) -> None:
        super().__init__(f"{error}: {description}")
        self.error = error
        self.description = description
        self.status = status

    def body(self) -> dict[str, str]:
        return {"error": self.error, "error_description": self.description}


def session_expired() -> SalesforceError:
    return SalesforceError.of(
        401, "INVALID_SESSION_ID", "Session expired or invalid", with_fields=False
    )


class Sessions:
    """Access tokens and their sliding expiry."""

    def __init__(self, org: Org, timeout: dt.timedelta) -> None:
        self._org = org
        self.timeout = timeout

    def issue(self, user_id: str) -> str:
        token = f"{self._org.identity.org_id[:15]}!{secrets.token_urlsafe(72)}"
        self._org.store.add_session(token, user_id, self._org.now().isoformat())
        return token

    def user_for(self, token: str) -> str:
        """The user a token belongs to; 401 INVALID_SESSION_ID when unknown or idle too long."""
        found = self._org.store.session(token)
        if found is None:
            raise session_expired()
        user_id, last_used = found
        now = self._org.now()
        if now - dt.datetime.fromisoformat(last_used) > self.timeout:
            self._org.store.drop_session(token)
            raise session_expired()
        self._org.store.touch_session(token, now.isoformat())
        return user_id

    def is_live(self, token: str) -> bool:
        try:
            self.user_for(token)
        except SalesforceError:
            return False
        return True


def bearer_token(headers: Mapping[str, str]) -> str | None:
    """The token of an ``Authorization: Bearer`` (or legacy ``OAuth``) header."""
    value = headers.get("authorization", "")
    scheme, _, token = value.partition(" ")
    if scheme.lower() in ("bearer", "oauth") and token.strip():
        return token.strip()
    return None


def token_grant(
    org: Org,
    sessions: Sessions,
    form: Mapping[str, str],
    authorization: str | None,
    instance_url: str,
) -> dict[str, Any]:
    """Run one ``/services/oauth2/token`` request; raises ``OAuthError`` on refusal."""
    grant = form.get("grant_type")
    if not grant:
        raise OAuthError("invalid_request", "grant type is missing")
    identity = org.identity
    if grant == "password":
        _check_client(org, form.get("client_id"), form.get("client_secret"))
        password = form.get("password") or ""
        valid = (identity.password, identity.password + identity.security_token)
        if form.get("username") != identity.username or password not in valid:
            raise OAuthError("invalid_grant", "authentication failure")
        user_id = identity.user_id
    elif grant == "client_credentials":
        client_id, client_secret = _basic_credentials(authorization)
        client_id = client_id or form.get("client_id")
        client_secret = client_secret or form.get("client_secret")
        _check_client(org, client_id, client_secret)
        user_id = identity.user_id  # the app's run-as user (1.1)
    elif grant == _JWT_GRANT:
        user_id = _jwt_user(org, form.get("assertion") or "", instance_url)
    else:
        raise OAuthError("unsupported_grant_type", "grant type not supported")
    token = sessions.issue(user_id)
    issued_at = str(int(org.now().timestamp() * 1000))
    identity_url = f"{instance_url}/id/{identity.org_id}/{user_id}"
    signature = hmac.new(
        identity.client_secret.encode(), (identity_url + issued_at).encode(), hashlib.sha256
    ).digest()
    body: dict[str, Any] = {
        "access_token": token,
        "instance_url": instance_url,
        "id": identity_url,
        "token_type": "Bearer",
        "issued_at": issued_at,
        "signature": base64.b64encode(signature).decode(),
    }
    if grant != "password":
        body["scope"] = "api id"
    return body


def _check_client(org: Org, client_id: str | None, client_secret: str | None) -> None:
    if client_id != org.identity.client_id:
        raise OAuthError("invalid_client_id", "client identifier invalid")
    if not client_secret or not hmac.compare_digest(client_secret, org.identity.client_secret):
        raise OAuthError("invalid_client", "invalid client credentials")


def _basic_credentials(authorization: str | None) -> tuple[str | None, str | None]:
    scheme, _, encoded = (authorization or "").partition(" ")
    if scheme.lower() != "basic":
        return None, None
    try:
        key, _, secret = base64.b64decode(encoded).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        raise OAuthError("invalid_client", "invalid client credentials") from None
    return key, secret


def _jwt_user(org: Org, assertion: str, instance_url: str) -> str:
    """Verify a JWT bearer assertion (1.1) and return the user it names."""
    claims = None
    for pem in org.jwt_certificates():
        try:
            claims = jwt.decode(
                assertion,
                _public_key(pem),
                algorithms=["RS256"],
                options={"verify_exp": False, "verify_aud": False, "verify_iat": False},
            )
            break
        except jwt.PyJWTError:
            continue
    if claims is None:
        raise OAuthError("invalid_grant", "invalid assertion")
    if claims.get("iss") != org.identity.client_id:
        raise OAuthError("invalid_client_id", "client identifier invalid")
    if claims.get("aud") not in (*_AUDIENCES, instance_url):
        raise OAuthError("invalid_grant", "audience is invalid")
    try:
        expires = float(claims["exp"])
    except (KeyError, TypeError, ValueError):
        raise OAuthError("invalid_grant", "invalid assertion") from None
    if expires <= org.now().timestamp():
        raise OAuthError("invalid_grant", "expired authorization code")
    user = _user_by_username(org, str(claims.get("sub", "")))
    if user is None:
        raise OAuthError("invalid_grant", "user hasn't approved this consumer")
    return str(user["Id"])


def _public_key(pem: str) -> Any:
    data = pem.encode()
    if b"CERTIFICATE" in data:
        return x509.load_pem_x509_certificate(data).public_key()
    return serialization.load_pem_public_key(data)


def _user_by_username(org: Org, username: str) -> dict[str, Any] | None:
    user_obj = org.schema.object("User")
    field = user_obj.field("Username") if user_obj else None
    if user_obj is None or field is None:
        return None
    ids = org.dml.find_by_key(user_obj, field, username)
    user = org.store.get("User", ids[0]) if ids else None
    return user if user and user.get("IsActive") else None


def soap_login(
    org: Org, sessions: Sessions, body: bytes, version: str, instance_url: str
) -> tuple[int, str]:
    """Partner SOAP ``login()`` (1.3): (HTTP status, SOAP envelope)."""
    try:
        number = float(version)
    except ValueError:
        number = 0.0
    if number >= _SOAP_LOGIN_RETIRED or number < 31.0:
        return 500, _fault(
            "UNSUPPORTED_API_VERSION",
            f"Invalid Api version specified on URL: {version}",
            "UnexpectedErrorFault",
        )
    try:
        # Bodies come from local clients; expat in Python 3.11 refuses entity expansion attacks.
        root = ET.fromstring(body)  # noqa: S314
    except ET.ParseError:
        return 500, _fault(
            "INVALID_LOGIN",
            "Invalid username, password, security token; or user locked out.",
            "LoginFault",
        )
    username = _text_of(root, "username")
    password = _text_of(root, "password")
    identity = org.identity
    valid = (identity.password, identity.password + identity.security_token)
    if username != identity.username or password not in valid:
        return 500, _fault(
            "INVALID_LOGIN",
            "Invalid username, password, security token; or user locked out.",
            "LoginFault",
        )
    token = sessions.issue(identity.user_id)
    server = f"{instance_url}/services/Soap/u/{version}/{identity.org_id[:15]}"
    metadata = f"{instance_url}/services/Soap/m/{version}/{identity.org_id[:15]}"
    return 200, (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"'
        ' xmlns="urn:partner.soap.sforce.com"'
        ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        "<soapenv:Body><loginResponse><result>"
        f"<metadataServerUrl>{escape(metadata)}</metadataServerUrl>"
        "<passwordExpired>false</passwordExpired><sandbox>false</sandbox>"
        f"<serverUrl>{escape(server)}</serverUrl>"
        f"<sessionId>{escape(token)}</sessionId>"
        f"<userId>{identity.user_id}</userId>"
        "<userInfo>"
        f"<organizationId>{identity.org_id}</organizationId>"
        f"<organizationName>{escape(identity.org_name)}</organizationName>"
        f"<userEmail>admin@sandbox.contractsync.invalid</userEmail>"
        f"<userFullName>Sandbox Admin</userFullName>"
        f"<userId>{identity.user_id}</userId>"
        f"<userName>{escape(identity.username)}</userName>"
        "</userInfo></result></loginResponse></soapenv:Body></soapenv:Envelope>"
    )


def _text_of(root: ET.Element, local_name: str) -> str | None:
    for element in root.iter():
        if element.tag.rsplit("}", 1)[-1] == local_name:
            return element.text or ""
    return None


def _fault(code: str, message: str, fault_type: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"'
        ' xmlns:sf="urn:fault.partner.soap.sforce.com"'
        ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        "<soapenv:Body><soapenv:Fault>"
        f"<faultcode>sf:{code}</faultcode>"
        f"<faultstring>{code}: {escape(message)}</faultstring>"
        f'<detail><sf:{fault_type} xsi:type="sf:{fault_type}">'
        f"<sf:exceptionCode>{code}</sf:exceptionCode>"
        f"<sf:exceptionMessage>{escape(message)}</sf:exceptionMessage>"
        f"</sf:{fault_type}></detail>"
        "</soapenv:Fault></soapenv:Body></soapenv:Envelope>"
    )


def identity_json(org: Org, user_id: str, instance_url: str, version: str) -> dict[str, Any]:
    """The identity URL's document (1.2)."""
    user = org.store.get("User", user_id) or {}
    org_id = org.identity.org_id
    base = f"{instance_url}/services"

    def url(path: str) -> str:
        return path.replace("{version}", version)

    return {
        "id": f"{instance_url}/id/{org_id}/{user_id}",
        "asserted_user": True,
        "user_id": user_id,
        "organization_id": org_id,
        "username": user.get("Username"),
        "nick_name": user.get("CommunityNickname"),
        "display_name": user.get("Name"),
        "email": user.get("Email"),
        "email_verified": True,
        "first_name": user.get("FirstName"),
        "last_name": user.get("LastName"),
        "timezone": user.get("TimeZoneSidKey"),
        "photos": {"picture": None, "thumbnail": None},
        "active": bool(user.get("IsActive")),
        "user_type": "STANDARD",
        "language": user.get("LanguageLocaleKey"),
        "locale": user.get("LocaleSidKey"),
        "utcOffset": 0,
        "last_modified_date": user.get("LastModifiedDate"),
        "is_app_installed": True,
        "urls": {
            "enterprise": url(f"{base}/Soap/c/{{version}}/{org_id[:15]}"),
            "metadata": url(f"{base}/Soap/m/{{version}}/{org_id[:15]}"),
            "partner": url(f"{base}/Soap/u/{{version}}/{org_id[:15]}"),
            "rest": url(f"{base}/data/v{{version}}/"),
            "sobjects": url(f"{base}/data/v{{version}}/sobjects/"),
            "search": url(f"{base}/data/v{{version}}/search/"),
            "query": url(f"{base}/data/v{{version}}/query/"),
            "recent": url(f"{base}/data/v{{version}}/recent/"),
            "tooling_soap": url(f"{base}/Soap/T/{{version}}/{org_id[:15]}"),
            "tooling_rest": url(f"{base}/data/v{{version}}/tooling/"),
            "profile": f"{instance_url}/{user_id}",
            "feeds": url(f"{base}/data/v{{version}}/chatter/feeds"),
            "groups": url(f"{base}/data/v{{version}}/chatter/groups"),
            "users": url(f"{base}/data/v{{version}}/chatter/users"),
            "feed_items": url(f"{base}/data/v{{version}}/chatter/feed-items"),
            "custom_domain": instance_url,
        },
    }


def userinfo_json(org: Org, user_id: str, instance_url: str) -> dict[str, Any]:
    """OpenID Connect userinfo (1.2), as the ``sf`` CLI reads it."""
    user = org.store.get("User", user_id) or {}
    return {
        "sub": f"{instance_url}/id/{org.identity.org_id}/{user_id}",
        "user_id": user_id,
        "organization_id": org.identity.org_id,
        "preferred_username": user.get("Username"),
        "nickname": user.get("CommunityNickname"),
        "name": user.get("Name"),
        "email": user.get("Email"),
        "email_verified": True,
        "given_name": user.get("FirstName"),
        "family_name": user.get("LastName"),
        "zoneinfo": user.get("TimeZoneSidKey"),
        "active": bool(user.get("IsActive")),
        "user_type": "STANDARD",
        "language": user.get("LanguageLocaleKey"),
        "locale": user.get("LocaleSidKey"),
        "utcOffset": 0,
        "updated_at": format_datetime(org.now()),
    }
