"""Machine-assisted translation of free text, with provenance, glossary, memory and review.

The flow, one module per step: ``fields`` finds the translatable free text (from the schema's
``ia:translatable`` markers), ``segment`` cuts it into sentences, ``protect`` hides names,
numbers and references behind placeholders, ``memory`` serves what was translated before,
``engine`` chooses an engine per language pair (``engines/``: Apertium, Argos; models installed
with ``models``), ``glossary`` enforces approved terms, and ``document`` puts the translation
next to the original with its provenance; ``xliff`` round-trips it through human review.

Nothing is imported here: engines and their libraries load only when a translation needs them.
"""
