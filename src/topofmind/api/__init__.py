"""The JSON API (django-ninja) under /api/: an entry point like the web app and the CLI.

Every route translates a request into one ``crm.queries`` or ``crm.services`` call, the same
one the web page makes, and renders the read model's JSON shapes (``queries.serialize``).
Requests carry ``Authorization: Bearer TOKEN`` (a personal token, scoped to one workspace);
errors are RFC 9457 problem details naming the field. See docs/api.md.
"""
