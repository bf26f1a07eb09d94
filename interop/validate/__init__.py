"""Validation: XSD (libxml2 through lxml), then business rules (ISO Schematron), then reports."""
