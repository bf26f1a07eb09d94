"""Evidence formats of other tools, read into (and for CASE written from) evidence manifests.

``case`` (CASE/UCO JSON-LD; ``jsonld`` reads the graph offline and capped, ``case_writer``
writes it), ``dfxml`` (Digital Forensics XML 1.x and 2.0) and the hash lists of ``hashlists``
(hashdeep, md5deep, sha256sum, BSD style) are converters of the registry; ``draft`` holds what
the importers share: the draft manifest around the items, checked paths and hashes.
"""
