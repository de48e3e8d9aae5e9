"""Who writes and reviews the demo guides, and who publishes them."""

PEOPLE = [
    ("Dr Amara Okafor", "MBBS, FRCP", "Consultant haematologist"),
    ("Sam Ridley", "", "Patient information editor"),
]

PUBLISHER = {"name": "Cancer Care Guides editorial team", "url": "https://example.org/about"}
