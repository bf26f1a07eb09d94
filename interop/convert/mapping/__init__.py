"""Declarative mappings: a TOML spec pairs national paths with common paths, both ways."""
