"""jsonLd gives search engines and apps schema.org data for a guide."""

import datetime
import json

from django.conf import settings

from cms.models import Person
from guides.models import CancerType, GuideReference
from tests.admin_workflow import publish_reviewed


def test_guide_json_ld_describes_the_page_and_its_faqs(
    graphql, make_guide, make_faq, publisher, taxonomy
):
    myeloma = CancerType.objects.create(
        name="Plasma cell myeloma", code="C90.0", coding_system="ICD-10"
    )
    faq = make_faq("Will my doctor mind?", "<p>Most <b>expect</b> it.</p>")
    reviewer = Person.objects.create(name="Dr Lena Hart", credentials="MD", role="Haematologist")
    writer = Person.objects.create(name="Jo Park", role="Editor")
    guide = make_guide(
        "Asking for a second opinion",
        slug="ld",
        summary="How to ask for another view.",
        published_date=datetime.date(2026, 3, 14),
        publisher=publisher,
        reviewed_by=reviewer,
        author=writer,
        last_reviewed=datetime.date(2026, 3, 1),
        next_review_due=datetime.date(2028, 3, 1),
        faqs=[faq],
    )
    guide.cancer_types.set([myeloma, taxonomy["lymphoma"]])
    guide.audiences.set([taxonomy["patients"]])
    guide.references = [GuideReference(title="Review outcomes", doi="10.1000/abc1", pmid="123")]
    publish_reviewed(guide)
    guide.refresh_from_db()

    document = json.loads(graphql.data('{ guide(slug: "ld") { jsonLd } }')["guide"]["jsonLd"])
    assert document["@context"] == "https://schema.org"
    page, faq_page = document["@graph"]
    url = settings.PUBLIC_SITE_URL.rstrip("/") + guide.url
    assert page["@type"] == "MedicalWebPage"
    assert page["name"] == "Asking for a second opinion"
    assert page["description"] == "How to ask for another view."
    assert page["url"] == url
    assert page["datePublished"] == "2026-03-14"
    assert page["dateModified"] == guide.last_published_at.isoformat()
    assert page["lastReviewed"] == "2026-03-01"
    assert page["reviewedBy"] == {
        "@type": "Person",
        "name": "Dr Lena Hart",
        "honorificSuffix": "MD",
        "jobTitle": "Haematologist",
    }
    assert page["author"] == {"@type": "Person", "name": "Jo Park", "jobTitle": "Editor"}
    assert page["publisher"] == {
        "@type": "Organization",
        "name": "Oncology Editorial Board",
        "url": "https://example.org/board",
    }
    assert page["audience"] == [{"@type": "MedicalAudience", "audienceType": "Patient"}]
    assert {
        "@type": "MedicalCondition",
        "name": "Plasma cell myeloma",
        "code": {"@type": "MedicalCode", "codeValue": "C90.0", "codingSystem": "ICD-10"},
    } in page["about"]
    assert {"@type": "MedicalCondition", "name": "Lymphoma"} in page["about"]
    assert page["inLanguage"] == "en-GB"
    assert page["citation"] == [
        {
            "@type": "CreativeWork",
            "name": "Review outcomes",
            "url": "https://doi.org/10.1000/abc1",
            "identifier": ["doi:10.1000/abc1", "pmid:123"],
        }
    ]
    assert faq_page["@type"] == "FAQPage"
    assert faq_page["isPartOf"] == {"@id": page["@id"]}
    assert faq_page["mainEntity"] == [
        {
            "@type": "Question",
            "name": "Will my doctor mind?",
            "acceptedAnswer": {"@type": "Answer", "text": "Most expect it."},
        }
    ]


def test_guide_without_faqs_has_only_the_page(graphql, make_guide):
    make_guide(slug="plain-ld")
    document = json.loads(graphql.data('{ guide(slug: "plain-ld") { jsonLd } }')["guide"]["jsonLd"])
    assert [node["@type"] for node in document["@graph"]] == ["MedicalWebPage"]
