"""Images for every screen: renditions by allow-listed width, crop and format
(AVIF, WebP, the original's), each with its size for layout, beside the
image's focal point, alt text and a placeholder to show while it loads.

grapple's ImageObjectType keeps its fields; `extend_image_type` adds ours and
replaces its rendition resolver with one that
- refuses a filter outside GUIDES_API_IMAGE_FILTERS with a clear error, and
- bounds the work of one request: renditions already made cost nothing, but a
  request may make at most GUIDES_API_MAX_NEW_RENDITIONS_PER_REQUEST new ones
  (distinct renditions: an image shown on many cards is made once).
  We cap the renditions *made*, not the specs asked for: a page of 100 guides
  asking for six widths is cheap once its renditions exist and must keep
  working, while what costs (an AVIF encode is up to a second of CPU) is
  making them. The ones made before the cap are kept, so asking again goes on
  where the last request stopped.
"""

from pathlib import PurePosixPath

import graphene
from django.conf import settings
from graphql import GraphQLError
from grapple.types.images import ImageObjectType
from wagtail.images.models import Filter
from wagtail.images.utils import to_svg_safe_spec

# A file's extension, as the format a frontend names it and its MIME type.
FILE_FORMATS = {
    ".avif": ("avif", "image/avif"),
    ".webp": ("webp", "image/webp"),
    ".jpg": ("jpeg", "image/jpeg"),
    ".jpeg": ("jpeg", "image/jpeg"),
    ".png": ("png", "image/png"),
    ".gif": ("gif", "image/gif"),
    ".svg": ("svg", "image/svg+xml"),
}
# The (image, filter spec) of the renditions made so far by one request, kept on the request.
_MADE = "_renditions_made"


def bad_input(message):
    return GraphQLError(message, extensions={"code": "BAD_USER_INPUT"})


def not_offered():
    allowed = ", ".join(settings.GUIDES_API_IMAGE_FILTERS)
    return bad_input(f"That rendition is not offered. Allowed filters: {allowed}.")


def rendition(image, spec, request=None):
    """`image`'s rendition for an allow-listed `spec`, made now only while the
    request is within its budget of new renditions."""
    if spec not in settings.GUIDES_API_IMAGE_FILTERS:
        raise not_offered()
    if image.is_svg():
        spec = to_svg_safe_spec(spec) or "original"  # no raster work on vector images
    try:
        # The prefetched renditions, then Wagtail's rendition cache, then one query.
        return image.find_existing_rendition(Filter(spec))
    except image.get_rendition_model().DoesNotExist:
        pass
    if request is not None:
        # Counted per rendition, not per use: cards sharing an image each hold
        # their own copy of it, which does not see the rendition another made.
        made = getattr(request, _MADE, None)
        if made is None:
            made = set()
            setattr(request, _MADE, made)
        key = (image.pk, spec)
        limit = settings.GUIDES_API_MAX_NEW_RENDITIONS_PER_REQUEST
        if key not in made and len(made) >= limit:
            raise GraphQLError(
                f"This request asks for more new image renditions than one request may make "
                f"({limit}). The ones made so far are kept: ask again for the rest.",
                extensions={
                    "code": "RENDITION_LIMIT",
                    "limit": "GUIDES_API_MAX_NEW_RENDITIONS_PER_REQUEST",
                },
            )
        made.add(key)
    return image.get_rendition(spec)


def resolve_rendition(instance, info, preserve_svg=True, **kwargs):
    """grapple's `rendition` (its arguments joined into a filter spec, in the
    order they are declared), bounded and with a clear refusal."""
    spec = "|".join(f"{key}-{value}" for key, value in kwargs.items())
    return rendition(instance, spec, info.context)


class ImageFormat(graphene.Enum):
    AVIF = "avif"
    WEBP = "webp"
    ORIGINAL = "original"


