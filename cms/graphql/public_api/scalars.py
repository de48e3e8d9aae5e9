"""Scalars, with the TypeScript type codegen maps each to."""

SCALARS = {
    "ID": {"description": "A unique id, sent as a string. Use it as a cache key."},
    "String": {"description": "Text, UTF-8."},
    "Boolean": {"description": "`true` or `false`."},
    "Int": {"description": "A whole number between -(2^31) and 2^31 - 1."},
    "Float": {"description": "A number with a fractional part."},
    "PositiveInt": {"description": "A whole number, 0 or more. TypeScript: `number`."},
    "Date": {"description": "A calendar date, ISO 8601: '2026-03-31'. TypeScript: `string`."},
    "DateTime": {
        "description": "A moment in time, ISO 8601 with its UTC offset: '2026-03-31T09:30:00+00:00'. TypeScript: `string`."
    },
    "RichText": {
        "description": "HTML: paragraphs (<p>), headings (<h2>-<h4>), lists (<ul>, <ol>, <li>), <b>, <i> and links (<a href>). A link to a page readers cannot see keeps its text and loses its href. TypeScript: `string`."
    },
    "RichTextDocument": {
        "description": "Rich text as a JSON document tree, for apps that render natively: `{type: 'document', children: [...]}` with paragraphs, headings, lists and list items, text with marks (bold, italic), line breaks and links whose `target` says what they open (`kind` GUIDE, HUB, FAQ or PAGE with the page's id, slug and url; DOCUMENT; EXTERNAL, EMAIL, PHONE or ANCHOR with a url). A link to a page readers cannot see is plain text. The shape is the JSON Schema schema/rich-text.schema.json; clients/ generates its TypeScript types (`RichTextDocument`)."
    },
}
