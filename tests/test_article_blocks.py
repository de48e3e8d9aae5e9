"""The blocks that imported articles need: a notice shown first, a numbered list whose
items have a title and text, and a closing note, as frontends read them."""

from cms.rich_text_tree import rich_text_tree

QUERY = """{ guide(slug: "reasons") { body {
  kind
  ... on NoticeBlock { placement title text textTree }
  ... on NumberedListBlock { title items { number title text textTree } }
  ... on ClosingNoteBlock { title text textTree }
} } }"""


def test_notice_numbered_list_and_closing_note_are_typed(graphql, make_guide):
    draft = make_guide(title="Unpublished", publish=False)
    make_guide(
        slug="reasons",
        body=[
            {
                "type": "notice",
                "value": {
                    "placement": "top",
                    "title": "Disclaimer",
                    "text": "<p>This is <b>general</b> information.</p>",
                },
            },
            {
                "type": "numbered_list",
                "value": {
                    "title": "Reasons to ask",
                    "items": [
                        {"title": "A rare cancer", "text": "<p>Few centres see it.</p>"},
                        {
                            "title": "Big decisions",
                            "text": f'<p>See <a linktype="page" id="{draft.pk}">this</a>.</p>',
                        },
                    ],
                },
            },
            {
                "type": "closing_note",
                "value": {"title": "Final note", "text": "<p>Take your time.</p>"},
            },
        ],
    )

    notice, numbered, closing = graphql.data(QUERY)["guide"]["body"]

    assert notice["kind"] == "NOTICE"
    assert notice["placement"] == "TOP"
    assert notice["title"] == "Disclaimer"
    assert notice["text"] == "<p>This is <b>general</b> information.</p>"
    assert notice["textTree"] == rich_text_tree("<p>This is <b>general</b> information.</p>")
    assert numbered["kind"] == "NUMBERED_LIST"
    assert [(item["number"], item["title"]) for item in numbered["items"]] == [
        (1, "A rare cancer"),
        (2, "Big decisions"),
    ]
    assert numbered["items"][0]["text"] == "<p>Few centres see it.</p>"
    # A link to a draft guide keeps its words but not its address, in HTML and tree.
    assert "href" not in numbered["items"][1]["text"]
    assert "this" in numbered["items"][1]["text"]
    assert str(draft.pk) not in str(numbered["items"][1]["textTree"])
    assert closing == {
        "kind": "CLOSING_NOTE",
        "title": "Final note",
        "text": "<p>Take your time.</p>",
        "textTree": rich_text_tree("<p>Take your time.</p>"),
    }
