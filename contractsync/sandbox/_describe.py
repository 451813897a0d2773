"""Describe documents with the real JSON shape (salesforce-api.md 2.1).

Global describe lists every object; per-object describe adds ``fields``,
``childRelationships``, ``recordTypeInfos`` and ``urls``. Every field object carries the full
attribute set clients read, not only the ones the sandbox enforces.
"""

from __future__ import annotations

from typing import Any

from ._schema import Schema
from ._schema_defs import FieldDef, ObjectDef

__all__ = ["describe_global", "describe_object", "object_summary"]

_NOT_FILTERABLE = frozenset({"textarea", "base64"})
_NOT_SORTABLE = frozenset({"textarea", "base64", "multipicklist"})
_NOT_GROUPABLE = frozenset(
    {"textarea", "base64", "multipicklist", "double", "currency", "percent", "datetime"}
)


def _urls(obj: ObjectDef, version: str, *, full: bool) -> dict[str, str]:
    base = f"/services/data/v{version}/sobjects/{obj.name}"
    urls = {"sobject": base, "describe": f"{base}/describe", "rowTemplate": f"{base}/{{ID}}"}
    if full:
        urls |= {
            "compactLayouts": f"{base}/describe/compactLayouts",
            "approvalLayouts": f"{base}/describe/approvalLayouts",
            "listviews": f"{base}/listviews",
            "quickActions": f"{base}/quickActions",
            "layouts": f"{base}/describe/layouts",
            "defaultValues": f"{base}/defaultValues?recordTypeId&fields",
        }
    return urls


def object_summary(obj: ObjectDef, version: str) -> dict[str, Any]:
    """The short form used by global describe and ``GET /sobjects/{Obj}``."""
    return {
        "activateable": False,
        "associateEntityType": None,
        "associateParentEntity": None,
        "createable": obj.createable,
        "custom": obj.custom,
        "customSetting": False,
        "deepCloneable": False,
        "deletable": obj.deletable,
        "deprecatedAndHidden": False,
        "feedEnabled": not obj.custom,
        "hasSubtypes": False,
        "isInterface": False,
        "isSubtype": False,
        "keyPrefix": obj.key_prefix,
        "label": obj.label,
        "labelPlural": obj.label_plural,
        "layoutable": True,
        "mergeable": obj.name in ("Account", "Contact", "Case"),
        "mruEnabled": True,
        "name": obj.name,
        "queryable": obj.queryable,
        "replicateable": True,
        "retrieveable": True,
        "searchable": True,
        "triggerable": True,
        "undeletable": obj.deletable,
        "updateable": obj.updateable,
        "urls": _urls(obj, version, full=False),
    }


def describe_global(schema: Schema, version: str) -> dict[str, Any]:
    return {
        "encoding": "UTF-8",
        "maxBatchSize": 200,
        "sobjects": [object_summary(o, version) for o in schema.objects()],
    }


def describe_object(schema: Schema, obj: ObjectDef, version: str) -> dict[str, Any]:
    body = object_summary(obj, version)
    body |= {
        "actionOverrides": [],
        "childRelationships": [
            {
                "cascadeDelete": ref.cascade_delete,
                "childSObject": child.name,
                "deprecatedAndHidden": False,
                "field": ref.name,
                "junctionIdListNames": [],
                "junctionReferenceTo": [],
                "relationshipName": ref.child_relationship_name,
                "restrictedDelete": False,
            }
            for child, ref in schema.child_relationships(obj.name)
        ],
        "compactLayoutable": True,
        "defaultImplementation": None,
        "extendedBy": None,
        "extendsInterfaces": None,
        "fields": [describe_field(f) for f in obj.fields],
        "implementedBy": None,
        "implementsInterfaces": None,
        "listviewable": None,
        "lookupLayoutable": None,
        "namedLayoutInfos": [],
        "networkScopeFieldName": None,
        "recordTypeInfos": [
            {
                "active": True,
                "available": True,
                "defaultRecordTypeMapping": True,
                "developerName": "Master",
                "master": True,
                "name": "Master",
                "recordTypeId": "012000000000000AAA",
                "urls": {
                    "layout": f"/services/data/v{version}/sobjects/{obj.name}"
                    "/describe/layouts/012000000000000AAA"
                },
            }
        ],
        "searchLayoutable": True,
        "sobjectDescribeOption": "FULL",
        "supportedScopes": [{"label": "All " + obj.label_plural.lower(), "name": "everything"}],
        "urls": _urls(obj, version, full=True) | {"uiDetailTemplate": None},
    }
    return body


def describe_field(f: FieldDef) -> dict[str, Any]:
    text_like = f.is_text or f.type in ("id", "reference", "base64")
    return {
        "aggregatable": f.type not in ("textarea", "base64"),
        "aiPredictionField": False,
        "autoNumber": f.auto_number,
        "byteLength": f.length * 3 if text_like else 0,
        "calculated": f.calculated,
        "calculatedFormula": None,
        "cascadeDelete": f.cascade_delete,
        "caseSensitive": f.case_sensitive,
        "compoundFieldName": None,
        "controllerName": None,
        "createable": f.createable,
        "custom": f.custom,
        "defaultValue": f.default_value,
        "defaultValueFormula": None,
        "defaultedOnCreate": f.defaulted_on_create,
        "dependentPicklist": False,
        "deprecatedAndHidden": False,
        "digits": f.digits,
        "displayLocationInDecimal": False,
        "encrypted": False,
        "externalId": f.external_id,
        "extraTypeInfo": None,
        "filterable": f.type not in _NOT_FILTERABLE,
        "filteredLookupInfo": None,
        "formulaTreatNullNumberAsZero": False,
        "groupable": f.type not in _NOT_GROUPABLE,
        "highScaleNumber": False,
        "htmlFormatted": False,
        "idLookup": f.id_lookup,
        "inlineHelpText": None,
        "label": f.label,
        "length": f.length if text_like else 0,
        "mask": None,
        "maskType": None,
        "name": f.name,
        "nameField": f.name_field,
        "namePointing": f.polymorphic,
        "nillable": f.nillable,
        "permissionable": f.nillable and f.createable,
        "picklistValues": [
            {
                "active": p.active,
                "defaultValue": p.default,
                "label": p.label,
                "validFor": None,
                "value": p.value,
            }
            for p in f.picklist_values
        ],
        "polymorphicForeignKey": f.polymorphic,
        "precision": f.precision,
        "queryByDistance": False,
        "referenceTargetField": None,
        "referenceTo": list(f.reference_to),
        "relationshipName": f.relationship_name,
        "relationshipOrder": None,
        "restrictedDelete": False,
        "restrictedPicklist": f.restricted_picklist,
        "scale": f.scale,
        "searchPrefilterable": f.type == "reference",
        "soapType": f.soap_type,
        "sortable": f.type not in _NOT_SORTABLE,
        "type": f.type,
        "unique": f.unique,
        "updateable": f.updateable,
        "writeRequiresMasterRead": False,
    }
