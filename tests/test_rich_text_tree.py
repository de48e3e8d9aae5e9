"""Every rich-text field also comes as a document tree (`…Tree`), valid
against schema/rich-text.schema.json, with the words of its HTML and page
links resolved by the HTML's rules: a page readers cannot see is plain text."""

import datetime
import json
from io import StringIO
from pathlib import Path

import jsonschema_rs
import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from graphql import GraphQLNonNull, GraphQLObjectType, get_named_type
from wagtail.models import PageViewRestriction

from cms.graphql.schema import schema
from cms.rich_text.tree import rich_text_tree
from cms.site_settings import SiteSettings
from faqs.models import FAQIndexPage
from guides.models import GuidePage
from tests.admin_workflow import publish_reviewed

SCHEMA = json.loads((Path(__file__).parents[1] / "schema" / "rich-text.schema.json").read_text())
VALIDATOR = jsonschema_rs.validator_for(SCHEMA)

TREES_OF_A_GUIDE = """
    quickAnswer quickAnswerTree disclaimer disclaimerTree
    body {
      __typename
      ... on ParagraphBlock { value valueTree }
      ... on CalloutBlock { body bodyTree }
    }
    faqs { answer answerTree }
    hub { intro introTree }
"""


def assert_valid(tree):
    errors = [error.message for error in VALIDATOR.iter_errors(tree)]
    assert not errors, (errors, json.dumps(tree))


def squeezed(text):
    return "".join(text.split())


def tree_words(tree):
    """Every character a reader sees, in order, without whitespace."""
    if isinstance(tree, list):
        return "".join(tree_words(node) for node in tree)
    if tree["type"] == "text":
        return squeezed(tree["text"])
    return tree_words(tree.get("children", []))


def html_words(html):
    soup = BeautifulSoup(html or "", "html.parser")
    for hidden in soup.find_all(["script", "style", "template", "iframe"]):
        hidden.decompose()
    return squeezed(soup.get_text())


def links(tree):
    if isinstance(tree, list):
        return [link for node in tree for link in links(node)]
    found = [tree] if tree["type"] == "link" else []
    return found + links(tree.get("children", []))


# --- Hostile HTML: whatever is stored, the tree is valid and keeps the words.

TOO_LARGE_ID = "9" * 20  # over any database integer

HOSTILE = {
    "nested marks": "<p><b>bold <i>both <b>still both</b></i></b> <em><strong>x</strong></em></p>",
    "empty tags": '<p></p><h2></h2><ul></ul><ol><li></li></ol><b></b><a href="https://x.org"></a><p> </p>',
    "unknown tags": "<foo>bar</foo><p><span style='x'>span</span> <marquee>m</marquee> <u>u</u></p>",
    "scripts and comments": "<p>a<script>alert(1)</script><!-- secret --><style>p{}</style>b</p>",
    "broken links": (
        '<p><a linktype="page">no id</a> <a linktype="page" id="">empty</a> '
        '<a linktype="page" id="1 OR 1=1">sql</a> <a linktype="page" id="999999">gone</a> '
        f'<a linktype="page" id="²">superscript</a> <a linktype="page" id="{TOO_LARGE_ID}">big</a> '
        '<a linktype="document" id="999999">doc</a> <a linktype="nonsense" id="1">odd</a> '
        '<a href="javascript:alert(1)">js</a> <a href=>bare</a> <a href="mailto:">mail</a> '
        '<a href="/relative/">relative</a> <a href="data:text/html,x">data</a></p>'
    ),
    "broken embeds": (
        '<embed embedtype="image" id="x"/><embed embedtype="image"/><embed embedtype="image" id="999999"/>'
        '<embed embedtype="media" url="javascript:x"/><embed/><img src="x.png" alt="raw">'
    ),
    "unclosed and stray tags": "<p><b>never closed <i>at all</p></b></i>stray</li></ul> tail",
    "blocks inside inlines": "<b><p>a</p><ul><li>b</li></ul><h2>c</h2></b><a href='https://x.org'><p>d</p></a>",
    "loose lists": "<ul>loose<li>x</li><ul><li>nested</li></ul><b>bold</b></ul><li>stray item</li>",
    "lists in headings": "<h2>before<ul><li>x</li></ul>after</h2><ol><li><h3>h</h3><p>p</p></li></ol>",
    "nested links": "<a href='https://a.org'>a <a href='https://b.org'>b</a> c</a>",
    "entities": "<p>&amp; &lt;script&gt; &nbsp;&nbsp; caf&eacute; &#x1F600;</p>",
    "whitespace": "  <p>  a \n\t b  </p>\n\n<p>\n<b> c </b> d </p>  loose  ",
    "line breaks only": "<p><br/><br></p><p>a<br/>b<br/></p>",
    "all headings": "".join(f"<h{n}>Level {n}</h{n}>" for n in range(1, 7)),
    "other features": "<blockquote>q</blockquote><hr/><p><sup>1</sup><sub>2</sub><s>3</s><code>4</code></p>",
    "deep nesting": "<b>" * 2000 + "deep" + "<ul><li>" * 500 + "list" + "<div>" * 2000 + "div",
    "not html at all": "plain text with < and > and & alone",
    "empty": "",
}


