"""Images for every screen: renditions by width, crop and format, their sizes,
a placeholder computed once at save, and a bound on the renditions one
request may make."""

import base64
import io
from unittest import mock

import blurhash
import pytest
import wagtail_factories
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image as PILImage
from wagtail.images.models import Image
from wagtail.models import Collection, CollectionViewRestriction

from cms.images import placeholders as image_placeholders
from cms.images.placeholders import ImagePlaceholder

PIL_FORMATS = {"avif": "AVIF", "webp": "WEBP", "jpeg": "JPEG"}


def picture(width, height, **fields):
    """An image with a left-to-right gradient over a mostly red field."""
    pixels = PILImage.new("RGB", (width, height), (200, 30, 40))
    for x in range(width // 4):
        for y in range(height):
            pixels.putpixel((x, y), (x % 256, 90, 160))
    buffer = io.BytesIO()
    pixels.save(buffer, "JPEG", quality=90)
    return wagtail_factories.ImageFactory(
        title=fields.pop("title", "Clinic waiting room"),
        file__from_file=io.BytesIO(buffer.getvalue()),
        file__filename="clinic.jpg",
        **fields,
    )


def opened(url):
    """The rendition file at `url`, opened with Pillow."""
    name = url.split("/media/", 1)[1]
    with default_storage.open(name) as file:
        image = PILImage.open(io.BytesIO(file.read()))
        image.load()
    return image


def sources_of(graphql, slug, arguments=""):
    query = f'{{ guide(slug: "{slug}") {{ heroImage {{ sources{arguments} {{ url width height format mimeType }} }} }} }}'
    return graphql.data(query)["guide"]["heroImage"]["sources"]


def test_every_offered_width_in_every_format(graphql, make_guide, settings):
    settings.GUIDES_API_MAX_NEW_RENDITIONS_PER_REQUEST = 18
    # Wide and short, so the 18 encodes (6 AVIF) stay quick.
    make_guide(slug="pictured", hero_image=picture(1700, 100))
    sources = sources_of(graphql, "pictured")
    widths = [320, 480, 640, 800, 1200, 1600]
    assert [(s["format"], s["width"]) for s in sources] == [
        (image_format, width) for image_format in ("avif", "webp", "jpeg") for width in widths
    ]
    for source in sources:
        assert abs(source["height"] - source["width"] * 100 / 1700) <= 1
        made = opened(source["url"])
        assert made.format == PIL_FORMATS[source["format"]]
        assert made.size == (source["width"], source["height"])
        assert source["mimeType"] == f"image/{source['format']}"


def test_widths_past_the_original_are_listed_once_and_made_once(graphql, make_guide):
    image = picture(500, 300)
    make_guide(slug="pictured", hero_image=image)
    sources = sources_of(graphql, "pictured", "(formats: [ORIGINAL])")
    assert [(s["format"], s["width"], s["height"]) for s in sources] == [
        ("jpeg", 320, 192),
        ("jpeg", 480, 288),
        ("jpeg", 500, 300),
    ]
    assert sorted(image.renditions.values_list("filter_spec", flat=True)) == [
        "width-320",
        "width-480",
        "width-640",
    ]


def test_sources_in_the_widths_and_formats_asked_for(graphql, make_guide):
    make_guide(slug="pictured", hero_image=picture(900, 600))
    sources = sources_of(graphql, "pictured", "(widths: [800, 320], formats: [WEBP, ORIGINAL])")
    assert [(s["format"], s["width"], s["height"]) for s in sources] == [
        ("webp", 800, 533),
        ("webp", 320, 213),
        ("jpeg", 800, 533),
        ("jpeg", 320, 213),
    ]
    for source in sources:
        assert opened(source["url"]).size == (source["width"], source["height"])


def test_a_crop_in_each_format(graphql, make_guide):
    make_guide(slug="pictured", hero_image=picture(800, 600))
    sources = sources_of(graphql, "pictured", '(fill: "320x180")')
    assert [(s["format"], s["width"], s["height"]) for s in sources] == [
        ("avif", 320, 180),
        ("webp", 320, 180),
        ("jpeg", 320, 180),
    ]
    for source in sources:
        made = opened(source["url"])
        assert (made.format, made.size) == (PIL_FORMATS[source["format"]], (320, 180))
    # The single-rendition field offers the same crops in each format.
    query = '{ guide(slug: "pictured") { heroImage { rendition(fill: "640x360", format: "webp") { url width height } } } }'
    made = graphql.data(query)["guide"]["heroImage"]["rendition"]
    assert (made["width"], made["height"]) == (640, 360)
    assert opened(made["url"]).format == "WEBP"


def test_src_set_in_webp_at_every_width(graphql, make_guide):
    make_guide(slug="pictured", hero_image=picture(700, 400))
    query = (
        '{ guide(slug: "pictured") { heroImage { srcSet(sizes: [320, 480], format: "webp") } } }'
    )
    src_set = graphql.data(query)["guide"]["heroImage"]["srcSet"]
    entries = [entry.rsplit(" ", 1) for entry in src_set.split(", ")]
    assert [width for _url, width in entries] == ["320w", "480w"]
    assert all(opened(url).format == "WEBP" for url, _width in entries)


@pytest.mark.parametrize(
    "field",
    [
        "sources(widths: [333]) { url }",
        'sources(fill: "100x100") { url }',
        'sources(widths: [320], fill: "640x360") { url }',
        'rendition(width: 640, format: "gif") { url }',
        'rendition(fill: "640x361", format: "avif") { url }',
    ],
)
def test_a_rendition_outside_the_allow_list_is_refused(graphql, make_guide, field):
    image = picture(400, 300)
    make_guide(slug="pictured", hero_image=image)
    status, body = graphql.post(f'{{ guide(slug: "pictured") {{ heroImage {{ {field} }} }} }}')
    error = body["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["message"].startswith("That rendition is not offered. Allowed filters:") or (
        error["message"] == "Give `widths` or `fill`, not both."
    )
    assert "fill-640x360|format-avif" in error["message"] or "not both" in error["message"]
    assert image.renditions.count() == 0


def test_one_request_makes_at_most_its_share_of_new_renditions(graphql, make_guide, settings):
    settings.GUIDES_API_MAX_NEW_RENDITIONS_PER_REQUEST = 3
    images = [picture(400, 300) for _ in range(2)]
    for number, image in enumerate(images):
        make_guide(slug=f"pictured-{number}", hero_image=image)
    # 2 images x 2 widths x 2 formats = 8 renditions to make.
    query = "{ guides { items { heroImage { sources(widths: [320, 480], formats: [WEBP, ORIGINAL]) { width } } } } }"

    def made():
        return sum(image.renditions.count() for image in images)

    status, body = graphql.post(query)
    assert status == 200
    assert {error["extensions"]["code"] for error in body["errors"]} == {"RENDITION_LIMIT"}
    assert "ask again" in body["errors"][0]["message"]
    assert made() == 3
    graphql.post(query)
    graphql.post(query)
    assert made() == 8
    # Renditions already made cost nothing: the whole answer arrives now.
    data = graphql.data(query)
    assert [len(item["heroImage"]["sources"]) for item in data["guides"]["items"]] == [4, 4]
    assert made() == 8


@pytest.mark.parametrize("cards, shared", [(5, 1), (20, 2), (20, 4)])
def test_a_cold_hub_of_cards_sharing_images_answers_whole(
    graphql, hub, make_guide, settings, cards, shared
):
    # Each card holds its own copy of its image: the cap counts renditions, not uses.
    settings.GUIDES_API_MAX_NEW_RENDITIONS_PER_REQUEST = 12
    images = [picture(400, 300) for _ in range(shared)]
    for number in range(cards):
        make_guide(slug=f"card-{number}", hero_image=images[number % shared])
    # At most 4 images x 3 formats = 12 distinct renditions, shown on up to 20 cards.
    query = (
        f'{{ hub(slug: "{hub.slug}") {{ guides(perPage: {cards}) {{ items {{ heroImage '
        "{ sources(widths: [320], formats: [AVIF, WEBP, ORIGINAL]) { url } } } } } }"
    )
    data = graphql.data(query)
    items = data["hub"]["guides"]["items"]
    assert len(items) == cards
    assert all(len(item["heroImage"]["sources"]) == 3 for item in items)
    assert sum(image.renditions.count() for image in images) == 3 * shared


def test_the_cap_counts_each_new_rendition_once_however_often_it_is_shown(
    graphql, make_guide, settings
):
    settings.GUIDES_API_MAX_NEW_RENDITIONS_PER_REQUEST = 2
    image = picture(800, 200)
    for number in range(6):
        make_guide(slug=f"card-{number}", hero_image=image)
    one = "{ guides { items { heroImage { sources(widths: [320, 480], formats: [WEBP]) { width } } } } }"
    assert len(graphql.data(one)["guides"]["items"]) == 6
    three = "{ guides { items { heroImage { sources(widths: [320, 480, 640], formats: [ORIGINAL]) { width } } } } }"
    status, body = graphql.post(three)
    assert {error["extensions"]["code"] for error in body["errors"]} == {"RENDITION_LIMIT"}
    assert image.renditions.count() == 4


def test_the_placeholder_is_computed_once_when_the_image_is_saved(graphql, make_guide):
    with mock.patch.object(
        image_placeholders, "compute", wraps=image_placeholders.compute
    ) as compute:
        image = picture(640, 480)
        assert compute.call_count == 1
        make_guide(slug="pictured", hero_image=image)
        query = '{ guide(slug: "pictured") { heroImage { placeholder { blurhash dominantColor dataUri } } } }'
        first = graphql.data(query)["guide"]["heroImage"]["placeholder"]
        second = graphql.data(query)["guide"]["heroImage"]["placeholder"]
        image.title = "A new title"
        image.save()  # same file: nothing to compute
        assert compute.call_count == 1
    assert first == second
    stored = ImagePlaceholder.objects.get(image=image)
    assert first["blurhash"] == stored.blurhash and blurhash.is_valid_blurhash(first["blurhash"])
    assert len(first["blurhash"]) == 28  # 4 x 3 components
    red, green, blue = (int(first["dominantColor"][i : i + 2], 16) for i in (1, 3, 5))
    assert red > 150 and green < 80 and blue < 80  # the picture is mostly red
    prefix = "data:image/webp;base64,"
    assert first["dataUri"].startswith(prefix)
    preview = PILImage.open(io.BytesIO(base64.b64decode(first["dataUri"].removeprefix(prefix))))
    assert (preview.format, preview.size) == ("WEBP", (16, 12))


def test_a_new_file_gets_a_new_placeholder(db):
    image = picture(320, 240)
    before = ImagePlaceholder.objects.get(image=image)
    replacement = picture(240, 320)
    image.file = replacement.file
    image.save()
    after = ImagePlaceholder.objects.get(image=image)
    assert after.source_file == replacement.file.name != before.source_file
    assert after.preview_data_uri != before.preview_data_uri


def test_images_saved_before_get_theirs_from_the_command(db):
    images = [picture(200, 100), picture(100, 200)]
    ImagePlaceholder.objects.all().delete()
    Image.objects.update(file_size=None)
    out = io.StringIO()
    call_command("compute_image_placeholders", stdout=out)
    assert "2/2 images" in out.getvalue()
    assert ImagePlaceholder.objects.filter(image__in=images).count() == 2
    for image in images:
        image.refresh_from_db()
        assert image.file_size == image.file.size
    out = io.StringIO()
    call_command("compute_image_placeholders", stdout=out)
    assert "0 placeholders computed" in out.getvalue()


def test_size_focal_point_and_alt_text(graphql, make_guide):
    image = picture(600, 400, description="Chairs in a bright clinic waiting room")
    image.focal_point_x, image.focal_point_y = 150, 100
    image.focal_point_width, image.focal_point_height = 80, 60
    image.save()
    make_guide(slug="pictured", hero_image=image)
    query = '{ guide(slug: "pictured") { heroImage { width height fileSize alt focalPoint { x y width height } } } }'
    hero = graphql.data(query)["guide"]["heroImage"]
    assert (hero["width"], hero["height"]) == (600, 400)
    assert hero["fileSize"] == image.file.size > 0
    assert hero["alt"] == "Chairs in a bright clinic waiting room"
    assert hero["focalPoint"] == {"x": 150, "y": 100, "width": 80, "height": 60}


def test_an_image_in_a_restricted_collection_stays_hidden(graphql, make_guide):
    root = Collection.get_first_root_node()
    private = root.add_child(name="Private")
    CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.LOGIN
    )
    make_guide(slug="pictured", hero_image=picture(400, 300, collection=private))
    query = '{ guide(slug: "pictured") { heroImage { placeholder { blurhash } sources { url } } } }'
    assert graphql.data(query)["guide"]["heroImage"] is None


def test_a_list_of_guides_reads_placeholders_and_sources_without_a_query_per_guide(
    graphql, make_guide
):
    query = "{ guides(perPage: 20) { items { heroImage { alt placeholder { blurhash } sources(widths: [320], formats: [WEBP]) { url } } } } }"

    def queries_for(count):
        for _ in range(count):
            make_guide(hero_image=picture(400, 300))
        graphql.data(query)  # makes the renditions
        with CaptureQueriesContext(connection) as captured:
            data = graphql.data(query)
        assert len(data["guides"]["items"]) == len(list(Image.objects.all()))
        assert all(item["heroImage"]["placeholder"] for item in data["guides"]["items"])
        return len(captured)

    assert queries_for(2) == queries_for(4)
