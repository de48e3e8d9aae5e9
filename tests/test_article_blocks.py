"""The blocks that imported articles need: a notice shown first, a numbered list whose
items have a title and text, and a closing note, as frontends read them."""

import datetime
import json

from cms.rich_text.tree import rich_text_tree

QUERY = """{ guide(slug: "reasons") { body {
  kind
  ... on NoticeBlock { placement title body bodyTree }
  ... on NumberedListBlock { title numberedItems { number title text textTree } }
  ... on ClosingNoteBlock { title body bodyTree }
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
                    "body": "<p>This is <b>general</b> information.</p>",
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
                "value": {"title": "Final note", "body": "<p>Take your time.</p>"},
            },
        ],
    )

    notice, numbered, closing = graphql.data(QUERY)["guide"]["body"]

    assert notice["kind"] == "NOTICE"
    assert notice["placement"] == "TOP"
    assert notice["title"] == "Disclaimer"
    assert notice["body"] == "<p>This is <b>general</b> information.</p>"
    assert notice["bodyTree"] == rich_text_tree("<p>This is <b>general</b> information.</p>")
    assert numbered["kind"] == "NUMBERED_LIST"
    assert [(item["number"], item["title"]) for item in numbered["numberedItems"]] == [
        (1, "A rare cancer"),
        (2, "Big decisions"),
    ]
    assert numbered["numberedItems"][0]["text"] == "<p>Few centres see it.</p>"
    # A link to a draft guide keeps its words but not its address, in HTML and tree.
    assert "href" not in numbered["numberedItems"][1]["text"]
    assert "this" in numbered["numberedItems"][1]["text"]
    assert str(draft.pk) not in str(numbered["numberedItems"][1]["textTree"])
    assert closing == {
        "kind": "CLOSING_NOTE",
        "title": "Final note",
        "body": "<p>Take your time.</p>",
        "bodyTree": rich_text_tree("<p>Take your time.</p>"),
    }


def test_source_attribution_and_commercial_flag_reach_readers_and_json_ld(
    graphql, make_guide, publisher
):
    make_guide(
        slug="republished",
        author_organisation=publisher,
        source_url="https://example.org/articles/second-opinions",
        source_publisher="Example Cancer Network",
        source_licence="CC BY 4.0",
        source_first_published=datetime.date(2024, 5, 1),
        promotes_commercial_service=True,
    )
    make_guide(slug="own")
    fields = "sourceUrl sourcePublisher sourceLicence sourceFirstPublished"
    fields += " promotesCommercialService jsonLd authorOrganisation { name }"

    republished = graphql.data(f'{{ guide(slug: "republished") {{ {fields} }} }}')["guide"]
    own = graphql.data(f'{{ guide(slug: "own") {{ {fields} }} }}')["guide"]

    assert republished["sourceUrl"] == "https://example.org/articles/second-opinions"
    assert republished["sourcePublisher"] == "Example Cancer Network"
    assert republished["sourceLicence"] == "CC BY 4.0"
    assert republished["sourceFirstPublished"] == "2024-05-01"
    assert republished["promotesCommercialService"] is True
    page = json.loads(republished["jsonLd"])["@graph"][0]
    assert page["isBasedOn"] == {
        "@type": "CreativeWork",
        "url": "https://example.org/articles/second-opinions",
        "publisher": {"@type": "Organization", "name": "Example Cancer Network"},
        "license": "CC BY 4.0",
        "datePublished": "2024-05-01",
    }
    assert page["author"] == {
        "@type": "Organization",
        "name": "Oncology Editorial Board",
        "url": "https://example.org/board",
    }
    assert republished["authorOrganisation"] == {"name": "Oncology Editorial Board"}
    assert own["authorOrganisation"] is None
    assert page["sponsor"] == {"@type": "Organization", "name": "Example Cancer Network"}
    assert own["promotesCommercialService"] is False
    own_page = json.loads(own["jsonLd"])["@graph"][0]
    assert "isBasedOn" not in own_page
    assert "sponsor" not in own_page


def test_body_faqs_feed_the_guide_faqs_and_json_ld_in_body_order(graphql, make_guide, make_faq):
    first, second, tab_only, hidden = (
        make_faq(question="Will my doctor mind?"),
        make_faq(question="How long does it take?"),
        make_faq(question="Does it cost anything?"),
        make_faq(question="Not yet reviewed?", publish=False),
    )
    make_guide(
        slug="faq-order",
        body=[
            {"type": "faqs", "value": {"title": "Questions", "faqs": [second.pk, hidden.pk]}},
            {"type": "faqs", "value": {"title": "More questions", "faqs": [first.pk]}},
        ],
        faqs=[first, tab_only],
    )

    guide = graphql.data('{ guide(slug: "faq-order") { faqs { question } jsonLd } }')["guide"]

    expected = ["How long does it take?", "Will my doctor mind?", "Does it cost anything?"]
    assert [faq["question"] for faq in guide["faqs"]] == expected
    faq_page = json.loads(guide["jsonLd"])["@graph"][1]
    assert [question["name"] for question in faq_page["mainEntity"]] == expected