@pytest.mark.parametrize("html", HOSTILE.values(), ids=HOSTILE.keys())
@pytest.mark.django_db
def test_any_stored_html_gives_a_valid_tree_with_every_word(html):
    tree = rich_text_tree(html)
    assert_valid(tree)
    assert tree_words(tree) == html_words(html)


def test_the_api_answers_hostile_html_in_every_kind_of_field_with_valid_trees(
    make_guide, make_faq, graphql, caplog
):
    cases = list(HOSTILE.values())
    faq = make_faq(answer="".join(cases))
    make_guide(
        "Carrier",
        slug="carrier",
        quick_answer=cases[0],
        disclaimer=cases[1],
        faqs=[faq],
        body=[
            *({"type": "paragraph", "value": html} for html in cases),
            *(
                {"type": "callout", "value": {"variant": "tip", "title": "", "body": html}}
                for html in cases
            ),
        ],
    )
    # Saving it built its reference index ("Used N times") without a failed task.
    assert [r.getMessage() for r in caplog.records if r.levelname == "ERROR"] == []
    # The HTML beside each tree: a page link without an id, or with one past
    # 64 bits, is plain text there too rather than a failed answer.
    guide = graphql.data(
        """{ guide(slug: "carrier") {
          quickAnswer quickAnswerTree disclaimer disclaimerTree faqs { answer answerTree }
          body {
            ... on ParagraphBlock { value valueTree }
            ... on CalloutBlock { body bodyTree }
          }
        } }"""
    )["guide"]
    trees = [guide["quickAnswerTree"], guide["disclaimerTree"], guide["faqs"][0]["answerTree"]]
    trees += [block.get("valueTree") or block["bodyTree"] for block in guide["body"]]
    assert len(trees) == 3 + 2 * len(cases)
    for tree in trees:
        assert_valid(tree)
    html = [guide["quickAnswer"], guide["faqs"][0]["answer"]]
    html += [block["value"] if "value" in block else block["body"] for block in guide["body"]]
    assert all(isinstance(text, str) for text in html)
    assert TOO_LARGE_ID not in "".join(html)


@pytest.mark.django_db
def test_unsafe_and_unresolvable_links_are_plain_text():
    tree = rich_text_tree(HOSTILE["broken links"])
    assert links(tree) == []


def test_marks_whitespace_and_lists_come_out_small_and_exact():
    tree = rich_text_tree(
        "<p>Ask  <b>before <i>you</i></b> go.</p>\n"
        "<ol><li>Bring a list<ul><li>of medicines</li></ul></li><li>Ask</li></ol>"
    )
    assert tree == {
        "type": "document",
        "children": [
            {
                "type": "paragraph",
                "children": [
                    {"type": "text", "text": "Ask "},
                    {"type": "text", "text": "before ", "marks": ["bold"]},
                    {"type": "text", "text": "you", "marks": ["bold", "italic"]},
                    {"type": "text", "text": " go."},
                ],
            },
            {
                "type": "list",
                "ordered": True,
                "children": [
                    {
                        "type": "listItem",
                        "children": [
                            {"type": "text", "text": "Bring a list"},
                            {
                                "type": "list",
                                "ordered": False,
                                "children": [
                                    {
                                        "type": "listItem",
                                        "children": [{"type": "text", "text": "of medicines"}],
                                    }
                                ],
                            },
                        ],
                    },
                    {"type": "listItem", "children": [{"type": "text", "text": "Ask"}]},
                ],
            },
        ],
    }


def test_addresses_say_what_they_open():
    tree = rich_text_tree(
        '<p><a href="https://nhs.uk/x">a</a> <a href="mailto:team@example.org?subject=Hi">b</a> '
        '<a href="tel:+441234567890">c</a> <a href="#what-to-ask">d</a></p>'
    )
    assert [link["target"] for link in links(tree)] == [
        {"kind": "EXTERNAL", "url": "https://nhs.uk/x"},
        {"kind": "EMAIL", "url": "mailto:team@example.org?subject=Hi", "email": "team@example.org"},
        {"kind": "PHONE", "url": "tel:+441234567890"},
        {"kind": "ANCHOR", "url": "#what-to-ask"},
    ]


# --- Page links: kinds resolved, hidden pages plain text, as in the HTML.


