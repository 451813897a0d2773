"""The package a mapping needs: derived from the mapping, enough for it to check clean."""

from __future__ import annotations

from contractsync.mapping import default_mapping_path, load_mapping
from contractsync.package import package_objects


def test_the_default_mapping_needs_custom_fields_and_the_obligation_object() -> None:
    objects = {obj.name: obj for obj in package_objects(load_mapping(default_mapping_path()))}

    assert set(objects) == {"Account", "Contract", "CS_Obligation__c"}
    assert not objects["Contract"].custom
    assert objects["CS_Obligation__c"].custom
    contract = {field.name: field for field in objects["Contract"].fields}
    assert contract["CS_Key__c"].external_id
    assert contract["CS_Key__c"].unique
    assert contract["CS_Expiration_Date__c"].type == "date"
    assert contract["CS_Auto_Renew__c"].type == "boolean"
    assert contract["CS_Total_Value__c"].type == "currency"
    assert contract["CS_Renewal_Notice_Days__c"].type == "double"
    assert contract["CS_Governing_Law_Country__c"].length == 2
    assert "active" in contract["CS_Lifecycle_Status__c"].picklist_values
    obligation = {field.name: field for field in objects["CS_Obligation__c"].fields}
    assert obligation["CS_Contract__c"].type == "reference"
    assert obligation["CS_Contract__c"].reference_to == "Contract"
    assert obligation["CS_Contract__c"].relationship_name == "CS_Contract__r"
    assert obligation["CS_Description__c"].type == "textarea"
    # Standard fields are never part of the package.
    assert "Name" not in contract
    assert "StartDate" not in contract


def test_package_fields_describe_themselves_for_the_org() -> None:
    objects = package_objects(load_mapping(default_mapping_path()))
    described = [field.describe() for obj in objects for field in obj.fields]
    key = next(d for d in described if d["name"] == "CS_Key__c")
    assert key == {
        "name": "CS_Key__c",
        "label": "contractsync key",
        "type": "string",
        "length": 80,
        "externalId": True,
        "unique": True,
    }
