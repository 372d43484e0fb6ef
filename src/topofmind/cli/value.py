"""``topofmind value ...`` (the library of things worth sharing), ``topofmind feed ...`` and
``topofmind feeds ...`` (company news)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from topofmind.cli import common, render

value_app = typer.Typer(
    help="The value library: articles, achievements and materials worth sharing (company news comes from feeds).",
    no_args_is_help=True,
)
value_add_app = typer.Typer(help="Add an article, an achievement or a material.", no_args_is_help=True)
value_app.add_typer(value_add_app, name="add")
feed_app = typer.Typer(help="An organization's news feed (RSS or Atom): add, remove.", no_args_is_help=True)
feeds_app = typer.Typer(help="Company news feeds: list them, fetch them now.", no_args_is_help=True)

JSON = Annotated[bool, typer.Option("--json", help="Print JSON.")]
TAGS = Annotated[str, typer.Option(help="Comma-separated, e.g. data,platforms.")]


@value_add_app.command("article")
def add_article(
    url: Annotated[str, typer.Option(help="The article's address.")],
    title: Annotated[str, typer.Option(help="Default: read from the page.")] = "",
    summary: Annotated[str, typer.Option(help="Default: read from the page.")] = "",
    tags: TAGS = "",
) -> None:
    """Add an article by its address; its title and summary are read from the page unless typed."""
    workspace = common.workspace()
    from topofmind.crm import services

    added = services.add_article(
        workspace=workspace, url=url, title=title, summary=summary, tags=tags, now=common.now()
    )
    render.echo(f"Added article #{added.item.pk} {added.item.title}.")
    if added.fetch_note:
        render.echo(f"note: the page was not read: {added.fetch_note}", err=True)


@value_add_app.command("achievement")
def add_achievement(
    title: Annotated[str, typer.Option(help="A certification, a course, a milestone.")],
    date: Annotated[str, typer.Option("--date", help="YYYY-MM-DD; default: today.")] = "",
    tags: TAGS = "",
) -> None:
    """Add an achievement; the hiring managers and recruiters of open openings get an update offered (R12)."""
    workspace = common.workspace()
    from topofmind.crm import services
    from topofmind.crm.validation import parse_date

    day = parse_date(date, field="--date") if date.strip() else None
    item = services.add_achievement(workspace=workspace, title=title, happened_on=day, tags=tags, now=common.now())
    render.echo(f"Added achievement #{item.pk} {item.title} ({item.happened_on}).")


@value_add_app.command("material")
def add_material(
    file: Annotated[Path, typer.Argument(help="The file to keep (a copy goes into the data directory).")],
    title: Annotated[str, typer.Option(help="What it is, e.g. Résumé, backend version.")],
    tags: TAGS = "",
) -> None:
    """Add a material (a résumé version, a portfolio, a work sample), shared only with permission (R11)."""
    common.readable_file(file)
    workspace = common.workspace()
    from topofmind.crm import services

    with file.open("rb") as upload:
        item = services.add_material(
            workspace=workspace, upload=upload, original_name=file.name, title=title, tags=tags, now=common.now()
        )
    render.echo(f"Added material #{item.pk} {item.title} ({item.original_name}, {item.size} bytes).")


@value_app.command("list")
def value_list(
    kind: Annotated[str, typer.Option(help="article, news, achievement or material.")] = "",
    tag: Annotated[str, typer.Option(help="Only items with this tag.")] = "",
    json_: JSON = False,
) -> None:
    """List the library, newest first."""
    workspace = common.workspace()
    from rich.table import Table

    from topofmind.crm import queries
    from topofmind.crm.queries.serialize import value_item_dict

    tz = common.tz(workspace)
    items = list(queries.library_items(workspace, queries.LibraryFilter(kind=kind, tag=tag)))
    if json_:
        render.print_json([value_item_dict(i, tz=tz) for i in items])
        return
    table = Table("ID", "Kind", "Title", "Tags", "Shared with", "Link or file")
    for i in items:
        where = i.url or (i.original_name if i.kind == "material" else "")
        table.add_row(
            str(i.pk),
            i.kind,
            render.safe(i.title),
            render.safe(i.tags),
            str(getattr(i, "shared_count", 0)),
            render.safe(where),
        )
    render.console().print(
        table if items else "The library is empty: topofmind value add article --url URL (or achievement, material)"
    )


@value_app.command("remove")
def value_remove(item_id: Annotated[int, typer.Argument(metavar="ID", help="The item's id (value list).")]) -> None:
    """Remove an item (a material's file goes too)."""
    workspace = common.workspace()
    from topofmind.crm import services

    item = services.remove_item(workspace=workspace, item_id=item_id)
    render.echo(f"Removed {item.kind} #{item_id} {item.title}.")


@value_app.command("tag")
def value_tag(
    item_id: Annotated[int, typer.Argument(metavar="ID")],
    tags: Annotated[str, typer.Argument(help="Comma-separated; replaces the item's tags.")],
) -> None:
    """Replace an item's tags."""
    workspace = common.workspace()
    from topofmind.crm import services

    item = services.edit_tags(workspace=workspace, item_id=item_id, tags=tags)
    render.echo(f"#{item.pk} {item.title}: tags {item.tags or '(none)'}.")


@feed_app.command("add")
def feed_add(
    org: Annotated[str, typer.Argument(metavar="ORG", help="The organization, by name or #id.")],
    url: Annotated[str, typer.Argument(metavar="URL", help="The feed's address (RSS or Atom).")],
) -> None:
    """Add a news feed to an organization; it is read on the next fetch."""
    workspace = common.workspace()
    from topofmind.crm import services
    from topofmind.crm.queries.lookup import find_organization

    found = find_organization(workspace=workspace, name=org)
    feed = services.add_feed(workspace=workspace, organization_id=found.pk, url=url, now=common.now())
    render.echo(f"Added feed #{feed.pk} for {found.name}: {feed.url} (read it now with: topofmind feeds fetch)")


@feed_app.command("remove")
def feed_remove(feed_id: Annotated[int, typer.Argument(metavar="ID", help="The feed's id (feeds list).")]) -> None:
    """Stop reading a feed (the news read from it stays in the library)."""
    workspace = common.workspace()
    from topofmind.crm import services

    feed = services.remove_feed(workspace=workspace, feed_id=feed_id)
    render.echo(f"Removed feed #{feed_id} {feed.url}.")


@feeds_app.command("list")
def feeds_list(json_: JSON = False) -> None:
    """List the feeds with how their last fetch went."""
    workspace = common.workspace()
    from rich.table import Table

    from topofmind.crm import queries
    from topofmind.crm.queries.serialize import feed_dict

    tz = common.tz(workspace)
    rows = queries.feeds(workspace)
    if json_:
        render.print_json([feed_dict(f, tz=tz) for f in rows])
        return
    table = Table("ID", "Organization", "Feed", "Status")
    for f in rows:
        table.add_row(str(f.pk), render.safe(f.organization.name), render.safe(f.url), render.safe(f.status))
    render.console().print(table if rows else "No feeds yet: topofmind feed add ORG URL")


@feeds_app.command("fetch")
def feeds_fetch(
    json_: JSON = False,
    later: Annotated[
        bool, typer.Option("--later", help="Queue the fetch for the worker (as the page's Fetch now does) and return.")
    ] = False,
) -> None:
    """Read every feed of the workspace now and print each one's status."""
    workspace = common.workspace()
    from dataclasses import asdict

    from topofmind.crm import services

    if later:
        from topofmind import tasks

        job = tasks.request_news_fetch(workspace=workspace)
        render.echo(f"Queued a fetch of every feed (job {job}); see how it went with: topofmind feeds list")
        return
    outcomes = services.fetch_feeds(workspace=workspace, now=common.now())
    if json_:
        render.print_json([asdict(o) for o in outcomes])
        return
    if not outcomes:
        render.echo("No feeds yet: topofmind feed add ORG URL")
    for o in outcomes:
        render.echo(f"#{o.feed_id} {o.organization}: {o.url}: {o.status}")