def _link(page, text):
    return f'<a linktype="page" id="{page.pk}">{text}</a>'


def _hide_by_unpublishing(make_guide, make_hub):
    page = make_guide("Unpublished")
    page.unpublish()
    return page


def _hide_by_expiry(make_guide, make_hub):
    page = make_guide("Expired")
    page.expire_at = timezone.now() - datetime.timedelta(minutes=5)
    page.save()
    return page


def _hide_behind_a_password(make_guide, make_hub):
    page = make_guide("Password")
    PageViewRestriction.objects.create(page=page, restriction_type="password", password="x")
    return page


def _hide_from_all_but_a_group(make_guide, make_hub):
    page = make_guide("Group")
    group = PageViewRestriction.objects.create(page=page, restriction_type="groups")
    group.groups.add(Group.objects.create(name="Clinicians only"))
    return page


def _hide_under_a_restricted_hub(make_guide, make_hub):
    restricted_hub = make_hub("Restricted hub")
    PageViewRestriction.objects.create(page=restricted_hub, restriction_type="login")
    return make_guide("Under restricted", parent=restricted_hub)


# A page of every kind readers cannot see; each test builds only the one it links to.
HIDDEN_PAGES = {
    "draft": lambda make_guide, make_hub: make_guide("Draft", publish=False),
    "unpublished": _hide_by_unpublishing,
    "expired": _hide_by_expiry,
    "password": _hide_behind_a_password,
    "group": _hide_from_all_but_a_group,
    "draft hub": lambda make_guide, make_hub: make_hub("Draft hub", publish=False),
    "under a restricted hub": _hide_under_a_restricted_hub,
}


@pytest.mark.parametrize("kind", HIDDEN_PAGES)
def test_a_link_to_a_hidden_page_is_plain_text_in_the_tree_as_in_the_html(
    kind, make_guide, make_hub, graphql
):
    page = HIDDEN_PAGES[kind](make_guide, make_hub)
    make_guide(
        "Carrier", slug="carrier", quick_answer=f"<p>See {_link(page, '<b>this page</b>')}.</p>"
    )
    guide = graphql.data('{ guide(slug: "carrier") { quickAnswer quickAnswerTree } }')["guide"]
    assert "href" not in guide["quickAnswer"]
    tree = guide["quickAnswerTree"]
    assert_valid(tree)
    assert links(tree) == []
    assert tree["children"][0]["children"] == [
        {"type": "text", "text": "See "},
        {"type": "text", "text": "this page", "marks": ["bold"]},
        {"type": "text", "text": "."},
    ]
    assert page.slug not in json.dumps(tree)


def test_page_links_name_the_kind_id_slug_and_url(make_guide, hub, home, graphql):
    faq_page = FAQIndexPage(title="FAQs", slug="faqs")
    home.add_child(instance=faq_page)
    faq_page.save_revision().publish()
    target = make_guide("Second opinions", slug="second-opinions")
    pages = [target, hub, faq_page, home]
    make_guide(
        "Carrier",
        slug="carrier",
        quick_answer="<p>" + " ".join(_link(page, f"link {n}") for n, page in enumerate(pages)),
    )
    tree = graphql.data('{ guide(slug: "carrier") { quickAnswerTree } }')["guide"][
        "quickAnswerTree"
    ]
    assert_valid(tree)
    assert [link["target"] for link in links(tree)] == [
        {"kind": kind, "id": str(page.pk), "slug": page.slug, "url": page.url}
        for kind, page in zip(["GUIDE", "HUB", "FAQ", "PAGE"], pages, strict=True)
    ]


def test_documents_and_images_are_resolved_and_restricted_documents_are_plain_text(
    make_guide, image, graphql
):
    from wagtail.documents import get_document_model
    from wagtail.models import Collection, CollectionViewRestriction

    Document = get_document_model()
    leaflet = Document.objects.create(title="Leaflet", file="documents/leaflet.pdf")
    private = Collection.get_first_root_node().add_child(name="Staff only")
    CollectionViewRestriction.objects.create(collection=private, restriction_type="login")
    staff = Document.objects.create(title="Staff", file="documents/staff.pdf", collection=private)
    make_guide(
        "Carrier",
        slug="carrier",
        quick_answer=(
            f'<p><a linktype="document" id="{leaflet.pk}">leaflet</a> '
            f'<a linktype="document" id="{staff.pk}">staff</a></p>'
            f'<embed alt="A waiting room" embedtype="image" format="left" id="{image.pk}"/>'
        ),
    )
    tree = graphql.data('{ guide(slug: "carrier") { quickAnswerTree } }')["guide"][
        "quickAnswerTree"
    ]
    assert_valid(tree)
    assert [link["target"] for link in links(tree)] == [
        {"kind": "DOCUMENT", "id": str(leaflet.pk), "title": "Leaflet", "url": leaflet.url}
    ]
    (embedded,) = [node for node in tree["children"] if node["type"] == "image"]
    assert embedded["id"] == str(image.pk) and embedded["alt"] == "A waiting room"
    assert embedded["format"] == "left" and embedded["url"].startswith("/")


