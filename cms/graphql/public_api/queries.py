"""The root queries."""

from cms.graphql.public_api.common import PAGE_LOOKUP_ARGUMENTS, PAGINATION_ARGUMENTS, PREVIEW_TOKEN

QUERIES = {
    "Query": {
        "description": "Everything a frontend can read. Only live, public, unexpired content is returned.",
        "fields": {
            "guides": (
                "GuideList",
                "Live guides, newest first, with filters and pagination. Null, with an error beside it, when an argument is out of range.",
                {
                    **PAGINATION_ARGUMENTS,
                    "category": ("String", "Guide category slug, e.g. 'decision-guide'."),
                    "cancerType": ("String", "Cancer type slug, e.g. 'lymphoma'."),
                    "audience": ("String", "Audience slug, e.g. 'caregivers'."),
                    "hub": ("ID", "Only guides in this hub (its page id)."),
                },
            ),
            "guide": (
                "GuidePage",
                "One live guide, by exactly one of id, slug or urlPath; or a draft, by preview token. Null when there is no such live guide.",
                {**PAGE_LOOKUP_ARGUMENTS, "token": PREVIEW_TOKEN},
            ),
            "hub": (
                "GuideIndexPage",
                "One live guide hub, by exactly one of id, slug or urlPath.",
                PAGE_LOOKUP_ARGUMENTS,
            ),
            "hubs": ("[GuideIndexPage!]!", "Every live guide hub, in menu order."),
            "home": ("HomePage", "The live home page."),
            "page": (
                "PageInterface",
                "Any live, public page by id or urlPath, for frontends that route by address; or a draft of any page, by preview token.",
                {
                    "id": ("ID", "The page's id."),
                    "urlPath": ("String", "A path such as '/second-opinion/'."),
                    "token": PREVIEW_TOKEN,
                },
            ),
            "faqs": (
                "FAQList",
                "Published FAQs, by topic then question.",
                {
                    "topic": ("String", "FAQ topic slug, e.g. 'travel-and-visas'."),
                    **PAGINATION_ARGUMENTS,
                },
            ),
            "faq": (
                "FAQ",
                "One published FAQ by id; null when there is none.",
                {"id": ("ID!", "The FAQ's id.")},
            ),
            "faqTopics": ("[FAQTopic!]!", "Topics that have published FAQs, each with its FAQs."),
            "search": (
                "SearchResults",
                "Live guides, hubs and published FAQs matching the query, most relevant first. Never cached: every search is counted.",
                {
                    "query": ("String!", "What the reader typed."),
                    "kinds": ("[SearchKind!]", "Only these kinds of result."),
                    "category": ("String", "Guide category slug (guides only)."),
                    "cancerType": ("String", "Cancer type slug (guides only)."),
                    "audience": ("String", "Audience slug (guides only)."),
                    "page": ("Int", "1-based page number."),
                    "perPage": ("Int", "Results per page, at most the server's search maximum."),
                },
            ),
            "searchSuggestions": (
                "[SearchSuggestion!]",
                "Guide titles and FAQ questions for type-ahead, as the reader types.",
                {
                    "prefix": ("String!", "What the reader has typed so far."),
                    "limit": ("Int", "How many suggestions, at most 20."),
                },
            ),
            "siteSettings": (
                "SiteSettings!",
                "Site-wide defaults: disclaimer and contact call to action.",
            ),
            "changes": (
                "SyncChanges",
                "Delta sync for apps that keep an offline copy: the guides, hubs, FAQs, taxonomy terms and site settings added or changed since `since`, and a tombstone for each that readers can no longer see (unpublished, deleted, expired, moved under a hidden page, restricted). Without `since`, a first sync: everything readers can see. Ask again with `nextToken` while `hasMore` is true, then keep the last `nextToken` for next time. An object that shows another (a guide its FAQs, related guides, category) comes again when that one changes. Null, with an error beside it, for a bad token, an unknown locale or an expired token (code SYNC_TOKEN_EXPIRED: delete the local copy and sync from scratch).",
                {
                    "since": (
                        "String",
                        "The `nextToken` of the previous answer; leave out for a first sync.",
                    ),
                    "locale": (
                        "String",
                        "The language code whose pages to sync, e.g. 'en-gb'; by default the site's default language. Sync each locale with its own tokens.",
                    ),
                    "perPage": (
                        "Int",
                        "Changes per answer, at most the server's maximum (100 by default).",
                    ),
                },
            ),
        },
    },
}
