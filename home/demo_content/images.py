"""Images the demo draws (a title and a colour each), for heroes and body images."""

IMAGES = {
    "records": ("Hospital records folder", (46, 94, 170)),
    "travel": ("Travel with medical papers", (32, 140, 120)),
    "hero": ("Care coordinator at a desk", (170, 96, 60)),
}
