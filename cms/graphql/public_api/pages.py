"""Pages: the interface, the home page, hubs, guides, the FAQ page, lists and their
pagination, and what a guide carries (references, change log, review,
readability)."""

from cms.graphql.public_api.common import PAGE_FIELDS, PAGINATION_ARGUMENTS, REVIEW_FIELDS

PAGES = {
    "PageInterface": {
        "description": "What every page has. Switch on `__typename` for the page's own fields.",
        "fields": PAGE_FIELDS,
    },
    "HomePage": {
        "description": "The site's home page: its hero and what editors feature.",
        "interfaces": ["PageInterface"],
        "fields": {
            **PAGE_FIELDS,
            "heroTitle": ("String!", "The large heading at the top of the home page."),
            "heroText": ("String", "A sentence or two under the hero heading."),
            "featuredHubs": ("[GuideIndexPage!]!", "Hubs editors feature, in their order."),
            "featuredGuides": ("[GuidePage!]!", "Guides editors feature, in their order."),
        },
    },
    "GuideIndexPage": {
        "description": "A topic hub, e.g. 'Cancer care › Second opinions': an introduction and the guides in it.",
        "interfaces": ["PageInterface"],
        "fields": {
            **PAGE_FIELDS,
            "eyebrow": ("String", "A short label above the title, e.g. 'Cancer care'."),
            "tagline": ("String", "One line under the title."),
            "intro": ("RichText", "An introduction above the list of guides."),
            "introTree": ("RichTextDocument", "`intro` as a document tree, for native rendering."),
            "closingCallToAction": ("CallToAction", "A prompt to act shown after the guides."),
            "guides": ("GuideList!", "This hub's live guides, newest first.", PAGINATION_ARGUMENTS),
        },
    },
    "GuidePage": {
        "description": "A patient-facing guide: its card fields, its body, FAQs, references and clinical review.",
        "interfaces": ["PageInterface"],
        "fields": {
            **PAGE_FIELDS,
            "publishedDate": ("Date!", "The date shown on the guide, set by editors."),
            "category": ("GuideCategory!", "What kind of guide this is, e.g. a decision guide."),
            "publisher": ("Publisher", "The organisation that publishes the guide."),
            "cancerTypes": ("[CancerType!]!", "Cancer types the guide is about; empty for all."),
            "audiences": ("[Audience!]!", "Who the guide is written for."),
            "standfirst": ("String", "The opening paragraph under the title."),
            "summary": ("String!", "A summary for guide cards and link previews, plain text."),
            "keyHighlights": ("[String!]!", "Short bullet points for guide cards."),
            "importantFacts": ("[String!]!", "Facts to know, shown as a list."),
            "quickAnswer": ("RichText", "The short answer at the top of the guide."),
            "quickAnswerTree": (
                "RichTextDocument",
                "`quickAnswer` as a document tree, for native rendering.",
            ),
            "heroImage": (
                "ImageObjectType",
                "The guide's main image, for cards and the page header.",
            ),
            "body": ("[GuideBodyBlock!]!", "The guide's content, block by block, in order."),
            "faqs": ("[FAQ!]!", "Published FAQs placed on this guide, in the editors' order."),
            "disclaimer": ("RichText", "This guide's disclaimer; null to show the site's default."),
            "disclaimerTree": (
                "RichTextDocument",
                "`disclaimer` as a document tree, for native rendering.",
            ),
            "authorOrganisation": (
                "Publisher",
                "An organisation credited as author; null when a person is (see `author`).",
            ),
            "sourceUrl": ("String", "Where the article was first published; empty if here."),
            "sourcePublisher": ("String", "The organisation that first published it."),
            "sourceLicence": ("String", "The licence or permission it is republished under."),
            "sourceFirstPublished": ("Date", "When it first appeared at `sourceUrl`."),
            "promotesCommercialService": (
                "Boolean!",
                "True when the article promotes a commercial service: tell readers.",
            ),
            "references": (
                "[Reference!]!",
                "Sources the guide cites, numbered as the body cites them.",
            ),
            "relatedGuides": ("[GuidePage!]!", "Other live guides editors chose, in their order."),
            "hub": ("GuideIndexPage", "The hub this guide belongs to."),
            **REVIEW_FIELDS,
            "changeLog": ("[ChangeLogEntry!]!", "Published changes, newest first."),
            "readability": (
                "ReadabilityResult",
                "Reading level and reading time of the guide's text.",
            ),
            "jsonLd": (
                "String!",
                "schema.org JSON-LD (MedicalWebPage and FAQPage) for the page's <head>.",
            ),
        },
    },
    "FAQIndexPage": {
        "description": "The FAQ page: every published FAQ, grouped by topic.",
        "interfaces": ["PageInterface"],
        "fields": {
            **PAGE_FIELDS,
            "intro": ("RichText", "One or two sentences shown above the FAQs."),
            "introTree": ("RichTextDocument", "`intro` as a document tree, for native rendering."),
            "topics": ("[FAQTopic!]!", "Topics that have published FAQs, each with its FAQs."),
        },
    },
    "CallToAction": {
        "description": "A prompt to act with one button.",
        "fields": {
            "heading": ("String!", "The prompt's heading."),
            "text": ("String", "A sentence under the heading."),
            "buttonLabel": ("String", "The button's words, verb first."),
            "url": ("String", "Where the button goes; null when its page is not public."),
        },
    },
    "GuideList": {
        "description": "A page of guides with pagination details.",
        "fields": {
            "items": ("[GuidePage!]!", "The guides on this page."),
            "pagination": ("PaginationType!", "Where this page stands in the whole list."),
        },
    },
    "FAQList": {
        "description": "A page of FAQs with pagination details.",
        "fields": {
            "items": ("[FAQ!]!", "The FAQs on this page."),
            "pagination": ("PaginationType!", "Where this page stands in the whole list."),
        },
    },
    "PaginationType": {
        "description": "Where a page of results stands in the whole list.",
        "fields": {
            "total": ("PositiveInt!", "Items in the whole list."),
            "count": ("PositiveInt!", "Items on this page."),
            "perPage": ("PositiveInt!", "Items per page."),
            "currentPage": ("PositiveInt!", "This page's number, from 1."),
            "prevPage": ("PositiveInt", "The previous page's number; null on the first page."),
            "nextPage": ("PositiveInt", "The next page's number; null on the last page."),
            "totalPages": ("PositiveInt!", "How many pages there are (at least 1)."),
        },
    },
    "Reference": {
        "description": "A source a guide cites.",
        "fields": {
            "number": ("Int!", "What body text cites, e.g. [1]."),
            "title": ("String!", "The title of the cited work."),
            "source": ("String", "Where it was published, e.g. a journal or an organisation."),
            "year": ("Int", "Year of publication."),
            "url": ("String", "Where to read it."),
            "doi": ("String", "Its DOI, e.g. '10.1000/xyz123'."),
            "pmid": ("String", "Its PubMed id."),
            "accessed": ("Date", "When a web source was last checked."),
        },
    },
    "ChangeLogEntry": {
        "description": "One published change to a guide, for the 'What changed' section.",
        "fields": {
            "type": ("ChangeType!", "What kind of change it was."),
            "date": ("Date!", "When it was published."),
            "summary": ("String!", "What changed, for readers; empty for minor edits."),
        },
    },
    "ChangeType": {
        "description": "What kind of change was published.",
        "values": {
            "NEW": "The guide was first published.",
            "MINOR_EDIT": "Wording, spelling or layout; nothing clinical.",
            "CLINICAL_UPDATE": "Clinical content changed.",
            "FULL_REVIEW": "The whole guide was reviewed by a clinician.",
        },
    },
    "ReviewStatus": {
        "description": "Where content stands in its clinical review cycle.",
        "values": {
            "CURRENT": "Reviewed, and the next review is not due soon.",
            "DUE_SOON": "The next review is due within the warning period.",
            "OVERDUE": "The next review date has passed.",
        },
    },
    "ReadabilityResult": {
        "description": "How hard a guide's text is to read, measured on its words.",
        "fields": {
            "grade": ("Float!", "Flesch-Kincaid grade level."),
            "readingEase": ("Float!", "Flesch reading ease, 0 to 100+."),
            "smog": ("Float", "SMOG grade; null under 30 sentences."),
            "wordCount": ("Int!", "Words in the guide's text."),
            "readingTimeMinutes": ("Int!", "Minutes to read it, rounded up."),
        },
    },
}
