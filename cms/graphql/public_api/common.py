"""What the parts of the public contract share: page and review fields,
pagination and lookup arguments, and the shapes of a body block and a
taxonomy term."""

PAGE_FIELDS = {
    "id": ("ID!", "The page's id: stable for its lifetime, a good cache key."),
    "title": ("String!", "The page title as shown to readers."),
    "slug": ("String!", "The last part of the page's address, e.g. 'asking-for-a-second-opinion'."),
    "url": (
        "String",
        "The page's address on the site, e.g. '/second-opinion/asking-for-a-second-opinion/'.",
    ),
    "urlPath": ("String!", "The page's path in the page tree, for routing with `page(urlPath:)`."),
    "seoTitle": ("String!", "Title for the browser tab and search engines; empty to use `title`."),
    "searchDescription": ("String", "Description for search engine results and link previews."),
    "firstPublishedAt": ("DateTime", "When the page was first published."),
    "lastPublishedAt": (
        "DateTime",
        "When the page was last published (any change, however small).",
    ),
}

REVIEW_FIELDS = {
    "lastReviewed": (
        "Date",
        "When a clinician last reviewed this content; null if never reviewed.",
    ),
    "nextReviewDue": ("Date!", "When the next clinical review is due."),
    "reviewedBy": ("Person", "The clinician who approved the last review."),
    "author": ("Person", "Who wrote this content."),
    "reviewStatus": ("ReviewStatus!", "Where this content stands in its clinical review cycle."),
}

PAGINATION_ARGUMENTS = {
    "page": ("Int", "1-based page number; a page past the end is empty."),
    "perPage": ("Int", "Items per page, at most the server's maximum (100 by default)."),
}

PAGE_LOOKUP_ARGUMENTS = {
    "id": ("ID", "The page's id."),
    "slug": ("String", "The page's slug."),
    "urlPath": ("String", "The page's path, e.g. '/second-opinion/'."),
}

PREVIEW_TOKEN = (
    "String",
    "A preview token from the admin: returns that unpublished draft instead. Never cached.",
)


def _block(description, **fields):
    return {
        "description": description,
        "interfaces": ["GuideBodyBlock"],
        "fields": {
            "id": ("ID!", "The block's stable id within the body: a key for lists and anchors."),
            "kind": ("GuideBodyBlockKind!", "Which kind of block this is, as an enum."),
            **fields,
        },
    }


def _term(description):
    return {
        "description": description,
        "fields": {
            "id": ("ID!", "The term's id."),
            "name": ("String!", "The name shown to readers."),
            "slug": ("String!", "The term's stable name for filters and addresses."),
        },
    }
