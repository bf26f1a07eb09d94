"""Evidence manifests: build one from a folder, verify a folder against one, extend the chain
of custody, import and export CASE/UCO, DFXML and hash lists, sign and check signatures.

Modules: ``folder`` (walking the evidence folder, opening files below it without following
links), ``hashing`` (streaming hashes on all cores), ``media`` (media types), ``manifest``
(making and editing the tree), ``build``, ``verify``, ``custody`` (the commands' logic),
``formats`` (the converters), ``signing`` (XML signatures), ``cli`` (the ``interop evidence``
commands).
"""
