"""One sandbox org: its schema, records, identity (org, admin user, connected app) and clock.

Everything an org must remember across restarts lives in the store: the identity minted on
first start, custom fields and objects, JWT certificates, API usage and sessions.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ._dml import Dml, WriteContext
from ._schema import Schema
from ._schema_defs import FieldDef, ObjectDef
from ._store import Store

__all__ = ["Clock", "Identity", "Org"]

Clock = Callable[[], dt.datetime]


@dataclass(frozen=True, slots=True)
class Identity:
    """Who the org is and who may log in to it."""

    org_id: str
    user_id: str
    username: str
    password: str
    security_token: str
    client_id: str
    client_secret: str
    org_name: str


class Org:
    """State and rules of the sandbox org, shared by every protocol handler."""

    def __init__(
        self,
        store: Store,
        *,
        clock: Clock,
        username: str | None = None,
        password: str | None = None,
    ) -> None:
        self.store = store
        self.clock = clock
        self.schema = Schema()
        self.schema.replay(store.get_meta("custom_schema") or [])
        self.dml = Dml(self.schema, store)
        with store.atomic():
            self.identity = self._ensure_identity(username, password)

    def now(self) -> dt.datetime:
        return self.clock().astimezone(dt.UTC)

    def context(self, version: str, user_id: str | None = None) -> WriteContext:
        return WriteContext(user_id or self.identity.user_id, self.now(), version)

    # -- customisation ---------------------------------------------------------------------
    def add_custom_field(self, sobject: str, spec: Mapping[str, Any]) -> FieldDef:
        with self.store.atomic():
            created = self.schema.add_custom_field(sobject, spec)
            self.store.set_meta("custom_schema", self.schema.custom_log())
        return created

    def add_custom_object(self, spec: Mapping[str, Any]) -> ObjectDef:
        with self.store.atomic():
            created = self.schema.add_custom_object(spec)
            self.store.set_meta("custom_schema", self.schema.custom_log())
        return created

    def jwt_certificates(self) -> list[str]:
        return list(self.store.get_meta("jwt_certificates") or [])

    def add_jwt_certificate(self, pem: str) -> None:
        with self.store.atomic():
            known = self.jwt_certificates()
            if pem not in known:
                self.store.set_meta("jwt_certificates", [*known, pem])

    # -- first start -----------------------------------------------------------------------
    def _ensure_identity(self, username: str | None, password: str | None) -> Identity:
        saved = self.store.get_meta("identity")
        if saved is not None:
            return Identity(**saved)
        ctx = WriteContext("", self.now(), "62.0")
        org_obj, profile_obj, user_obj = (
            self._object(n) for n in ("Organization", "Profile", "User")
        )
        org_id = self.dml.system_insert(
            org_obj,
            {
                "Name": "contractsync sandbox org",
                "OrganizationType": "Developer Edition",
                "InstanceName": "SBX1",
                "IsSandbox": False,
                "DefaultLocaleSidKey": "en_US",
                "TimeZoneSidKey": "GMT",
            },
            ctx,
        )
        admin_profile = self.dml.system_insert(profile_obj, {"Name": "System Administrator"}, ctx)
        standard_profile = self.dml.system_insert(profile_obj, {"Name": "Standard User"}, ctx)
        login = username or f"admin@{org_id[:15].lower()}.sandbox.contractsync"
        user_values = {
            "Username": login,
            "LastName": "Admin",
            "FirstName": "Sandbox",
            "Name": "Sandbox Admin",
            "Email": "admin@sandbox.contractsync.invalid",
            "Alias": "sadmin",
            "CommunityNickname": "sandbox.admin",
            "IsActive": True,
            "TimeZoneSidKey": "GMT",
            "LocaleSidKey": "en_US",
            "EmailEncodingKey": "UTF-8",
            "LanguageLocaleKey": "en_US",
            "ProfileId": admin_profile,
            "UserType": "Standard",
        }
        user_id = self.dml.system_insert(user_obj, user_values, ctx)
        # The first user created itself and the seed records; every later record is created
        # by it too unless a session of another user writes.
        as_admin = WriteContext(user_id, ctx.now, "62.0")
        for obj, record_id in (
            (org_obj, org_id),
            (profile_obj, admin_profile),
            (profile_obj, standard_profile),
            (user_obj, user_id),
        ):
            seeded = self.store.get(obj.name, record_id)
            assert seeded is not None  # noqa: S101 - inserted just above
            seeded["CreatedById"] = user_id
            self.dml.system_update(obj, seeded, as_admin)
        identity = Identity(
            org_id=org_id,
            user_id=user_id,
            username=login,
            password=password or secrets.token_urlsafe(12),
            security_token="",
            client_id="3MVG9" + secrets.token_urlsafe(60)[:80].replace("-", "A").replace("_", "B"),
            client_secret=secrets.token_hex(32).upper(),
            org_name="contractsync sandbox org",
        )
        self.store.set_meta("identity", {k: getattr(identity, k) for k in Identity.__slots__})
        return identity

    def _object(self, name: str) -> ObjectDef:
        found = self.schema.object(name)
        if found is None:
            raise LookupError(f"standard object {name} is missing from schema/")
        return found
