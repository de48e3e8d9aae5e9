"""The demo's categories, cancer types, audiences and FAQ topics."""

CATEGORIES = ["Communication Guide", "Decision Guide", "Caregiver Guide", "Practical Guide"]
# Name and ICD-10 code (used in structured data); the codes are the chapter-level ones.
CANCER_TYPES = [
    ("Lymphoma", "C85.9"),
    ("Multiple myeloma", "C90.0"),
    ("Breast cancer", "C50.9"),
    ("Leukaemia", "C95.9"),
]
AUDIENCES = ["Patients", "Caregivers", "International patients"]

FAQ_TOPICS = ["Second opinions", "Appointments", "Travel and visas", "Costs and insurance"]
