"""`Selection` tells a resolver which fields a query reads below it, so it
loads only those: fragments and inline fragments count, aliases fold together."""

from graphql import parse
from graphql.language import FragmentDefinitionNode, OperationDefinitionNode

from cms.graphql.selection import EVERYTHING, Selection


def selection_of_root_field(document):
    """The Selection below the first root field of the document's query."""
    parsed = parse(document)
    fragments = {
        d.name.value: d for d in parsed.definitions if isinstance(d, FragmentDefinitionNode)
    }
    [operation] = [d for d in parsed.definitions if isinstance(d, OperationDefinitionNode)]
    return Selection([operation.selection_set.selections[0]], fragments)


def test_fields_of_fragments_inline_fragments_and_aliases_are_selected():
    selection = selection_of_root_field(
        """
        fragment Card on GuidePage { summary heroImage { url } }
        { guide(id: 1) { title ...Card ... on GuidePage { body { blockType } }
                         short: relatedGuides { title } long: relatedGuides { faqs { question } } } }
        """
    )
    assert selection.names() == {"title", "summary", "heroImage", "body", "relatedGuides"}
    # Both aliases of relatedGuides are read, so both sub-selections count.
    assert selection["relatedGuides"].names() == {"title", "faqs"}
    assert "faqs" not in selection
    assert selection["missing"].names() == set()


def test_a_fragment_spread_twice_or_in_itself_is_read_once():
    selection = selection_of_root_field(
        """
        fragment A on GuidePage { title ...B }
        fragment B on GuidePage { slug ...A }
        { guide(id: 1) { ...A ...B } }
        """
    )
    assert selection.names() == {"title", "slug"}


def test_everything_selects_every_field_at_every_level():
    assert "body" in EVERYTHING
    assert "anything" in EVERYTHING["relatedGuides"]["faqs"]
