"""`changes(since:)`: delta sync for offline apps, over the kinds apps
register with cms/sync/. Items are the API's own types (GuidePage, FAQ...),
so an app asks each kind for the fields it stores; tombstones are kind + id.

The types are built when the schema is, once every app has registered its
kinds (cms can import no app)."""

import graphene

from cms import sync
from cms.graphql.fields import page_size
from cms.graphql.selection import Selection


def sync_queries():
    """The query mixin with `changes`, for the kinds registered so far."""
    kinds = sync.kinds()
    SyncKind = graphene.Enum(
        "SyncKind", [(kind.name, kind.name) for kind in kinds], description="A kind of object."
    )

    class SyncTombstone(graphene.ObjectType):
        kind = graphene.Field(SyncKind, required=True)
        id = graphene.ID(required=True)

        def resolve_kind(change, info):
            return change.kind.name

    item_fields = {
        kind.field: graphene.Field(kind.graphql_type, description=kind.description)
        for kind in kinds
    }

    def resolve_kind(change, info):
        return change.kind.name

    def resolver(field):
        return lambda change, info: change.item if change.kind.field == field else None

    SyncItem = type(
        "SyncItem",
        (graphene.ObjectType,),
        {
            "kind": graphene.Field(SyncKind, required=True),
            "id": graphene.ID(required=True),
            "resolve_kind": resolve_kind,
            **item_fields,
            **{f"resolve_{field}": resolver(field) for field in item_fields},
        },
    )

    class SyncChanges(graphene.ObjectType):
        updated = graphene.List(graphene.NonNull(SyncItem), required=True)
        removed = graphene.List(graphene.NonNull(SyncTombstone), required=True)
        next_token = graphene.String(required=True)
        has_more = graphene.Boolean(required=True)

    class SyncQueries(graphene.ObjectType):
        changes = graphene.Field(
            SyncChanges,
            since=graphene.String(),
            locale=graphene.String(),
            per_page=graphene.Int(),
        )

        def resolve_changes(self, info, since=None, locale=None, per_page=None):
            selection = Selection.of(info, "updated")
            return sync.changes(
                since=since,
                locale=locale,
                per_page=page_size(per_page),
                selections={kind.field: selection[_camel(kind.field)] for kind in kinds},
            )

    return SyncQueries


def _camel(name):
    first, *rest = name.split("_")
    return first + "".join(word.title() for word in rest)
