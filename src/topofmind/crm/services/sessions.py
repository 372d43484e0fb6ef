"""Sign-in sessions: a new password ends the others, and "sign out everywhere" ends them all.

Sessions live in the database (settings.SESSION_ENGINE), so deleting a row here ends that
session in every web process at once.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import transaction

AUTH_USER_KEY = "_auth_user_id"  # where django.contrib.auth keeps the signed-in user's id


def end_sessions(*, user_id: int, now: datetime, keep: str | None = None) -> int:
    """Delete every live session of the user except ``keep`` (a session key); how many ended.

    A session row does not say whose it is without decoding it, so the live ones are read
    and decoded: a team has a few sessions per member, and expired rows are skipped.
    """
    store = SessionStore()
    wanted = str(user_id)
    with transaction.atomic():
        rows = Session.objects.filter(expire_date__gt=now).exclude(session_key=keep or "")
        mine = [
            row.session_key
            for row in rows.only("session_key", "session_data").iterator()
            if str(store.decode(row.session_data).get(AUTH_USER_KEY)) == wanted
        ]
        Session.objects.filter(session_key__in=mine).delete()
    return len(mine)


def change_password(*, user_id: int, password: str, now: datetime, keep: str | None = None) -> int:
    """A new password for the user; every other session of theirs ends (how many ended).

    The caller has checked the current password and the new one's strength (the web form).
    """
    with transaction.atomic():
        user = get_user_model().objects.select_for_update().get(pk=user_id)
        user.set_password(password)
        user.save(update_fields=["password"])
        return end_sessions(user_id=user_id, now=now, keep=keep)
