"""The workspace: one GeoPackage holding units and saved scenarios; imports of real decisions."""
