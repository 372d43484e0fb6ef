"""``topofmind search TEXT``: people, organizations, openings and touch notes holding every word."""

from __future__ import annotations

from typing import Annotated

import typer

from topofmind.cli import common, render


def search(
    text: Annotated[str, typer.Argument(metavar="TEXT", help="Every word must appear (any case, inside words too).")],
    json_: Annotated[bool, typer.Option("--json", help="Print only JSON (schema in docs/cli.md).")] = False,
    limit: Annotated[int, typer.Option(min=1, max=100, help="At most this many of each kind.")] = 20,
) -> None:
    """Find people, organizations, openings and touches by what you remember of them."""
    workspace = common.workspace()
    from topofmind.crm import queries

    if not queries.search_words(text):
        common.fail("TEXT", "give a word to look for", 'e.g. topofmind search "acme"')
    tz = common.tz(workspace)
    found = queries.search(workspace, text, limit=limit)
    if json_:
        render.print_json(queries.search_dict(found, tz=tz))
        return
    render.print_search(found, tz=tz)
