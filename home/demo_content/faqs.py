"""Reusable FAQs, each filed under a topic."""

FAQS = [
    (
        "Second opinions",
        "Will asking for a second opinion upset my doctor?",
        "<p>Most specialists expect it and many encourage it. Asking shows you want to understand "
        "your options, not that you distrust your team.</p>",
    ),
    (
        "Second opinions",
        "How long does a second opinion usually take?",
        "<p>Often one to three weeks once the reviewing team has your records. Ask your team whether "
        "waiting that long is safe for your type of cancer.</p>",
    ),
    (
        "Second opinions",
        "Do I need new scans for a second opinion?",
        "<p>Usually not. The reviewing team looks at your existing scans and biopsy results, and asks "
        "for new tests only if something is unclear.</p>",
    ),
    (
        "Appointments",
        "Can I bring someone with me to appointments?",
        "<p>Yes. A relative or friend can take notes, ask questions you forget and help you remember "
        "what was said.</p>",
    ),
    (
        "Appointments",
        "Can I record my consultation?",
        "<p>Ask at the start of the appointment. Many teams agree, and a recording helps you go over "
        "the details later.</p>",
    ),
    (
        "Travel and visas",
        "What records should I carry when I travel for treatment?",
        "<p>Carry your latest letters, scan reports, pathology reports and a list of medicines, on "
        "paper and on a memory stick.</p>",
    ),
    (
        "Travel and visas",
        "Can my carer travel with me?",
        "<p>Usually yes. Ask the hospital for a letter explaining why a carer needs to come; visa "
        "offices often ask for one.</p>",
    ),
    (
        "Costs and insurance",
        "Will my insurance pay for a second opinion?",
        "<p>Many policies do, but some need approval first. Call your insurer before you book and "
        "ask for the answer in writing.</p>",
    ),
]
