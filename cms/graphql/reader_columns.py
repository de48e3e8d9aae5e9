"""Columns no reader's answer is made from, left out of public reads.

Wagtail keeps drafts, revisions, locks, owners, aliases and tree counts in
the same rows as what a patient reads: 15 of a page's 29 columns, 8 of an
FAQ's. Django compiles, fetches and converts every column it selects, and for
an uncached guide that work grows with the columns of its main query and of
the related guides and FAQs it joins, more than with their rows. Public reads
(the GraphQL resolvers, the blocks that load chosen FAQs) defer them.

A deferred column read by mistake costs a query per object: every GraphQL
test fails on one (tests/conftest.py), and tests/test_reader_columns.py asks
for each of a guide's fields alone, in a guide, a list and related guides.
"""

from graphene.utils.str_converters import to_camel_case

from cms.graphql.selection import EVERYTHING

# By model field name (what `QuerySet.defer` takes), for pages, snippets with
# a draft state and images alike: a name a model lacks is skipped.
UNREAD = frozenset(
    {
        # drafts and revisions
        "latest_revision",
        "latest_revision_created_at",
        "live_revision",
        "has_unpublished_changes",
        "draft_title",
        # scheduling: readers see `live` and `expire_at`; `go_live_at` and
        # `expired` are what publish_scheduled acts on
        "go_live_at",
        "expired",
        # locks, owners, aliases, translations and the tree's bookkeeping
        "locked",
        "locked_at",
        "locked_by",
        "owner",
        "alias_of",
        "translation_key",
        "numchild",
        "show_in_menus",
        # images: who uploaded one and when (not its size and hash: Wagtail
        # reads them to make a rendition)
        "uploaded_by_user",
        "created_at",
        # where an imported guide came from (the importer's, not the reader's)
        "imported_from",
    }
)


def unread_columns(model, prefix=""):
    """The fields of `model` no reader sees, as `defer()` names under `prefix`
    (e.g. "guide__" for the guide a link joins)."""
    return [
        prefix + field.name
        for field in model._meta.concrete_fields
        if field.name in UNREAD and not field.primary_key
    ]


def unselected_columns(model, selection, prefix=""):
    """The columns of `model`'s own table (not its parents') that no field in
    `selection` reads, as `defer()` names under `prefix`.

    A field reads the column it is named after (`keyHighlights`, `category`),
    or those `model.graphql_field_columns` names for it (computed fields:
    `readability`, `faqs`); fields of the parent tables (a page's `title`,
    `url`) read none of these. A selected field the model says nothing about
    (`jsonLd`, or one added next year) loads every column: unknown costs a few
    columns, never a query per object."""
    reads = getattr(model, "graphql_field_columns", None)
    if reads is None or selection is EVERYTHING:
        return []
    own = [field for field in model._meta.local_concrete_fields if not field.primary_key]
    by_api_name = {to_camel_case(field.name): field.name for field in own}
    parents = {
        to_camel_case(field.name)
        for field in model._meta.concrete_fields
        if field.model is not model and field.name not in UNREAD
    }
    needed = set()
    for name in selection.names():
        if name in by_api_name:
            needed.add(by_api_name[name])
        elif name in reads:
            needed.update(reads[name])
        elif name not in parents and not name.startswith("__"):
            return []
    return [prefix + field.name for field in own if field.name not in needed]
