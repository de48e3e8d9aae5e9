"""Scheduled go-live and expiry, as `manage.py publish_scheduled` (run every
few minutes, see docs/operations.md) carries them out."""

import datetime
from unittest import mock

from django.core.management import call_command
from django.utils import timezone

from guides.models import GuideChange, GuidePage
from tests.admin_workflow import publish_reviewed

EVERY_QUERY = """
query($slug: String!, $path: String!) {
  guides { items { slug } }
  guide(slug: $slug) { slug }
  page(urlPath: $path) { title }
  hubs { guides { items { slug } } }
  search(query: "scheduled") { items { url } }
}
"""


def hours_later(hours):
    """The clock `hours` from now, for the scheduler and the API alike."""
    return mock.patch(
        "django.utils.timezone.now",
        return_value=timezone.now() + datetime.timedelta(hours=hours),
    )


def visible_everywhere(graphql, guide):
    data = graphql.data(EVERY_QUERY, {"slug": guide.slug, "path": guide.url_path})
    found = {
        "guides": [g["slug"] for g in data["guides"]["items"]] == [guide.slug],
        "guide": data["guide"] is not None,
        "page": data["page"] is not None,
        "hub": [g["slug"] for g in data["hubs"][0]["guides"]["items"]] == [guide.slug],
        "search": [item["url"] for item in data["search"]["items"]] == [guide.url],
    }
    return found


def test_a_scheduled_guide_goes_live_when_publish_scheduled_runs(make_guide, graphql):
    guide = make_guide("A scheduled guide", publish=False)
    guide.go_live_at = timezone.now() + datetime.timedelta(hours=2)
    publish_reviewed(guide)  # with a future go-live, this schedules it
    guide.refresh_from_db()
    assert not guide.live
    assert not any(visible_everywhere(graphql, guide).values())

    with hours_later(1):
        call_command("publish_scheduled")  # too early: nothing happens
    assert not GuidePage.objects.get(pk=guide.pk).live

    with hours_later(3):
        call_command("publish_scheduled")

    guide.refresh_from_db()
    assert guide.live
    assert all(visible_everywhere(graphql, guide).values()), visible_everywhere(graphql, guide)
    assert list(GuideChange.objects.filter(guide=guide).values_list("change_type", flat=True)) == [
        "new"
    ]


def test_an_expired_guide_disappears_from_every_query_and_is_unpublished(make_guide, graphql):
    guide = make_guide("A scheduled guide", expire_at=timezone.now() + datetime.timedelta(hours=2))
    assert all(visible_everywhere(graphql, guide).values())

    with hours_later(3):
        # Gone as soon as it expires, before the scheduler runs...
        assert not any(visible_everywhere(graphql, guide).values())
        call_command("publish_scheduled")

    # ...and unpublished when it does.
    guide.refresh_from_db()
    assert not guide.live and guide.expired
    assert not any(visible_everywhere(graphql, guide).values())
