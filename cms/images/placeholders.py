"""A small stand-in for each image, shown while its rendition loads on a slow
connection: a BlurHash, the dominant colour and a tiny WebP preview.

Computed once, when an image is saved (the `post_save` receiver below), and
read from this table afterwards: a request never opens an image file to make
one. Images saved before this existed get theirs from
`manage.py compute_image_placeholders`.

A table beside Wagtail's image, not a custom image model: switching
WAGTAILIMAGES_IMAGE_MODEL on a site with images and renditions means moving
every row and every foreign key that points at them, and this needs none of it.
"""

import base64
import io
import logging

import blurhash
from django.db import models
from PIL import Image as PILImage
from PIL import ImageOps
from wagtail.images import get_image_model_string

from cms.caching.cache_tags import saves_nothing_readers_see

logger = logging.getLogger(__name__)

# BlurHash's own recommendation for photos: 4 x 3 components (a 28-character hash).
BLURHASH_COMPONENTS = (4, 3)
# Pixels of the longer side the hash and colour are computed from (enough for
# 4 x 3 components; the result does not change with more).
SAMPLE_SIZE = 64
# The preview image: at most this many pixels on its longer side.
PREVIEW_SIZE = 16
PREVIEW_WEBP_QUALITY = 40


class ImagePlaceholder(models.Model):
    """What a frontend shows before an image arrives."""

    image = models.OneToOneField(
        get_image_model_string(),
        on_delete=models.CASCADE,
        related_name="placeholder",
    )
    # The file these were computed from: a new upload under the same image gets new ones.
    source_file = models.CharField(max_length=255)
    blurhash = models.CharField(max_length=64)
    dominant_color = models.CharField(max_length=7, help_text="e.g. '#3a6b8c'")
    preview_data_uri = models.TextField()

    # Its image's answers show it: a new placeholder retires them (cms/caching/response_cache.py).
    retires_answers_of = "image"

    def __str__(self):
        return f"Placeholder of image {self.image_id}"


def compute(file):
    """(blurhash, dominant colour, preview data URI) of an image file."""
    with PILImage.open(file) as source:
        source.draft("RGB", (SAMPLE_SIZE, SAMPLE_SIZE))  # JPEG: decode at a fraction of the size
        sample = ImageOps.exif_transpose(source).convert("RGB")
    sample.thumbnail((SAMPLE_SIZE, SAMPLE_SIZE))
    hash_ = blurhash.encode(sample.copy(), *BLURHASH_COMPONENTS)  # it closes what it is given
    # The most common of a few colours, not the mean (which greys out contrasts).
    palette = sample.quantize(colors=5)
    _count, index = max(palette.getcolors())
    red, green, blue = palette.getpalette()[index * 3 : index * 3 + 3]
    preview = sample.copy()
    preview.thumbnail((PREVIEW_SIZE, PREVIEW_SIZE))
    buffer = io.BytesIO()
    preview.save(buffer, "WEBP", quality=PREVIEW_WEBP_QUALITY)
    data_uri = "data:image/webp;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
    return hash_, f"#{red:02x}{green:02x}{blue:02x}", data_uri


def update_placeholder(image):
    """Compute and store `image`'s placeholder unless it has one for its file.
    Returns the placeholder, or None when the file cannot be read."""
    existing = ImagePlaceholder.objects.filter(image=image).first()
    if existing is not None and existing.source_file == image.file.name:
        return existing
    try:
        with image.open_file() as file:
            hash_, colour, data_uri = compute(file)
    except (OSError, ValueError, PILImage.DecompressionBombError):
        logger.warning("No placeholder for image %s: its file cannot be read", image.pk)
        return None
    placeholder, _created = ImagePlaceholder.objects.update_or_create(
        image=image,
        defaults={
            "source_file": image.file.name,
            "blurhash": hash_,
            "dominant_color": colour,
            "preview_data_uri": data_uri,
        },
    )
    return placeholder


def fill_file_size(image):
    """Wagtail leaves `file_size` empty for images not uploaded through its
    form and fills it on a later read; fill it at save instead, with an
    update that sends no signal (it changes no answer)."""
    if image.file_size is None and image.file:
        try:
            size = image.file.size
        except OSError:
            return
        type(image).objects.filter(pk=image.pk).update(file_size=size)
        image.file_size = size


def on_image_saved(sender, instance, raw=False, update_fields=None, **_kwargs):
    if raw:  # loading a fixture: files may not be there yet
        return
    if saves_nothing_readers_see(update_fields):
        return  # the file is the same: no work in a read
    fill_file_size(instance)
    instance._state.fields_cache.pop("placeholder", None)  # read anew after this save
    update_placeholder(instance)
