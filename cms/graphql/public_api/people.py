"""People, publishers, taxonomy terms, FAQs and the site settings."""

from cms.graphql.public_api.common import REVIEW_FIELDS, _term

PEOPLE = {
    "Person": {
        "description": "A person who writes or reviews content.",
        "fields": {
            "id": ("ID!", "The person's id."),
            "name": ("String!", "Full name as shown to readers."),
            "credentials": ("String", "Qualifications, e.g. 'MBBS, FRCP'."),
            "role": ("String", "Their role, e.g. 'Consultant oncologist'."),
        },
    },
    "Publisher": {
        "description": "An organisation that publishes guides.",
        "fields": {
            "id": ("ID!", "The publisher's id."),
            "name": ("String!", "The organisation's name."),
            "url": ("String", "The organisation's website."),
        },
    },
    "GuideCategory": _term("What kind of guide it is, e.g. 'Decision guide'."),
    "CancerType": _term("A cancer type a guide is about, e.g. 'Lymphoma'."),
    "Audience": _term("Who a guide is written for, e.g. 'Caregivers'."),
    "FAQTopic": {
        "description": "A group of FAQs, e.g. 'Travel and visas'.",
        "fields": {
            "id": ("ID!", "The topic's id."),
            "name": ("String!", "The topic's name."),
            "slug": ("String!", "The topic's stable name for filters."),
            "faqs": ("[FAQ!]!", "The topic's published FAQs."),
        },
    },
    "FAQ": {
        "description": "One question and its answer, written once and placed in many guides.",
        "fields": {
            "id": ("ID!", "The FAQ's id."),
            "question": ("String!", "The question, as a patient would ask it."),
            "answer": ("RichText!", "The answer."),
            "answerTree": (
                "RichTextDocument!",
                "`answer` as a document tree, for native rendering.",
            ),
            "topic": ("FAQTopic!", "The topic it is listed under."),
            "updatedAt": (
                "DateTime!",
                "When the published FAQ last changed (published, unpublished or edited).",
            ),
            **REVIEW_FIELDS,
        },
    },
    "SiteSettings": {
        "description": "Site-wide defaults.",
        "fields": {
            "defaultDisclaimer": (
                "RichText",
                "The disclaimer to show on guides that have none of their own.",
            ),
            "defaultDisclaimerTree": (
                "RichTextDocument",
                "`defaultDisclaimer` as a document tree, for native rendering.",
            ),
            "contactCallToAction": ("CallToAction", "How readers contact the service."),
        },
    },
}
