"""Delta sync for offline apps: `changes` and what it returns."""

SYNC = {
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
}