class ImageSource(graphene.ObjectType):
    url = graphene.String(required=True)
    width = graphene.Int(required=True)
    height = graphene.Int(required=True)
    format = graphene.String(required=True)
    mime_type = graphene.String(required=True)


class ImagePlaceholderType(graphene.ObjectType):
    class Meta:
        name = "ImagePlaceholder"

    blurhash = graphene.String(required=True)
    dominant_color = graphene.String(required=True)
    data_uri = graphene.String(required=True)


class ImageFocalPoint(graphene.ObjectType):
    x = graphene.Int(required=True)
    y = graphene.Int(required=True)
    width = graphene.Int(required=True)
    height = graphene.Int(required=True)


def _file_format(name):
    return FILE_FORMATS.get(PurePosixPath(name).suffix.lower(), ("", "application/octet-stream"))


def _source(made):
    image_format, mime_type = _file_format(made.file.name)
    return ImageSource(
        url=made.full_url,
        width=made.width,
        height=made.height,
        format=image_format,
        mime_type=mime_type,
    )


def _spec(base, image_format):
    return base if image_format == "original" else f"{base}|format-{image_format}"


def resolve_sources(image, info, widths=None, fill=None, formats=None):
    """One source per (width or crop) and format, in the order of `formats`
    (best first by default), as a `<picture>` element or a native image
    loader wants them."""
    if widths is not None and fill is not None:
        raise bad_input("Give `widths` or `fill`, not both.")
    formats = [getattr(item, "value", item) for item in formats or ImageFormat]
    if fill is not None:
        bases = [f"fill-{fill}"]
    else:
        bases = [f"width-{width}" for width in _useful_widths(image, widths)]
    specs = list(dict.fromkeys(_spec(base, f) for f in formats for base in bases))
    for spec in specs:  # refuse before making anything
        if spec not in settings.GUIDES_API_IMAGE_FILTERS:
            raise not_offered()
    return [_source(rendition(image, spec, info.context)) for spec in specs]


def _useful_widths(image, widths):
    """The widths asked for (all offered by default), without those past the
    original's: Wagtail does not enlarge, so they would all be the original's
    size again. The first width at or past it stands for the original's size."""
    widths = widths or settings.GUIDES_API_IMAGE_WIDTHS
    for width in widths:
        if width not in settings.GUIDES_API_IMAGE_WIDTHS:
            raise not_offered()
    reaching = [width for width in widths if width >= image.width]
    kept = {width for width in widths if width < image.width} | set(reaching and [min(reaching)])
    return [width for width in dict.fromkeys(widths) if width in kept]


def resolve_placeholder(image, info):
    try:
        placeholder = image.placeholder  # joined or prefetched with the image
    except type(image).placeholder.RelatedObjectDoesNotExist:
        return None
    return ImagePlaceholderType(
        blurhash=placeholder.blurhash,
        dominant_color=placeholder.dominant_color,
        data_uri=placeholder.preview_data_uri,
    )


def resolve_focal_point(image, info):
    if image.focal_point_x is None:
        return None
    return ImageFocalPoint(
        x=image.focal_point_x,
        y=image.focal_point_y,
        width=image.focal_point_width,
        height=image.focal_point_height,
    )


def extend_image_type():
    ImageObjectType.resolve_rendition = staticmethod(resolve_rendition)
    fields = ImageObjectType._meta.fields
    fields["sources"] = graphene.Field(
        graphene.NonNull(graphene.List(graphene.NonNull(ImageSource))),
        widths=graphene.List(graphene.NonNull(graphene.Int)),
        fill=graphene.String(),
        formats=graphene.List(graphene.NonNull(ImageFormat)),
        resolver=resolve_sources,
    )
    fields["placeholder"] = graphene.Field(ImagePlaceholderType, resolver=resolve_placeholder)
    fields["focal_point"] = graphene.Field(ImageFocalPoint, resolver=resolve_focal_point)
    fields["alt"] = graphene.Field(
        graphene.NonNull(graphene.String), resolver=lambda image, info: image.default_alt_text
    )
