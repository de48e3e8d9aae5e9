"""Guides and FAQs due for clinical review: the daily command, the reports and the dashboard."""

import csv
import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import PageLogEntry

from guides.models import GuidePage


@pytest.fixture
def cycle(make_guide):
    today = timezone.localdate()
    return {
        "long_overdue": make_guide(
            "Long overdue", next_review_due=today - datetime.timedelta(days=90)
        ),
        "overdue": make_guide("Just overdue", next_review_due=today - datetime.timedelta(days=2)),
        "soon": make_guide("Due soon", next_review_due=today + datetime.timedelta(days=30)),
        "current": make_guide(
            "Reviewed recently", next_review_due=today + datetime.timedelta(days=400)
        ),
    }


def run(*args):
    out = io.StringIO()
    call_command("flag_overdue_reviews", *args, stdout=out)
    return out.getvalue()


def test_dry_run_reports_and_changes_nothing(cycle, settings):
    settings.CLINICAL_REVIEW_UNPUBLISH_AFTER_DAYS = 30
    output = run("--dry-run")
    assert "2 guide(s) overdue" in output
    assert "Long overdue" in output and "would flag" in output
    assert "would unpublish Long overdue" in output
    assert not PageLogEntry.objects.filter(action="guides.review_overdue").exists()
    assert GuidePage.objects.get(pk=cycle["long_overdue"].pk).live


def test_flags_once_and_leaves_guides_published_by_default(cycle):
    output = run()
    assert output.count(", flagged") == 2
    assert "Unpublishing is off" in output
    flagged = set(
        PageLogEntry.objects.filter(action="guides.review_overdue").values_list(
            "page_id", flat=True
        )
    )
    assert flagged == {cycle["long_overdue"].pk, cycle["overdue"].pk}
    assert "already flagged" in run()  # safe to run daily
    assert PageLogEntry.objects.filter(action="guides.review_overdue").count() == 2
    assert GuidePage.objects.live().count() == 4


def test_unpublishes_only_guides_overdue_by_more_than_the_setting(cycle, settings, graphql):
    settings.CLINICAL_REVIEW_UNPUBLISH_AFTER_DAYS = 30
    output = run()
    assert "unpublished Long overdue" in output
    assert not GuidePage.objects.get(pk=cycle["long_overdue"].pk).live
    assert GuidePage.objects.get(pk=cycle["overdue"].pk).live
    titles = [g["title"] for g in graphql.data("{ guides { items { title } } }")["guides"]["items"]]
    assert "Long overdue" not in titles


def test_report_and_dashboard_list_due_guides(client, cycle):
    client.force_login(get_user_model().objects.create_superuser("editor", "e@example.org", "pw"))
    html = client.get("/admin/reports/guides-due-for-review/").content.decode()
    assert html.index("Long overdue") < html.index("Just overdue") < html.index("Due soon")
    assert "Reviewed recently" not in html

    export = client.get(
        "/admin/reports/guides-due-for-review/?export=csv&ordering=-next_review_due"
    )
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode())))
    assert rows[0][:3] == ["Guide", "Next review due", "Status"]
    assert [(row[0], row[2]) for row in rows[1:]] == [
        ("Due soon", "Due soon"),
        ("Just overdue", "Overdue"),
        ("Long overdue", "Overdue"),
    ]

    dashboard = client.get("/admin/").content.decode()
    assert "2</strong> guides overdue" in dashboard and "1</strong> due soon" in dashboard


def test_the_report_filters_by_status_and_reviewer(client, cycle, reviewer):
    GuidePage.objects.filter(pk=cycle["soon"].pk).update(reviewed_by=reviewer.person)
    client.force_login(get_user_model().objects.create_superuser("editor", "e@example.org", "pw"))
    report = "/admin/reports/guides-due-for-review/results/"

    overdue = client.get(report, {"status": "overdue"}).content.decode()
    assert "Long overdue" in overdue and "Just overdue" in overdue
    assert "Due soon" not in overdue
    by_lena = client.get(report, {"reviewed_by": reviewer.person.pk}).content.decode()
    assert "Due soon" in by_lena and "Dr Lena Hart" in by_lena
    assert "Long overdue" not in by_lena and "Just overdue" not in by_lena


