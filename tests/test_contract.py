"""The public schema is the contract in cms/graphql/public_api.py, and the
code cannot drift from it without failing at start-up."""

import pytest
from graphql import build_schema, get_named_type, is_leaf_type

from cms.graphql.contract import ContractError, apply_contract
from cms.graphql.public_api import PUBLIC
from cms.graphql.schema import schema

IMPLEMENTATION = """
type Query { guide(slug: String): Guide }
type Guide { id: ID title: String! draftTitle: String body: [Block] }
type Block { text: String }
"""


def contract(**guide_fields):
    return {
        "Query": {
            "description": "Roots.",
            "fields": {"guide": ("Guide", "A guide.", {"slug": ("String", "Its slug.")})},
        },
        "Guide": {"description": "A guide.", "fields": guide_fields},
        "Block": {"description": "A block.", "fields": {"text": ("String", "Its text.")}},
        "String": {"description": "Text."},
        "ID": {"description": "An id."},
    }


def test_only_what_the_contract_lists_is_public():
    public = apply_contract(
        build_schema(IMPLEMENTATION),
        contract(
            id=("ID!", "Its id."), title=("String!", "Its title."), body=("[Block!]!", "Blocks.")
        ),
    )
    guide = public.type_map["Guide"]
    assert list(guide.fields) == ["id", "title", "body"]
    assert "draftTitle" not in guide.fields
    assert str(guide.fields["id"].type) == "ID!"
    assert str(guide.fields["body"].type) == "[Block!]!"
    assert guide.fields["title"].description == "Its title."


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"subtitle": ("String", "Not in the code.")}, "which the code lacks"),
        ({"title": ("String", "Loosened.")}, "String! in the code, String in the contract"),
        ({"title": ("Int!", "Another type.")}, "String! in the code, Int! in the contract"),
        ({"title": ("String!", "")}, "has no description"),
    ],
)
def test_a_contract_the_code_does_not_keep_fails_at_start_up(fields, message):
    with pytest.raises(ContractError, match=message):
        apply_contract(build_schema(IMPLEMENTATION), contract(**fields))


def test_a_type_reachable_but_not_listed_fails():
    listed = contract(body=("[Block]", "Blocks."))
    del listed["Block"]
    with pytest.raises(ContractError):
        apply_contract(build_schema(IMPLEMENTATION), listed)


def test_the_served_schema_has_exactly_the_contracts_types():
    served = {name for name in schema.graphql_schema.type_map if not name.startswith("__")}
    assert served == set(PUBLIC)


def test_every_type_field_and_argument_is_described():
    for name, graphql_type in schema.graphql_schema.type_map.items():
        if name.startswith("__"):
            continue
        assert graphql_type.description, name
        for field_name, field in getattr(graphql_type, "fields", {}).items():
            assert field.description, f"{name}.{field_name}"
            for arg_name, argument in field.args.items():
                assert argument.description, f"{name}.{field_name}({arg_name}:)"


def test_the_guide_body_is_exactly_its_sixteen_block_types():
    graphql_schema = schema.graphql_schema
    body = graphql_schema.type_map["GuidePage"].fields["body"]
    assert str(body.type) == "[GuideBodyBlock!]!"
    blocks = {t.name for t in graphql_schema.get_possible_types(get_named_type(body.type))}
    kinds = set(graphql_schema.type_map["GuideBodyBlockKind"].values)
    assert len(blocks) == len(kinds) == 16
    assert {name.removesuffix("Block").lower() for name in blocks} == {
        kind.replace("_", "").lower() for kind in kinds
    }


def test_no_generic_wagtail_surface_is_public():
    graphql_schema = schema.graphql_schema
    for name in ("StreamFieldInterface", "SnippetInterface", "PageChooserBlock", "RawHTMLBlock"):
        assert name not in graphql_schema.type_map
    for name, graphql_type in graphql_schema.type_map.items():
        if name.startswith("__"):
            continue
        for field_name in getattr(graphql_type, "fields", {}):
            assert field_name not in {"rawValue", "blocks", "blockType", "children", "depth"}
        for field in getattr(graphql_type, "fields", {}).values():
            assert (
                is_leaf_type(get_named_type(field.type))
                or get_named_type(field.type).name in PUBLIC
            )
