"""schema.org JSON-LD for a guide: a MedicalWebPage, with a FAQPage for its FAQs."""

from django.conf import settings
from wagtail.rich_text import get_text_for_indexing

from cms.visibility import is_visible

AUDIENCE_TYPES = {
    "patients": "Patient",
    "caregivers": "Caregiver",
    "international-patients": "Patient",
}


def _person(person):
    if person is None:
        return None
    data = {"@type": "Person", "name": person.name}
    if person.credentials:
        data["honorificSuffix"] = person.credentials
    if person.role:
        data["jobTitle"] = person.role
    return data


def _absolute(path):
    return settings.PUBLIC_SITE_URL.rstrip("/") + path if path and path.startswith("/") else path


def _language_tag(code):
    language, _, region = code.partition("-")
    return f"{language}-{region.upper()}" if region else language


def _organisation(publisher):
    if publisher is None:
        return None
    return _prune({"@type": "Organization", "name": publisher.name, "url": publisher.url})


def _promoter(guide):
    if guide.source_publisher:
        return guide.source_publisher
    return guide.publisher.name if guide.publisher else None


def _prune(data):
    return {key: value for key, value in data.items() if value not in (None, "", [])}


def guide_json_ld(guide, request=None):
    url = _absolute(guide.url)
    about = [
        _prune(
            {
                "@type": "MedicalCondition",
                "name": cancer_type.name,
                "code": _prune(
                    {
                        "@type": "MedicalCode",
                        "codeValue": cancer_type.code,
                        "codingSystem": cancer_type.coding_system,
                    }
                )
                if cancer_type.code
                else None,
            }
        )
        for cancer_type in guide.cancer_types.all()
    ]
    citations = [
        _prune(
            {
                "@type": "CreativeWork",
                "name": ref.title,
                "publisher": ref.source,
                "datePublished": str(ref.year) if ref.year else None,
                "url": ref.url or (f"https://doi.org/{ref.doi}" if ref.doi else None),
                "identifier": [
                    identifier
                    for identifier in (
                        f"doi:{ref.doi}" if ref.doi else None,
                        f"pmid:{ref.pmid}" if ref.pmid else None,
                    )
                    if identifier
                ],
            }
        )
        for ref in guide.references.all()
    ]
    page = _prune(
        {
            "@type": "MedicalWebPage",
            "@id": f"{url}#page",
            "name": guide.title,
            "description": guide.summary,
            "url": url,
            "datePublished": guide.published_date.isoformat(),
            "dateModified": guide.last_published_at.isoformat()
            if guide.last_published_at
            else None,
            "lastReviewed": guide.last_reviewed.isoformat() if guide.last_reviewed else None,
            "reviewedBy": _person(guide.reviewed_by),
            "author": _person(guide.author) or _organisation(guide.author_organisation),
            "isBasedOn": _prune(
                {
                    "@type": "CreativeWork",
                    "url": guide.source_url,
                    "publisher": {"@type": "Organization", "name": guide.source_publisher}
                    if guide.source_publisher
                    else None,
                    "license": guide.source_licence,
                    "datePublished": guide.source_first_published.isoformat()
                    if guide.source_first_published
                    else None,
                }
            )
            if guide.source_url or guide.source_publisher
            else None,
            # schema.org has no "promotional" flag: the organisation behind the service is
            # the page's sponsor.
            "sponsor": _prune({"@type": "Organization", "name": _promoter(guide)})
            if guide.promotes_commercial_service
            else None,
            "publisher": _organisation(guide.publisher),
            "audience": [
                {
                    "@type": "MedicalAudience",
                    "audienceType": AUDIENCE_TYPES.get(audience.slug, audience.name),
                }
                for audience in guide.audiences.all()
            ],
            "about": about,
            "inLanguage": _language_tag(settings.LANGUAGE_CODE),
            "citation": citations,
        }
    )
    graph = [page]
    faqs = [faq for faq in guide.faqs_in_order() if is_visible(faq)]
    if faqs:
        graph.append(
            {
                "@type": "FAQPage",
                "@id": f"{url}#faqs",
                "isPartOf": {"@id": f"{url}#page"},
                "mainEntity": [
                    {
                        "@type": "Question",
                        "name": faq.question,
                        "acceptedAnswer": {
                            "@type": "Answer",
                            "text": get_text_for_indexing(faq.answer),
                        },
                    }
                    for faq in faqs
                ],
            }
        )
    return {"@context": "https://schema.org", "@graph": graph}