def test_trees_of_a_list_of_guides_cost_no_more_queries_than_their_html(
    make_guide, make_hub, graphql, settings
):
    settings.GRAPHQL_RESPONSE_CACHE_ENABLED = False  # the SQL of answering, not of the cache
    for number in range(4):
        target = make_hub(f"Hub {number}")  # each guide links elsewhere: lookups are batched
        body = [{"type": "paragraph", "value": f"<p>{_link(target, 'hub')}</p>"}]
        make_guide(quick_answer=f"<p>{_link(target, 'hub')}</p>", disclaimer="<p>d</p>", body=body)

    def count(fields):
        with CaptureQueriesContext(connection) as queries:
            graphql.data(f"{{ guides(perPage: 10) {{ items {{ {fields} }} }} }}")
        return len(queries)

    html = "quickAnswer disclaimer body { ... on ParagraphBlock { value } }"
    trees = "quickAnswerTree disclaimerTree body { ... on ParagraphBlock { valueTree } }"
    count(html)  # warms the caches of sites and content types
    assert count(trees) == count(html)


# --- The demo content: every rich-text field, HTML and tree, agrees.


@pytest.mark.django_db
def test_every_tree_of_the_demo_content_is_valid_and_has_the_words_of_its_html(graphql):
    call_command("load_demo_content", stdout=StringIO())
    # The demo's text links nowhere: make one guide link a guide, its hub and a site.
    first, second = GuidePage.objects.order_by("pk")[:2]
    first.quick_answer += (
        f"<p>Read {_link(second, 'the next guide')}, {_link(first.get_parent(), 'its hub')} "
        'and <a href="https://www.nhs.uk/">the <b>NHS</b></a>.</p>'
    )
    publish_reviewed(first)
    site = SiteSettings.load()
    site.default_disclaimer = "<p>Not medical advice. <b>Call 999</b> in an emergency.</p>"
    site.save()
    data = graphql.data(
        f"""{{
          guides(perPage: 100) {{ items {{ {TREES_OF_A_GUIDE} }} }}
          hubs {{ intro introTree }}
          faqs(perPage: 100) {{ items {{ answer answerTree }} }}
          siteSettings {{ defaultDisclaimer defaultDisclaimerTree }}
          page(urlPath: "/faqs/") {{ ... on FAQIndexPage {{ intro introTree }} }}
        }}"""
    )
    pairs = []

    def collect(value):
        if isinstance(value, list):
            for item in value:
                collect(item)
        elif isinstance(value, dict):
            for name, tree in value.items():
                html_name = name.removesuffix("Tree")
                if name.endswith("Tree") and html_name in value:
                    pairs.append((value[html_name], tree))
                else:
                    collect(tree)

    collect(data)
    assert len(pairs) >= 50
    kinds = set()
    for html, tree in pairs:
        assert (html is None) == (tree is None)
        if tree is None:
            continue
        assert_valid(tree)
        assert tree_words(tree) == html_words(html)
        assert len(links(tree)) == html.count("<a href"), html
        kinds |= {link["target"]["kind"] for link in links(tree)}
    assert kinds == {"GUIDE", "HUB", "EXTERNAL"}


def test_the_schema_file_is_valid_json_schema_naming_every_node_type():
    jsonschema_rs.meta.validate(SCHEMA)
    node_types = {
        definition["properties"]["type"]["const"]
        for definition in SCHEMA["$defs"].values()
        if "type" in definition.get("properties", {})
    }
    assert node_types == {
        "document",
        "paragraph",
        "heading",
        "blockquote",
        "list",
        "listItem",
        "horizontalRule",
        "image",
        "embed",
        "text",
        "lineBreak",
        "link",
    }


def test_every_rich_text_field_of_the_schema_has_its_tree_beside_it():
    rich_text_fields = 0
    for graphql_type in schema.graphql_schema.type_map.values():
        if not isinstance(graphql_type, GraphQLObjectType):
            continue
        for name, field in graphql_type.fields.items():
            if get_named_type(field.type).name != "RichText":
                continue
            rich_text_fields += 1
            tree = graphql_type.fields.get(f"{name}Tree")
            assert tree is not None, f"{graphql_type.name}.{name} has no {name}Tree"
            assert get_named_type(tree.type).name == "RichTextDocument"
            assert isinstance(tree.type, GraphQLNonNull) == isinstance(field.type, GraphQLNonNull)
    assert rich_text_fields == 11  # 8, and the notice, numbered-list item and closing note
