"""XJustiz 3.6.2 converters (docs/xjustiz-mapping.md)."""
