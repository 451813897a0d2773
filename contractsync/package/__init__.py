"""The contractsync package: the custom objects and fields a mapping needs in an org."""

from ._fields import PackageField, PackageObject, package_objects
from ._sandbox import SchemaTarget, install_in_sandbox

__all__ = [
    "PackageField",
    "PackageObject",
    "SchemaTarget",
    "install_in_sandbox",
    "package_objects",
]