def test_the_dashboard_names_a_reviewers_next_steps(client, cycle, reviewer, make_faq, editor):
    from faqs.models import FAQ

    GuidePage.objects.filter(pk=cycle["overdue"].pk).update(reviewed_by=reviewer.person)
    faq = make_faq("Can my carer travel with me?")
    FAQ.objects.filter(pk=faq.pk).update(
        reviewed_by=reviewer.person, next_review_due=timezone.localdate()
    )
    waiting = make_faq("Can I fly after chemotherapy?", publish=False)
    waiting.save_revision(user=editor)
    waiting.get_workflow().start(waiting, editor)
    client.force_login(reviewer)

    html = client.get("/admin/").content.decode()

    assert "Your next steps" in html
    assert "<strong>1</strong> item awaiting your review" in html
    assert (
        f'Review again: guide <a href="/admin/pages/{cycle["overdue"].pk}/edit/">Just overdue</a>'
        in html
    )
    assert (
        f'Review again: FAQ <a href="/admin/snippets/faqs/faq/edit/{faq.pk}/">'
        "Can my carer travel with me?</a>" in html
    )
    assert "Long overdue" not in html.split("Your next steps")[-1]  # not hers to review


@pytest.fixture
def faq_cycle(make_faq, reviewer):
    from faqs.models import FAQ

    today = timezone.localdate()
    dates = {
        "Is it safe to fly?": today - datetime.timedelta(days=10),
        "Can I keep working?": today + datetime.timedelta(days=20),
        "Do I need a visa?": today + datetime.timedelta(days=400),
    }
    for question, due in dates.items():
        faq = make_faq(question)
        FAQ.objects.filter(pk=faq.pk).update(next_review_due=due)
    FAQ.objects.filter(question="Can I keep working?").update(reviewed_by=reviewer.person)
    make_faq("A draft due long ago?", publish=False)
    FAQ.objects.filter(question="A draft due long ago?").update(
        next_review_due=today - datetime.timedelta(days=100)
    )
    return dates


def test_the_faq_report_lists_live_faqs_due_with_status_and_reviewer(client, faq_cycle, reviewer):
    client.force_login(get_user_model().objects.create_superuser("editor", "e@example.org", "pw"))

    html = client.get("/admin/reports/faqs-due-for-review/").content.decode()
    assert html.index("Is it safe to fly?") < html.index("Can I keep working?")
    assert "Do I need a visa?" not in html
    assert "A draft due long ago?" not in html
    assert "Dr Lena Hart" in html

    report = "/admin/reports/faqs-due-for-review/results/"
    overdue = client.get(report, {"status": "overdue"}).content.decode()
    assert "Is it safe to fly?" in overdue and "Can I keep working?" not in overdue
    by_lena = client.get(report, {"reviewed_by": reviewer.person.pk}).content.decode()
    assert "Can I keep working?" in by_lena and "Is it safe to fly?" not in by_lena

    export = client.get("/admin/reports/faqs-due-for-review/?export=csv&ordering=-next_review_due")
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode())))
    assert rows[0] == ["FAQ", "Next review due", "Status", "Last reviewed", "Reviewed by"]
    assert [(row[0], row[2], row[4]) for row in rows[1:]] == [
        ("Can I keep working?", "Due soon", "Dr Lena Hart, MD"),
        ("Is it safe to fly?", "Overdue", ""),
    ]

    dashboard = client.get("/admin/").content.decode()
    assert (
        "1</strong> FAQ overdue" in dashboard
        and '1</strong> due soon. <a href="/admin/reports/faqs' in dashboard
    )


def test_an_editor_without_faq_permissions_cannot_open_the_faq_report(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("nobody", "n@example.org", "pw"))
    response = client.get("/admin/reports/faqs-due-for-review/")
    assert response.status_code in (302, 403)
