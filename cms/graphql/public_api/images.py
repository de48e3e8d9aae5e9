"""Images for every screen: renditions, formats, sources, placeholders, focal points."""

IMAGES = {
    "ImageObjectType": {
        "description": "An image. Ask for the sizes you show with `sources`, `rendition` or `srcSet`; only the server's listed widths, crops and formats are offered. One request may make only so many new renditions (error code RENDITION_LIMIT): ask again for the rest.",
        "fields": {
            "id": ("ID!", "The image's id."),
            "url": ("String!", "The original file's address; prefer a rendition."),
            "width": ("Int!", "The original's width in pixels."),
            "height": ("Int!", "The original's height in pixels."),
            "fileSize": ("Int", "The original file's size in bytes; null if its file is missing."),
            "alt": (
                "String!",
                "Text alternative from the library (its description, else its title); a block's own alt text comes first.",
            ),
            "focalPoint": (
                "ImageFocalPoint",
                "The part of the image that matters, for positioning it in a box of another shape; null if an editor set none.",
            ),
            "placeholder": (
                "ImagePlaceholder",
                "What to show while a rendition loads (BlurHash, dominant colour, a tiny preview); null until computed.",
            ),
            "sources": (
                "[ImageSource!]!",
                "The offered renditions as a list, best format first: every offered width (or the `widths` you give), or one crop (`fill`), in each format you ask for (all three by default). Widths past the original's size are left out.",
                {
                    "widths": (
                        "[Int!]",
                        "Widths in pixels, each one of the offered widths (320, 480, 640, 800, 1200, 1600).",
                    ),
                    "fill": (
                        "String",
                        "One crop instead of widths, e.g. '640x360' (offered: 320x180, 640x360, 1200x630).",
                    ),
                    "formats": (
                        "[ImageFormat!]",
                        "The formats, in the order you want them; all three by default.",
                    ),
                },
            ),
            "description": (
                "String!",
                "A description of the image from the library; the block's alt text comes first.",
            ),
            "rendition": (
                "ImageRenditionObjectType",
                "One resized version. Give `width` or `fill` (e.g. '640x360'), and optionally `format` ('avif' or 'webp'; the original's format otherwise); only the server's listed filters are offered.",
                {
                    "max": ("String", "Fit within this box, e.g. '800x600'."),
                    "min": ("String", "Cover at least this box, e.g. '800x600'."),
                    "width": ("Int", "Resize to this width in pixels."),
                    "height": ("Int", "Resize to this height in pixels."),
                    "fill": ("String", "Crop to exactly this size, e.g. '640x360'."),
                    "format": ("String", "Convert: 'avif' or 'webp'."),
                },
            ),
            "srcSet": (
                "String",
                "An HTML `srcset` value of widths, e.g. '/a.jpg 320w, /b.jpg 640w'.",
                {
                    "sizes": ("[Int]", "The widths in pixels, each one of the offered widths."),
                    "format": ("String", "Convert each: 'avif' or 'webp'."),
                },
            ),
        },
    },
    "ImageFormat": {
        "description": "A file format a rendition can be made in.",
        "values": {
            "AVIF": "AVIF: the smallest files; iOS 16+, Android 12+ and current browsers.",
            "WEBP": "WebP: small files almost everywhere.",
            "ORIGINAL": "The uploaded file's format (JPEG, PNG or GIF).",
        },
    },
    "ImageSource": {
        "description": "One rendition of an image, for a `<picture>` source or a native image loader.",
        "fields": {
            "url": ("String!", "The file's address."),
            "width": ("Int!", "Its width in pixels."),
            "height": ("Int!", "Its height in pixels."),
            "format": ("String!", "Its format: 'avif', 'webp', 'jpeg', 'png', 'gif' or 'svg'."),
            "mimeType": ("String!", "Its MIME type, e.g. 'image/avif', for a `<source type>`."),
        },
    },
    "ImagePlaceholder": {
        "description": "A stand-in to show while an image loads, computed once when the image was saved.",
        "fields": {
            "blurhash": (
                "String!",
                "A BlurHash (4 x 3 components) to decode into a blurred preview.",
            ),
            "dominantColor": (
                "String!",
                "The image's most common colour, e.g. '#3a6b8c', for a plain background.",
            ),
            "dataUri": (
                "String!",
                "A tiny WebP preview (16 pixels on its longer side) as a data: URI, to show scaled up and blurred.",
            ),
        },
    },
    "ImageFocalPoint": {
        "description": "The part of an image that matters, in pixels of the original: keep it in view when cropping or positioning, e.g. CSS `object-position` at (x divided by the image's width, y divided by its height) as percentages.",
        "fields": {
            "x": ("Int!", "Its centre, from the left edge."),
            "y": ("Int!", "Its centre, from the top edge."),
            "width": ("Int!", "Its width."),
            "height": ("Int!", "Its height."),
        },
    },
    "ImageRenditionObjectType": {
        "description": "A resized version of an image.",
        "fields": {
            "url": ("String!", "The resized file's address."),
            "width": ("Int!", "Its width in pixels."),
            "height": ("Int!", "Its height in pixels."),
        },
    },
}
