"""Secrets at rest: a headless machine has no system keyring, so a mail password is encrypted
with a key from the settings (Fernet: AES with an authentication tag).

The key is TOPOFMIND_MAIL_KEY when set (a Fernet key, or any text of 32 characters or more),
else one derived from the Django SECRET_KEY. A token made under another key cannot be read:
the caller then asks the user to enter the password again, never shows the token.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings

from topofmind.crm.errors import Invalid

_CONTEXT = b"topofmind mail password v1:"


def _fernet() -> Fernet:
    given = str(getattr(settings, "MAIL_KEY", "") or "")
    material = given or str(settings.SECRET_KEY)
    if given and len(given) < 32:
        raise Invalid("TOPOFMIND_MAIL_KEY", "must be at least 32 characters long", "see docs/settings.md")
    key = base64.urlsafe_b64encode(hashlib.sha256(_CONTEXT + material.encode()).digest())
    return Fernet(key)


def encrypt(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode() if secret else ""


def decrypt(token: str) -> str | None:
    """The secret, or None when the token was made with another key (or is damaged)."""
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except (InvalidToken, ValueError):
        return None
