"""Importing Word, HTML and Markdown articles as draft guides.

One pipeline: `sources` turns every format into HTML, `segment` turns that
HTML into the guide's fields and blocks, `build` creates or updates the draft
(never published: it goes through Clinical review), and `report` says what
became what. `views` is the admin's "Import a guide" page; the
`import_guides` command runs the same pipeline over files.
"""
