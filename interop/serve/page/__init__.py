"""The clerk's web page, served by ``interop serve`` next to the JSON API.

Server-rendered HTML that works without JavaScript: open a document, see its findings by
section, machine-translate its free text, review the translations sentence by sentence, preview
a notice in one or two languages and download it. The working document travels in a hidden form
field, so the server keeps nothing between requests (unless a workspace is configured).

Modules: ``routes`` (the HTTP side), ``work`` (what runs in the engine's workers), ``passages``
(translations as the page shows and edits them), ``findings`` (findings by section),
``text`` (the page's language), ``templates`` (its Jinja environment), ``state`` (the hidden
document), ``login`` (the token cookie), ``examples`` (the bundled documents it offers).
"""
