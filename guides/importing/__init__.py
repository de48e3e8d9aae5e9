"""Importing Word, HTML, Markdown and plain-text articles as draft guides.

One pipeline: `sources` turns every format into HTML (plain text through the
outline `plain_text` infers), `segment` turns that HTML into the guide's fields
and blocks, `provenance` finds who published the article, `build` creates or
updates the draft (never published: it goes through Clinical review), and
`report` says what became what. `views` is the admin's "Import a guide" page;
the `import_guides` command runs the same pipeline over files.
"""
