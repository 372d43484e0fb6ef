"""`python -m topofmind.demo`: the demo search, in a workspace of its own ("Demo search").

The web app makes it on demand ("Explore a demo search" on an empty Today); this entry point
does the same for the install's owner from a terminal. The user's own search is never touched;
`topofmind workspace remove "Demo search"` takes it away again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import datetime

    from topofmind.crm.models import Workspace

# Django is started by main() before the store is imported (python -m topofmind.demo).


def is_empty() -> bool:
    """No organization, person or touch in any workspace."""
    from topofmind.crm.models import Interaction, Organization, Person

    return not (Organization.objects.exists() or Person.objects.exists() or Interaction.objects.exists())


def load(*, workspace: Workspace, now: datetime) -> None:
    """Fill ``workspace`` with the demo search, as of ``now`` (tests; the app uses a demo workspace)."""
    from topofmind.crm.services.demo import load as load_demo

    load_demo(workspace=workspace, now=now)


def main() -> None:
    """Make the owner's demo workspace if there is none (the user's own search stays as it is)."""
    from topofmind.cli import setup_django

    setup_django()
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from topofmind.crm import services

    owner = get_user_model().objects.order_by("pk").values_list("pk", flat=True).first()
    workspace, made = services.open_demo(owner_id=owner, now=timezone.now())
    if not made:
        print(f'The demo search is already there (workspace "{workspace.name}", #{workspace.pk}).')
        return
    print(
        f'Loaded a demo job search (4 employers, 4 people, 3 openings) into its own workspace "{workspace.name}".'
        f' Look around with: topofmind --workspace "{workspace.name}" person list'
    )


if __name__ == "__main__":
    main()
