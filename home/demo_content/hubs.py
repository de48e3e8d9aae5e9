"""Topic hubs that list the guides."""

HUBS = [
    {
        "slug": "second-opinion",
        "title": "Second opinions",
        "eyebrow": "Cancer care",
        "tagline": "How to ask for another specialist's view, and what to do with it.",
        "intro": "<p>A second opinion is a review of your diagnosis or treatment plan by another "
        "specialist. These guides help you decide, prepare and talk to your team.</p>",
        "cta": {
            "heading": "Not sure where to start?",
            "text": "Our care coordinators can explain how a review works and what it involves.",
            "button_label": "Talk to a coordinator",
            "url": "https://example.org/contact",
        },
    },
    {
        "slug": "living-with-treatment",
        "title": "Living with treatment",
        "eyebrow": "Cancer care",
        "tagline": "Practical help for patients and the people who care for them.",
        "intro": "<p>Guides for the weeks and months of treatment: appointments, travel, and "
        "looking after yourself and each other.</p>",
        "cta": {
            "heading": "Questions about your care?",
            "text": "Write to us and a nurse will answer within two working days.",
            "button_label": "Ask a nurse",
            "url": "https://example.org/ask",
        },
    },
]
