"""Search results, their highlighted ranges and suggestions."""

SEARCH = {
    "SearchResults": {
        "description": "A page of search results.",
        "fields": {
            "total": ("Int!", "Matches in all; when `totalIsExact` is false, at least this many."),
            "totalIsExact": (
                "Boolean!",
                'False when more matched than the server counts (a common word): show `total` as a lower bound, e.g. "1,000+".',
            ),
            "page": ("Int!", "This page's number, from 1."),
            "perPage": ("Int!", "Results per page."),
            "items": ("[SearchResult!]!", "The results on this page, most relevant first."),
        },
    },
    "SearchResult": {
        "description": "One search match: a guide, a hub or an FAQ.",
        "fields": {
            "kind": ("SearchKind!", "What was matched; the field of that name holds it."),
            "title": ("String!", "The guide or hub title, or the FAQ question."),
            "url": ("String", "Page address for guides and hubs; empty for FAQs."),
            "excerpt": (
                "String!",
                "A passage around the match, HTML-escaped, matched words wrapped in <mark>.",
            ),
            "excerptText": (
                "String!",
                "The same passage as plain text (not escaped, no <mark>), for native rendering.",
            ),
            "matches": (
                "[TextRange!]!",
                "Where the matched words are in `excerptText`, in order.",
            ),
            "score": ("Float!", "Higher is more relevant."),
            "promoted": ("Boolean!", "Pinned by editors for this query."),
            "guide": ("GuidePage", "The guide, when `kind` is GUIDE."),
            "hub": ("GuideIndexPage", "The hub, when `kind` is HUB."),
            "faq": ("FAQ", "The FAQ, when `kind` is FAQ."),
        },
    },
    "TextRange": {
        "description": "A range of a plain text, counted in UTF-16 code units as JavaScript's `String.prototype.slice`, Kotlin's `substring` and Swift's `utf16` view count.",
        "fields": {
            "start": ("Int!", "Where the range starts, from 0."),
            "end": ("Int!", "Just after where it ends: `text.slice(start, end)` is the match."),
        },
    },
    "SearchKind": {
        "description": "A kind of search result.",
        "values": {"GUIDE": "A guide.", "FAQ": "A published FAQ.", "HUB": "A guide hub."},
    },
    "SearchSuggestion": {
        "description": "A type-ahead suggestion.",
        "fields": {
            "text": ("String!", "The suggested words: a guide title or an FAQ question."),
            "kind": ("SearchKind!", "What the suggestion is."),
            "url": ("String", "Where it leads, for guides."),
        },
    },
}
