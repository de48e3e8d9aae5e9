"""Original demo content in the shape of the product's source documents:
hubs that list guides, guides with highlights, facts, a structured body and
shared FAQs. Written for this project; not copied from any publisher."""

from home.demo_content.faqs import FAQS
from home.demo_content.guides import DISCLAIMER, GUIDES
from home.demo_content.hubs import HUBS
from home.demo_content.images import IMAGES
from home.demo_content.people import PEOPLE, PUBLISHER
from home.demo_content.taxonomy import AUDIENCES, CANCER_TYPES, CATEGORIES, FAQ_TOPICS

__all__ = [
    "AUDIENCES",
    "CANCER_TYPES",
    "CATEGORIES",
    "DISCLAIMER",
    "FAQS",
    "FAQ_TOPICS",
    "GUIDES",
    "HUBS",
    "IMAGES",
    "PEOPLE",
    "PUBLISHER",
]
