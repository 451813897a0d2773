"""The contractsync package: the custom objects and fields a mapping needs in an org."""

from ._fields import PackageField, PackageObject, package_objects

__all__ = ["PackageField", "PackageObject", "package_objects"]
