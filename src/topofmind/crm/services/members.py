"""Who works in a workspace: accounts, one-time invitation links, members added and removed."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from topofmind.crm.errors import Conflict, Invalid, NotFound
from topofmind.crm.models import Invitation, Membership, Workspace
from topofmind.crm.services.workspaces import DEFAULT_WORKSPACE_NAME, create_workspace

INVITATION_DAYS = 7
ROLES = ("owner", "member")


@dataclass(frozen=True)
class NewInvitation:
    token: str  # shown once: only its hash is stored
    expires_at: datetime
    workspace: Workspace


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _role(role: str) -> str:
    value = role.strip().lower()
    if value not in ROLES:
        raise Invalid("role", f'"{role}" is not a role', "use owner or member")
    return value


def invite(
    *, workspace: Workspace, by_user_id: int | None, now: datetime, role: str = "member", days: int = INVITATION_DAYS
) -> NewInvitation:
    """A one-time link into ``workspace``: good for ``days`` days and one use."""
    token = secrets.token_urlsafe(32)
    expires = now + timedelta(days=days)
    with transaction.atomic():
        Invitation.objects.create(
            workspace=workspace,
            role=_role(role),
            token_hash=token_hash(token),
            created_by_id=by_user_id,
            created_at=now,
            expires_at=expires,
        )
    return NewInvitation(token=token, expires_at=expires, workspace=workspace)


def _username(text: str) -> str:
    name = text.strip()
    field = get_user_model()._meta.get_field("username")
    try:
        field.clean(name, None)
    except ValidationError as exc:
        raise Invalid("username", " ".join(exc.messages)) from None
    if get_user_model().objects.filter(username__iexact=name).exists():
        raise Conflict(f'the username "{name}" is taken', "pick another one")
    return name


MIN_PASSWORD = 10


def _password(password: str, username: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise Invalid("password", f"use at least {MIN_PASSWORD} characters")
    try:
        validate_password(password, get_user_model()(username=username))
    except ValidationError as exc:
        raise Invalid("password", " ".join(exc.messages)) from None
    return password


def add_user(*, username: str, password: str) -> int:
    """A new account (no workspace yet); returns its id."""
    with transaction.atomic():
        name = _username(username)
        user = get_user_model().objects.create_user(username=name, password=_password(password, name))
    return int(user.pk)


def add_member(*, workspace: Workspace, user_id: int, now: datetime, role: str = "member") -> Membership:
    """``user_id`` joins ``workspace`` (a second call changes nothing but the role)."""
    with transaction.atomic():
        membership, _ = Membership.objects.update_or_create(
            workspace=workspace,
            user_id=user_id,
            defaults={"role": _role(role)},
            create_defaults={"role": _role(role), "created_at": now},
        )
    return membership


def accept_invitation(
    *, token: str, now: datetime, user_id: int | None = None, username: str = "", password: str = ""
) -> Membership:
    """Use a one-time link: as the signed-in ``user_id``, or as a new account ``username``.

    A link used before, expired, or unknown is NotFound: the page says so as a 404.
    """
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .select_related("workspace")
            .filter(token_hash=token_hash(token), used_at=None, expires_at__gt=now)
            .first()
        )
        if invitation is None:
            raise NotFound("that invitation link is not valid (used, expired or mistyped)", "ask for a new one")
        if user_id is None:
            user_id = add_user(username=username, password=password)
        membership = add_member(workspace=invitation.workspace, user_id=user_id, now=now, role=invitation.role)
        invitation.used_at = now
        invitation.used_by_id = user_id
        invitation.save(update_fields=["used_at", "used_by"])
    return membership


def remove_member(*, workspace: Workspace, user_id: int, now: datetime) -> None:
    """``user_id`` leaves ``workspace``: they see nothing of it from the next request on.

    The workspace's owner stays (remove the workspace instead). One left with no workspace
    gets an empty one of their own.
    """
    with transaction.atomic():
        membership = Membership.objects.select_for_update().filter(workspace=workspace, user_id=user_id).first()
        if membership is None:
            raise NotFound(f"user {user_id} is not a member of {workspace.name}", "see: topofmind user list")
        if workspace.owner_id == user_id:
            raise Conflict("the owner of a workspace cannot be removed from it", "remove the workspace instead")
        membership.delete()
        member_removed(workspace=workspace, user_id=user_id, now=now)
        if not Membership.objects.filter(user_id=user_id).exists():
            # nobody is left without a desk: their next page shows an empty search of their own
            create_workspace(name=DEFAULT_WORKSPACE_NAME, now=now, owner_id=user_id)


def member_removed(*, workspace: Workspace, user_id: int, now: datetime) -> None:
    """What else ends when a member leaves a workspace, in the same transaction: their API
    tokens and calendar feeds in it are revoked, and their unused invitations into it end."""
    from topofmind.crm.services.tokens import revoke_member_tokens

    revoke_member_tokens(workspace=workspace, user_id=user_id, now=now)
    Invitation.objects.filter(workspace=workspace, created_by_id=user_id, used_at=None).update(expires_at=now)
