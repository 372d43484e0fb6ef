"""Stable, opaque event UIDs."""

from __future__ import annotations

import uuid

from topofmind.integrations.ics.entries import IcsError

# Fixed forever: changing it would change every UID and duplicate every event in every
# subscribed calendar.
_UID_NAMESPACE = uuid.UUID("6f1d3c7e-5a0b-4f43-9c55-2b7d0e8a91c4")


def follow_up_uid(namespace: str, follow_up_id: str) -> str:
    """The UID of a follow-up's event: the same for the same namespace and id, always.

    ``namespace`` names the installation and workspace (say ``"todo.example.org/ws/12"``) so two
    workspaces, or two installations, never share a UID. We hash rather than write
    ``id@host``: RFC 7986 (5.3) asks that UIDs not reveal host names or internal ids, and
    a calendar feed gets forwarded and shared.
    """
    if not namespace.strip():
        raise IcsError("The calendar needs a namespace (the host and workspace) to name its events; none was given.")
    if not follow_up_id.strip():
        raise IcsError("A follow-up without an id cannot be put in the calendar: its event would have no stable UID.")
    # The length prefix keeps ("a/b", "c") and ("a", "b/c") apart.
    return str(uuid.uuid5(_UID_NAMESPACE, f"{len(namespace)}:{namespace}{follow_up_id}"))
