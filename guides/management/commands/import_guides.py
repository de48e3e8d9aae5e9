"""Import Word (.docx), HTML, Markdown and plain-text articles as draft guides under a hub.

    python manage.py import_guides articles/*.md articles/*.docx --hub second-opinions

Each file becomes a draft guide (never published: it goes to Clinical review);
importing the same article into the same hub again (the same file name, title
or original address) adds a new revision to that guide, unless --new-guide. A report per file says what became what and what an editor must check.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from guides.importing.build import import_source
from guides.importing.report import ImportReport
from guides.importing.sources import FORMATS, ImportRefused, read_path
from guides.models import GuideCategory, GuideIndexPage


class Command(BaseCommand):
    help = "Import .docx, HTML, Markdown and plain-text articles as draft guides under a hub."

    def add_arguments(self, parser):
        parser.add_argument(
            "paths", nargs="+", help="Files, or folders to import every article in."
        )
        parser.add_argument(
            "--hub", required=True, help="The slug of the guide hub to import into."
        )
        parser.add_argument(
            "--category", help="The slug or name of the guides' category (default: the first)."
        )
        parser.add_argument(
            "--new-guide",
            action="store_true",
            help="Make a new guide even where the hub has one with the same file, title or "
            "original address (by default that guide gets a new revision).",
        )
        parser.add_argument("--quiet-report", action="store_true", help="Print one line per file.")

    def handle(
        self, *args, paths, hub, category=None, quiet_report=False, new_guide=False, **options
    ):
        hub_page = GuideIndexPage.objects.filter(slug=hub).first()
        if hub_page is None:
            known = ", ".join(GuideIndexPage.objects.values_list("slug", flat=True)) or "none"
            raise CommandError(f"No guide hub with the slug '{hub}' (hubs: {known}).")
        chosen = None
        if category:
            chosen = (
                GuideCategory.objects.filter(slug=category).first()
                or GuideCategory.objects.filter(name__iexact=category).first()
            )
            if chosen is None:
                raise CommandError(f"No guide category '{category}'.")
        files = self._files(paths)
        failed = 0
        for number, path in enumerate(files, start=1):
            try:
                report = import_source(
                    read_path(path), hub_page, category=chosen, new_guide=new_guide
                )
            except ImportRefused as error:
                report = ImportReport(file_name=path.name, error=str(error))
            except OSError as error:
                report = ImportReport(
                    file_name=path.name, error=f"cannot read it ({error.strerror})."
                )
            failed += not report.ok
            line = f"[{number}/{len(files)}] {path.name}: {report.summary()}"
            self.stdout.write(self.style.ERROR(line) if report.error else line)
            if report.ok and not quiet_report:
                self.stdout.write(report.as_text())
        done = len(files) - failed
        self.stdout.write(
            f"Imported {done} of {len(files)} file(s) into '{hub_page.title}' as drafts."
        )
        if failed:
            raise CommandError(f"{failed} file(s) could not be imported.")

    def _files(self, paths):
        files = []
        for name in paths:
            path = Path(name)
            if path.is_dir():
                files += sorted(p for p in path.iterdir() if p.suffix.lower() in FORMATS)
            elif path.exists() or Path(name).suffix:
                files.append(path)
            else:
                raise CommandError(f"No such file: {name}")
        if not files:
            raise CommandError("No articles to import.")
        return files
