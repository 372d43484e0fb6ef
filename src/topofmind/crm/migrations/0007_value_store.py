"""Feed rows become the one truth about an organization's news feeds: the addresses kept one a
line in ``Organization.feeds`` (before the Feed table existed) become Feed rows, then the text
column goes. A line that is not an http(s) address is dropped (it could never have been read)."""

from django.db import migrations
from django.utils import timezone


def lines_to_feeds(apps, schema_editor):  # type: ignore[no-untyped-def]
    Organization = apps.get_model("crm", "Organization")
    Feed = apps.get_model("crm", "Feed")
    now = timezone.now()
    for org in Organization.objects.exclude(feeds="").iterator():
        seen = set(Feed.objects.filter(organization_id=org.pk).values_list("url", flat=True))
        for line in org.feeds.splitlines():
            url = line.strip()
            if not url.lower().startswith(("http://", "https://")) or len(url) > 1000 or url in seen:
                continue
            seen.add(url)
            Feed.objects.create(
                workspace_id=org.workspace_id, organization_id=org.pk, url=url, status="not fetched yet", created_at=now
            )


def feeds_to_lines(apps, schema_editor):  # type: ignore[no-untyped-def]
    Organization = apps.get_model("crm", "Organization")
    Feed = apps.get_model("crm", "Feed")
    for org in Organization.objects.all().iterator():
        urls = list(Feed.objects.filter(organization_id=org.pk).order_by("pk").values_list("url", flat=True))
        if urls:
            org.feeds = "\n".join(urls)
            org.save(update_fields=["feeds"])


class Migration(migrations.Migration):
    dependencies = [
        ("crm", "0006_value_library"),
    ]

    operations = [
        migrations.RunPython(lines_to_feeds, feeds_to_lines),
        migrations.RemoveField(model_name="organization", name="feeds"),
    ]
