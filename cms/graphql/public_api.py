"""Every type, field and argument of the public GraphQL API, with what a
frontend developer needs to know about it (applied by cms/graphql/contract.py).

A field is `name: (type, description)` or `name: (type, description,
{argument: (type, description)})`. The type is written as in SDL; it may add
`!` where the code guarantees a value. To make something public, add it here
on purpose; to stop offering it, remove it and declare the breaking change
(README, "Changing the schema").
"""

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


PUBLIC = {
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
    "SyncChanges": {
        "description": "One answer of a sync: changes to apply to the local copy, in order, and where to go on from.",
        "fields": {
            "updated": (
                "[SyncItem!]!",
                "Objects to store (add, or replace the stored one of the same kind and id).",
            ),
            "removed": (
                "[SyncTombstone!]!",
                "Objects to delete from the local copy; some may never have been stored.",
            ),
            "nextToken": (
                "String!",
                "Pass as `since` next time: opaque and signed, do not change it.",
            ),
            "hasMore": (
                "Boolean!",
                "True when more changes are waiting: ask again at once with `nextToken`.",
            ),
        },
    },
    "SyncItem": {
        "description": "An object to store: `kind` says which field holds it.",
        "fields": {
            "kind": ("SyncKind!", "What the object is."),
            "id": ("ID!", "The object's id, unique within its kind."),
            "guide": ("GuidePage", "The guide, when `kind` is GUIDE."),
            "hub": ("GuideIndexPage", "The hub, when `kind` is HUB."),
            "faq": ("FAQ", "The FAQ, when `kind` is FAQ."),
            "guideCategory": ("GuideCategory", "The category, when `kind` is GUIDE_CATEGORY."),
            "cancerType": ("CancerType", "The cancer type, when `kind` is CANCER_TYPE."),
            "audience": ("Audience", "The audience, when `kind` is AUDIENCE."),
            "siteSettings": ("SiteSettings", "The site settings, when `kind` is SITE_SETTINGS."),
        },
    },
    "SyncTombstone": {
        "description": "An object readers can no longer see: delete it from the local copy.",
        "fields": {
            "kind": ("SyncKind!", "What the object was."),
            "id": ("ID!", "The object's id, unique within its kind."),
        },
    },
    "SyncKind": {
        "description": "A kind of object an app syncs.",
        "values": {
            "GUIDE": "A guide (GuidePage).",
            "HUB": "A guide hub (GuideIndexPage).",
            "FAQ": "A published FAQ.",
            "GUIDE_CATEGORY": "A guide category.",
            "CANCER_TYPE": "A cancer type.",
            "AUDIENCE": "An audience.",
            "SITE_SETTINGS": "The site settings (one object).",
        },
    },
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
    "ImageObjectType": {
        "description": "An image. Ask for the sizes you show with `sources`, `rendition` or `srcSet`; only the server's listed widths, crops and formats are offered. One request may make only so many new renditions (error code RENDITION_LIMIT): ask again for the rest.",
        "fields": {
            "id": ("ID!", "The image's id."),
            "url": ("String!", "The original file's address; prefer a rendition."),
            "width": ("Int!", "The original's width in pixels."),
            "height": ("Int!", "The original's height in pixels."),
            "fileSize": ("Int", "The original file's size in bytes; null if its file is missing."),
            "alt": (
                "String!",
                "Text alternative from the library (its description, else its title); a block's own alt text comes first.",
            ),
            "focalPoint": (
                "ImageFocalPoint",
                "The part of the image that matters, for positioning it in a box of another shape; null if an editor set none.",
            ),
            "placeholder": (
                "ImagePlaceholder",
                "What to show while a rendition loads (BlurHash, dominant colour, a tiny preview); null until computed.",
            ),
            "sources": (
                "[ImageSource!]!",
                "The offered renditions as a list, best format first: every offered width (or the `widths` you give), or one crop (`fill`), in each format you ask for (all three by default). Widths past the original's size are left out.",
                {
                    "widths": (
                        "[Int!]",
                        "Widths in pixels, each one of the offered widths (320, 480, 640, 800, 1200, 1600).",
                    ),
                    "fill": (
                        "String",
                        "One crop instead of widths, e.g. '640x360' (offered: 320x180, 640x360, 1200x630).",
                    ),
                    "formats": (
                        "[ImageFormat!]",
                        "The formats, in the order you want them; all three by default.",
                    ),
                },
            ),
            "description": (
                "String!",
                "A description of the image from the library; the block's alt text comes first.",
            ),
            "rendition": (
                "ImageRenditionObjectType",
                "One resized version. Give `width` or `fill` (e.g. '640x360'), and optionally `format` ('avif' or 'webp'; the original's format otherwise); only the server's listed filters are offered.",
                {
                    "max": ("String", "Fit within this box, e.g. '800x600'."),
                    "min": ("String", "Cover at least this box, e.g. '800x600'."),
                    "width": ("Int", "Resize to this width in pixels."),
                    "height": ("Int", "Resize to this height in pixels."),
                    "fill": ("String", "Crop to exactly this size, e.g. '640x360'."),
                    "format": ("String", "Convert: 'avif' or 'webp'."),
                },
            ),
            "srcSet": (
                "String",
                "An HTML `srcset` value of widths, e.g. '/a.jpg 320w, /b.jpg 640w'.",
                {
                    "sizes": ("[Int]", "The widths in pixels, each one of the offered widths."),
                    "format": ("String", "Convert each: 'avif' or 'webp'."),
                },
            ),
        },
    },
    "ImageFormat": {
        "description": "A file format a rendition can be made in.",
        "values": {
            "AVIF": "AVIF: the smallest files; iOS 16+, Android 12+ and current browsers.",
            "WEBP": "WebP: small files almost everywhere.",
            "ORIGINAL": "The uploaded file's format (JPEG, PNG or GIF).",
        },
    },
    "ImageSource": {
        "description": "One rendition of an image, for a `<picture>` source or a native image loader.",
        "fields": {
            "url": ("String!", "The file's address."),
            "width": ("Int!", "Its width in pixels."),
            "height": ("Int!", "Its height in pixels."),
            "format": ("String!", "Its format: 'avif', 'webp', 'jpeg', 'png', 'gif' or 'svg'."),
            "mimeType": ("String!", "Its MIME type, e.g. 'image/avif', for a `<source type>`."),
        },
    },
    "ImagePlaceholder": {
        "description": "A stand-in to show while an image loads, computed once when the image was saved.",
        "fields": {
            "blurhash": (
                "String!",
                "A BlurHash (4 x 3 components) to decode into a blurred preview.",
            ),
            "dominantColor": (
                "String!",
                "The image's most common colour, e.g. '#3a6b8c', for a plain background.",
            ),
            "dataUri": (
                "String!",
                "A tiny WebP preview (16 pixels on its longer side) as a data: URI, to show scaled up and blurred.",
            ),
        },
    },
    "ImageFocalPoint": {
        "description": "The part of an image that matters, in pixels of the original: keep it in view when cropping or positioning, e.g. CSS `object-position` at (x divided by the image's width, y divided by its height) as percentages.",
        "fields": {
            "x": ("Int!", "Its centre, from the left edge."),
            "y": ("Int!", "Its centre, from the top edge."),
            "width": ("Int!", "Its width."),
            "height": ("Int!", "Its height."),
        },
    },
    "ImageRenditionObjectType": {
        "description": "A resized version of an image.",
        "fields": {
            "url": ("String!", "The resized file's address."),
            "width": ("Int!", "Its width in pixels."),
            "height": ("Int!", "Its height in pixels."),
        },
    },
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
    "GuideBodyBlock": {
        "description": "One block of a guide's body. Exactly the types listed here implement it: switch on `__typename` (or `kind`).",
        "fields": {
            "id": ("ID!", "The block's stable id within the body: a key for lists and anchors."),
            "kind": ("GuideBodyBlockKind!", "Which kind of block this is, as an enum."),
        },
        "implementations": [
            "HeadingBlock",
            "ParagraphBlock",
            "CalloutBlock",
            "QuoteBlock",
            "ScriptBlock",
            "ChecklistBlock",
            "StepsBlock",
            "QuestionListBlock",
            "ComparisonBlock",
            "CallToActionBlock",
            "ImageBlock",
            "TableBlock",
            "FAQsBlock",
            "NoticeBlock",
            "NumberedListBlock",
            "ClosingNoteBlock",
        ],
    },
    "GuideBodyBlockKind": {
        "description": "Which kind of block a GuideBodyBlock is: its stable name in the body.",
        "values": {
            "HEADING": "A HeadingBlock.",
            "PARAGRAPH": "A ParagraphBlock.",
            "CALLOUT": "A CalloutBlock.",
            "QUOTE": "A QuoteBlock.",
            "SCRIPT": "A ScriptBlock.",
            "CHECKLIST": "A ChecklistBlock.",
            "STEPS": "A StepsBlock.",
            "QUESTION_LIST": "A QuestionListBlock.",
            "COMPARISON": "A ComparisonBlock.",
            "CALL_TO_ACTION": "A CallToActionBlock.",
            "IMAGE": "An ImageBlock.",
            "TABLE": "A TableBlock.",
            "FAQS": "A FAQsBlock.",
            "NOTICE": "A NoticeBlock.",
            "NUMBERED_LIST": "A NumberedListBlock.",
            "CLOSING_NOTE": "A ClosingNoteBlock.",
        },
    },
    "HeadingBlock": _block(
        "A section heading. Build the table of contents from these.",
        text=("String!", "The heading's words."),
        level=("Int!", "2 for a section, 3 for a sub-section, 4 for a minor heading."),
        anchor=("String!", "A link target for the heading, unique within the guide."),
    ),
    "ParagraphBlock": _block(
        "Body text: paragraphs, lists, bold, italics and links.",
        value=("RichText!", "The text."),
        valueTree=("RichTextDocument!", "`value` as a document tree, for native rendering."),
    ),
    "CalloutBlock": _block(
        "A boxed note that stands out from the body text.",
        variant=("CalloutVariant!", "How it looks, and how urgent it is."),
        title=("String", "An optional heading for the box."),
        body=("RichText!", "The note."),
        bodyTree=("RichTextDocument!", "`body` as a document tree, for native rendering."),
    ),
    "CalloutVariant": {
        "description": "How a callout looks, and how urgent it is.",
        "values": {
            "INFO": "Background information.",
            "IMPORTANT": "Safety-critical, e.g. when to call a doctor urgently.",
            "TIP": "Practical advice.",
        },
    },
    "QuoteBlock": _block(
        "A quotation, e.g. from a patient or a clinician.",
        text=("String!", "What was said, plain text."),
        attribution=("String", "Who said it."),
    ),
    "ScriptBlock": _block(
        "Words a patient can use in a situation.",
        situation=("String!", "When to use them, e.g. 'When you ask for a second opinion'."),
        words=("String!", "The words to say, in the first person, plain text."),
        note=("String", "Advice on tone or timing."),
    ),
    "ChecklistBlock": _block(
        "A titled list of things to prepare or bring.",
        title=("String", "The list's heading."),
        items=("[String!]!", "The things, in order."),
    ),
    "StepsBlock": _block(
        "Steps in order, each with a title and text.",
        title=("String", "The steps' heading."),
        steps=("[StepItem!]!", "The steps, in order."),
    ),
    "StepItem": {
        "description": "One step of a StepsBlock.",
        "fields": {
            "number": ("Int!", "The step's number, from 1."),
            "title": ("String!", "The step's short title."),
            "text": ("String!", "What to do, plain text."),
        },
    },
    "NoticeBlock": _block(
        "A notice such as a disclaimer. Show it before the body when `placement` is TOP.",
        placement=("NoticePlacement!", "Where to show it."),
        title=("String", "An optional heading, e.g. 'Disclaimer'."),
        body=("RichText!", "The notice."),
        bodyTree=("RichTextDocument!", "`body` as a document tree, for native rendering."),
    ),
    "NoticePlacement": {
        "description": "Where a frontend shows a notice.",
        "values": {
            "TOP": "Before everything else in the guide, whatever its place in the body.",
            "INLINE": "Where it stands in the body.",
        },
    },
    "NumberedListBlock": _block(
        "Numbered points, each with a short title and a paragraph.",
        title=("String", "The list's heading."),
        numberedItems=("[NumberedItem!]!", "The points, in order."),
    ),
    "NumberedItem": {
        "description": "One point of a NumberedListBlock.",
        "fields": {
            "number": ("Int!", "The point's number, from 1."),
            "title": ("String!", "The point's short title."),
            "text": ("RichText!", "The point's paragraph."),
            "textTree": ("RichTextDocument!", "`text` as a document tree, for native rendering."),
        },
    },
    "ClosingNoteBlock": _block(
        "The guide's closing words, e.g. a final note or summary.",
        title=("String", "An optional heading, e.g. 'Final note'."),
        body=("RichText!", "The note."),
        bodyTree=("RichTextDocument!", "`body` as a document tree, for native rendering."),
    ),
    "QuestionListBlock": _block(
        "A titled list of questions to ask.",
        title=("String", "The list's heading."),
        questions=("[String!]!", "The questions, in order."),
    ),
    "ComparisonBlock": _block(
        "Two to four columns to compare, each a title and points.",
        title=("String", "The comparison's heading."),
        columns=("[ComparisonColumn!]!", "The columns, in order."),
    ),
    "ComparisonColumn": {
        "description": "One column of a ComparisonBlock.",
        "fields": {
            "title": ("String!", "The column's heading."),
            "points": ("[String!]!", "The column's points, in order."),
        },
    },
    "CallToActionBlock": _block(
        "A prompt to act, with one button.",
        heading=("String!", "The prompt's heading."),
        text=("String!", "A sentence under the heading; may be empty."),
        buttonLabel=("String!", "The button's words, verb first."),
        url=(
            "String",
            "Where the button goes; null when its page is not public (hide the button).",
        ),
    ),
    "ImageBlock": _block(
        "An image with its caption and a text alternative.",
        image=("ImageObjectType", "The image; null if it was deleted from the library."),
        altText=("String!", "Text alternative for screen readers."),
        caption=("String", "A caption to show under the image."),
    ),
    "TableBlock": _block(
        "A table of text.",
        caption=("String", "The table's caption."),
        hasHeaderRow=("Boolean!", "The first row is a header row."),
        hasHeaderColumn=("Boolean!", "The first column is a header column."),
        rows=("[[String!]!]!", "The cells, row by row; empty cells are empty strings."),
    ),
    "FAQsBlock": _block(
        "FAQs placed at this point of the body, in the editors' order.",
        title=("String", "The section's heading, e.g. 'Frequently asked questions'."),
        faqs=("[FAQ!]!", "The published FAQs placed here."),
    ),
    "ID": {"description": "A unique id, sent as a string. Use it as a cache key."},
    "String": {"description": "Text, UTF-8."},
    "Boolean": {"description": "`true` or `false`."},
    "Int": {"description": "A whole number between -(2^31) and 2^31 - 1."},
    "Float": {"description": "A number with a fractional part."},
    "PositiveInt": {"description": "A whole number, 0 or more. TypeScript: `number`."},
    "Date": {"description": "A calendar date, ISO 8601: '2026-03-31'. TypeScript: `string`."},
    "DateTime": {
        "description": "A moment in time, ISO 8601 with its UTC offset: '2026-03-31T09:30:00+00:00'. TypeScript: `string`."
    },
    "RichText": {
        "description": "HTML: paragraphs (<p>), headings (<h2>-<h4>), lists (<ul>, <ol>, <li>), <b>, <i> and links (<a href>). A link to a page readers cannot see keeps its text and loses its href. TypeScript: `string`."
    },
    "RichTextDocument": {
        "description": "Rich text as a JSON document tree, for apps that render natively: `{type: 'document', children: [...]}` with paragraphs, headings, lists and list items, text with marks (bold, italic), line breaks and links whose `target` says what they open (`kind` GUIDE, HUB, FAQ or PAGE with the page's id, slug and url; DOCUMENT; EXTERNAL, EMAIL, PHONE or ANCHOR with a url). A link to a page readers cannot see is plain text. The shape is the JSON Schema schema/rich-text.schema.json; clients/ generates its TypeScript types (`RichTextDocument`)."
    },
}
