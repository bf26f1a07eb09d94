"""``interop serve``: the toolkit as an HTTP service (JSON API) for clerks' tools and other systems.

The flow of a request: ``auth`` (who) → ``limits`` (read the upload, capped and typed) →
a route per capability (``routes/``) → ``engine`` (the work, in worker processes) →
``audit`` (one line per document produced). Nothing here is imported by ``import interop``.
"""
