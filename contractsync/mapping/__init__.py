"""Mapping canonical contracts to Salesforce records: the spec, desired records, checks."""

from ._check import MappingProblem, check_mapping
from ._desired import DesiredRecord, ParentRef, desired_records, field_value, render
from ._lookup import LookupRef, normalize_domain, normalize_value
from ._spec import (
    REVERSIBLE_TRANSFORMS,
    FieldRule,
    InboundPolicy,
    Lookup,
    Mapping,
    ObjectMapping,
    Reference,
    UserLookup,
    default_mapping_path,
    inbound_paths,
    load_mapping,
    parse_mapping,
)
from ._transforms import NotRepresentable, plain_value, to_salesforce
from ._view import ContractView, contract_view, resolve

__all__ = [
    "REVERSIBLE_TRANSFORMS",
    "ContractView",
    "DesiredRecord",
    "FieldRule",
    "InboundPolicy",
    "Lookup",
    "LookupRef",
    "Mapping",
    "MappingProblem",
    "NotRepresentable",
    "ObjectMapping",
    "ParentRef",
    "Reference",
    "UserLookup",
    "check_mapping",
    "contract_view",
    "default_mapping_path",
    "desired_records",
    "field_value",
    "inbound_paths",
    "load_mapping",
    "normalize_domain",
    "normalize_value",
    "parse_mapping",
    "plain_value",
    "render",
    "resolve",
    "to_salesforce",
]
