"""Give every image that has none (or one made from an older file) its
placeholder and file size, as saving an image does; prints its progress.

    manage.py compute_image_placeholders          # images without a current placeholder
    manage.py compute_image_placeholders --all    # every image again

Run it once after deploying the placeholder migration; later uploads get
theirs when they are saved.
"""

from django.core.management.base import BaseCommand
from django.db.models import F, Q
from wagtail.images import get_image_model

from cms.images.placeholders import ImagePlaceholder, fill_file_size, update_placeholder


class Command(BaseCommand):
    help = "Compute the placeholder of every image that has none."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Recompute every placeholder.")

    def handle(self, *args, **options):
        images = get_image_model().objects.order_by("pk")
        if not options["all"]:
            images = images.filter(
                Q(placeholder__isnull=True) | ~Q(placeholder__source_file=F("file"))
            )
        else:
            ImagePlaceholder.objects.all().delete()
        total = images.count()
        done = failed = 0
        for number, image in enumerate(images.iterator(chunk_size=100), start=1):
            fill_file_size(image)
            if update_placeholder(image) is None:
                failed += 1
            else:
                done += 1
            if number % 50 == 0 or number == total:
                self.stdout.write(f"{number}/{total} images")
        self.stdout.write(
            self.style.SUCCESS(f"{done} placeholders computed, {failed} images could not be read.")
        )
