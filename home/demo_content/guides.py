"""The guides: highlights, facts, a quick answer, a structured body, FAQs
and related guides; every body block type appears in at least one."""


def _p(text):
    return {"type": "paragraph", "value": f"<p>{text}</p>"}


def _h(text, level="2"):
    return {"type": "heading", "value": {"text": text, "level": level, "anchor": ""}}


GUIDES = [
    {
        "hub": "second-opinion",
        "slug": "asking-for-a-second-opinion",
        "title": "How to ask your oncologist for a second opinion",
        "date": "2026-10-02",
        "category": "Communication Guide",
        "cancer_types": ["Lymphoma", "Multiple myeloma"],
        "audiences": ["Patients", "International patients"],
        "standfirst": "Simple words to start the conversation, and what to ask for once you have.",
        "summary": "Many patients worry that asking for a second opinion will damage the relationship "
        "with their doctor. This guide gives you words to use, the records to request and "
        "a plan for the conversation.",
        "quick_answer": "<p>Tell your oncologist you would like another specialist to review your "
        "plan, ask them to send your records, and agree a date to talk again.</p>",
        "highlights": [
            "Asking for a review is a normal part of cancer care.",
            "Request your records in writing so nothing is missed.",
            "Agree with your team how long it is safe to wait.",
        ],
        "facts": [
            "You have a right to a copy of your medical records.",
            "A review usually uses your existing scans and biopsy slides.",
        ],
        "faqs": [
            "Will asking for a second opinion upset my doctor?",
            "How long does a second opinion usually take?",
            "Will my insurance pay for a second opinion?",
        ],
        "body": [
            _h("Starting the conversation"),
            _p(
                "Choose a calm moment, such as the end of a planned appointment, and say plainly "
                "what you would like. Specialists are used to being asked [1]."
            ),
            {
                "type": "script",
                "value": {
                    "situation": "Opening the conversation",
                    "words": "I trust your advice, and before I decide I would like another specialist "
                    "to look at my results. Could you help me arrange that?",
                    "note": "Saying you trust them first keeps the conversation friendly.",
                },
            },
            {
                "type": "quote",
                "value": {
                    "text": "Patients who ask for a review are usually the ones who stay most involved "
                    "in their care.",
                    "attribution": "A lymphoma clinical nurse specialist",
                },
            },
            _h("What to ask for"),
            {
                "type": "checklist",
                "value": {
                    "title": "Records to request",
                    "items": [
                        "Pathology report and biopsy slides",
                        "Recent scan images and reports",
                        "Your treatment plan and clinic letters",
                        "A list of your medicines",
                    ],
                },
            },
            {
                "type": "callout",
                "value": {
                    "variant": "important",
                    "title": "Important",
                    "body": "<p>Do not stop or delay treatment while you wait for a review unless your "
                    "team agrees it is safe.</p>",
                },
            },
            {
                "type": "faqs",
                "value": {
                    "title": "Common worries",
                    "faqs": ["Will asking for a second opinion upset my doctor?"],
                },
            },
        ],
        "related": ["preparing-records-for-review", "when-opinions-differ"],
        "references": [
            {
                "title": "Example reference: patient-requested second opinions in oncology",
                "source": "Example Journal of Patient Information",
                "year": 2025,
                "url": "https://example.org/references/second-opinions",
            }
        ],
    },
    {
        "hub": "second-opinion",
        "slug": "when-opinions-differ",
        "title": "When two specialists disagree: making a decision",
        "date": "2026-09-18",
        "category": "Decision Guide",
        "cancer_types": ["Breast cancer"],
        "audiences": ["Patients", "Caregivers"],
        "standfirst": "What it means when a second opinion matches or differs, and how to move on.",
        "summary": "A second opinion can confirm your plan or suggest another. This guide explains "
        "both outcomes and the questions that help you choose with confidence.",
        "quick_answer": "<p>If the opinions match, you can start treatment with more confidence. If "
        "they differ, ask both teams to explain their reasons and talk to each other.</p>",
        "highlights": [
            "Matching opinions are the most common outcome.",
            "Differences are often about timing or intensity, not the diagnosis.",
            "You can ask the two teams to speak directly.",
        ],
        "facts": ["Multidisciplinary teams (MDTs) review most cancer treatment plans."],
        "faqs": ["How long does a second opinion usually take?", "Can I record my consultation?"],
        "body": [
            _h("Two possible outcomes"),
            {
                "type": "comparison",
                "value": {
                    "title": "What happens next",
                    "columns": [
                        {
                            "title": "When opinions match",
                            "points": [
                                "Start the planned treatment",
                                "Keep the review letter with your records",
                            ],
                        },
                        {
                            "title": "When opinions differ",
                            "points": [
                                "Ask each team to explain its reasons",
                                "Ask whether the teams can talk",
                                "Take time to decide if it is safe to",
                            ],
                        },
                    ],
                },
            },
            _h("Questions that help you decide", "3"),
            {
                "type": "question_list",
                "value": {
                    "title": "Ask both teams",
                    "questions": [
                        "What is the main reason for your recommendation?",
                        "What happens if I wait a few weeks?",
                        "How would this treatment affect my daily life?",
                    ],
                },
            },
            {
                "type": "table",
                "value": {
                    "table": {
                        "table_caption": "Two treatment plans side by side",
                        "first_row_is_table_header": True,
                        "first_col_is_header": True,
                        "data": [
                            ["Question", "Plan A: watch and wait", "Plan B: start treatment"],
                            [
                                "How long does it last?",
                                "Check-ups every 3 months",
                                "About 6 months",
                            ],
                            ["Hospital visits per month", "Fewer than one", "Two to four"],
                        ],
                    },
                },
            },
        ],
        "related": ["asking-for-a-second-opinion"],
    },
    {
        "hub": "second-opinion",
        "slug": "preparing-records-for-review",
        "title": "Preparing your records for a specialist review",
        "date": "2026-08-27",
        "category": "Practical Guide",
        "cancer_types": [],
        "audiences": ["Patients", "International patients"],
        "standfirst": "A step-by-step way to gather what a reviewing team needs.",
        "summary": "Reviews go faster when the reviewing team has everything at the start. Follow "
        "these steps to collect, check and send your records.",
        "quick_answer": "<p>Ask your hospital for your pathology, scans and letters, check nothing is "
        "missing, and send them the way the reviewing team asks.</p>",
        "highlights": [
            "Ask for scans as image files, not only reports.",
            "Keep a copy of everything you send.",
        ],
        "facts": ["Biopsy slides are usually sent by the hospital laboratory, not by you."],
        "faqs": [
            "What records should I carry when I travel for treatment?",
            "Do I need new scans for a second opinion?",
        ],
        "body": [
            {
                "type": "steps",
                "value": {
                    "title": "Gathering your records",
                    "steps": [
                        {
                            "title": "Make a list",
                            "text": "Write down every hospital and clinic you have visited.",
                        },
                        {
                            "title": "Request copies",
                            "text": "Ask each one for letters, reports and scan images.",
                        },
                        {
                            "title": "Check",
                            "text": "Compare what arrives with your list and chase anything missing.",
                        },
                        {
                            "title": "Send",
                            "text": "Send copies, never originals, by the route the team prefers.",
                        },
                    ],
                },
            },
            {
                "type": "image",
                "value": {
                    "image": "records",
                    "alt_text": "A folder of hospital letters beside a laptop showing a scan",
                    "caption": "Keep paper and digital copies together.",
                },
            },
            {
                "type": "call_to_action",
                "value": {
                    "heading": "Need help collecting records?",
                    "text": "We can request them for you.",
                    "button_label": "Ask us to help",
                    "page": None,
                    "external_url": "https://example.org/records-help",
                },
            },
        ],
        "related": ["asking-for-a-second-opinion", "travelling-for-treatment"],
    },
    {
        "hub": "second-opinion",
        "slug": "second-opinion-for-myeloma",
        "title": "Second opinions in multiple myeloma",
        "date": "2026-07-30",
        "category": "Decision Guide",
        "cancer_types": ["Multiple myeloma"],
        "audiences": ["Patients"],
        "standfirst": "Why a review can help in myeloma, where treatment choices change quickly.",
        "summary": "Myeloma treatment changes often as new medicines arrive. A review by a myeloma "
        "specialist can check whether a newer option suits you.",
        "quick_answer": "<p>Ask for a review by a team that treats many people with myeloma, "
        "especially before a stem cell transplant decision.</p>",
        "highlights": [
            "Myeloma specialists see many patients with the same condition.",
            "Reviews are common before transplant decisions.",
        ],
        "facts": ["Myeloma is a cancer of plasma cells in the bone marrow."],
        "faqs": [
            "How long does a second opinion usually take?",
            "Will my insurance pay for a second opinion?",
        ],
        "body": [
            {
                "type": "notice",
                "value": {
                    "placement": "top",
                    "title": "Before you read",
                    "body": "<p>Treatment for myeloma is planned for each person. Use this guide to "
                    "prepare questions, not to change your treatment on your own.</p>",
                },
            },
            _h("When a review helps most"),
            _p(
                "A review is most useful before a big decision, such as starting a new line of "
                "treatment or planning a transplant."
            ),
            {
                "type": "callout",
                "value": {
                    "variant": "tip",
                    "title": "Tip",
                    "body": "<p>Ask whether the reviewing team runs clinical trials you could join.</p>",
                },
            },
            {
                "type": "numbered_list",
                "value": {
                    "title": "Reasons people with myeloma ask for a review",
                    "items": [
                        {
                            "title": "A new line of treatment",
                            "text": "<p>Another team can say whether a newer medicine is an "
                            "option for you.</p>",
                        },
                        {
                            "title": "A transplant decision",
                            "text": "<p>Timing a stem cell transplant is a choice worth a "
                            "second look.</p>",
                        },
                        {
                            "title": "Results that are hard to read",
                            "text": "<p>Blood and marrow results can be explained again in "
                            "plain words.</p>",
                        },
                    ],
                },
            },
            {
                "type": "closing_note",
                "value": {
                    "title": "Final note",
                    "body": "<p>A review is there to support the decision you make with your "
                    "team. Take the time you need to ask.</p>",
                },
            },
        ],
        "related": ["when-opinions-differ"],
    },
    {
        "hub": "second-opinion",
        "slug": "talking-to-family-about-a-review",
        "title": "Talking to your family about a second opinion",
        "date": "2026-06-12",
        "category": "Communication Guide",
        "cancer_types": [],
        "audiences": ["Patients", "Caregivers"],
        "standfirst": "How to involve the people close to you without losing control of the decision.",
        "summary": "Family members often have strong views about second opinions. This guide helps "
        "you share what you are doing and why, and ask for the help you want.",
        "quick_answer": "<p>Explain what a review is, what you hope to learn and how they can help, "
        "such as coming to appointments or handling paperwork.</p>",
        "highlights": [
            "It is your decision, even when others care deeply.",
            "Give people specific jobs if they want to help.",
        ],
        "facts": ["You can choose who your team shares information with."],
        "faqs": ["Can I bring someone with me to appointments?"],
        "body": [
            _p("Start by saying what you have decided, then what kind of support would help."),
            {
                "type": "script",
                "value": {
                    "situation": "Asking for practical help",
                    "words": "I have asked for another specialist to look at my results. It would help "
                    "me most if you could come with me and take notes.",
                    "note": "",
                },
            },
        ],
        "related": ["asking-for-a-second-opinion"],
    },
    {
        "hub": "living-with-treatment",
        "slug": "caring-for-someone-during-treatment",
        "title": "Caring for someone during cancer treatment",
        "date": "2026-10-20",
        "category": "Caregiver Guide",
        "cancer_types": ["Leukaemia", "Lymphoma"],
        "audiences": ["Caregivers"],
        "standfirst": "What carers can do, what to watch for and how to look after yourself.",
        "summary": "Carers do a great deal during treatment, from lifts to appointments to noticing "
        "when something is wrong. This guide covers the essentials and where to get support.",
        "quick_answer": "<p>Learn the warning signs your team gives you, keep a shared diary of "
        "appointments and medicines, and accept help so you can rest.</p>",
        "highlights": [
            "Know which symptoms need an urgent call.",
            "Share the load with others where you can.",
        ],
        "facts": ["A high temperature during chemotherapy can be an emergency."],
        "faqs": ["Can I bring someone with me to appointments?", "Can my carer travel with me?"],
        "body": [
            {
                "type": "callout",
                "value": {
                    "variant": "important",
                    "title": "Call straight away if",
                    "body": "<ul><li>their temperature is 38°C or higher</li><li>they are short of "
                    "breath</li></ul>",
                },
            },
            {
                "type": "checklist",
                "value": {
                    "title": "Keep to hand",
                    "items": [
                        "The 24-hour advice line number",
                        "A list of medicines and doses",
                        "A thermometer",
                    ],
                },
            },
            {
                "type": "quote",
                "value": {
                    "text": "Looking after yourself is part of looking after them.",
                    "attribution": "A carer support worker",
                },
            },
        ],
        "related": ["travelling-for-treatment"],
    },
    {
        "hub": "living-with-treatment",
        "slug": "travelling-for-treatment",
        "title": "Travelling abroad for cancer treatment",
        "date": "2026-09-05",
        "category": "Practical Guide",
        "cancer_types": [],
        "audiences": ["International patients", "Caregivers"],
        "standfirst": "Planning travel, visas and records when your treatment is in another country.",
        "summary": "Treatment abroad needs planning: visas, records, money and who comes with you. "
        "This guide walks through the steps in order.",
        "quick_answer": "<p>Confirm your appointment in writing, apply for visas early, carry copies "
        "of your records and plan how you will get home if plans change.</p>",
        "highlights": [
            "Apply for visas as early as you can.",
            "Carry records on paper and digitally.",
        ],
        "facts": ["Some countries ask for a hospital letter before issuing a medical visa."],
        "faqs": [
            "What records should I carry when I travel for treatment?",
            "Can my carer travel with me?",
            "Will my insurance pay for a second opinion?",
        ],
        "body": [
            {
                "type": "steps",
                "value": {
                    "title": "Before you go",
                    "steps": [
                        {"title": "Confirm", "text": "Get your appointment dates in writing."},
                        {"title": "Apply", "text": "Apply for visas for you and your carer."},
                        {
                            "title": "Pack",
                            "text": "Pack records, medicines and a letter from your team.",
                        },
                    ],
                },
            },
            {
                "type": "image",
                "value": {
                    "image": "travel",
                    "alt_text": "A suitcase with a folder of medical papers on top",
                    "caption": "",
                },
            },
            {
                "type": "faqs",
                "value": {
                    "title": "Travel questions",
                    "faqs": [
                        "What records should I carry when I travel for treatment?",
                        "Can my carer travel with me?",
                    ],
                },
            },
        ],
        "related": ["preparing-records-for-review", "caring-for-someone-during-treatment"],
    },
    {
        "hub": "living-with-treatment",
        "slug": "getting-the-most-from-appointments",
        "title": "Getting the most from your appointments",
        "date": "2026-08-08",
        "category": "Communication Guide",
        "cancer_types": ["Breast cancer", "Leukaemia"],
        "audiences": ["Patients"],
        "standfirst": "Prepare questions, take notes and leave knowing what happens next.",
        "summary": "Appointments can feel rushed. A little preparation helps you cover what matters "
        "to you and remember what was said.",
        "quick_answer": "<p>Write your three most important questions down, bring someone to take "
        "notes, and ask what happens next before you leave.</p>",
        "highlights": ["Put your most important question first.", "Ask for a written summary."],
        "facts": ["You can ask for a copy of the clinic letter sent to your GP."],
        "faqs": ["Can I record my consultation?", "Can I bring someone with me to appointments?"],
        "body": [
            {
                "type": "question_list",
                "value": {
                    "title": "Questions to bring",
                    "questions": [
                        "What is the aim of this treatment?",
                        "What side effects should I expect?",
                        "Who do I call if I am worried?",
                    ],
                },
            },
            {
                "type": "call_to_action",
                "value": {
                    "heading": "Thinking about another view?",
                    "text": "Read how to ask for a second opinion.",
                    "button_label": "Read the guide",
                    "page": "asking-for-a-second-opinion",
                    "external_url": "",
                },
            },
        ],
        "related": ["asking-for-a-second-opinion"],
    },
]


DISCLAIMER = (
    "<p>This guide is general information, not medical advice. Always talk to your own care team "
    "about your situation.</p>"
)
