"""The daily reminder: each reviewer is emailed, once, about the guides and FAQs
they reviewed that fall due for review soon."""

import datetime
import io

from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from cms.models import Person
from faqs.models import FAQ


def due_in(days):
    return timezone.localdate() + datetime.timedelta(days=days)


@override_settings(CLINICAL_REVIEW_REMINDER_DAYS=30)
def test_each_reviewer_is_reminded_once_of_what_falls_due(
    make_guide, make_faq, reviewer, mailoutbox
):
    clinician = reviewer.person
    make_guide(title="Travelling abroad", reviewed_by=clinician, next_review_due=due_in(10))
    make_guide(title="Not due for a while", reviewed_by=clinician, next_review_due=due_in(60))
    make_guide(title="A draft", reviewed_by=clinician, next_review_due=due_in(5), publish=False)
    unlinked = Person.objects.create(name="Dr Sam Reed")
    make_guide(
        title="Reviewed by someone unlinked", reviewed_by=unlinked, next_review_due=due_in(3)
    )
    faq = make_faq("Can my carer travel with me?")
    FAQ.objects.filter(pk=faq.pk).update(reviewed_by=clinician, next_review_due=due_in(30))

    call_command("send_review_reminders", stdout=io.StringIO())

    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == ["lena@example.org"]
    assert email.subject == "2 clinical review(s) due within 30 days"
    assert f"Guide “Travelling abroad”: review due {due_in(10):%d %B %Y}" in email.body
    assert f"FAQ “Can my carer travel with me?”: review due {due_in(30):%d %B %Y}" in email.body
    assert f"/admin/snippets/faqs/faq/edit/{faq.pk}/" in email.body
    for absent in ("Not due for a while", "A draft", "someone unlinked"):
        assert absent not in email.body

    call_command("send_review_reminders", stdout=io.StringIO())
    assert len(mailoutbox) == 1  # a second run the same day sends nothing
