"""Register a frontend's GraphQL documents as persisted queries.

    manage.py register_persisted_queries src/graphql/            # every .graphql/.gql below
    manage.py register_persisted_queries page.graphql guide.graphql
    manage.py register_persisted_queries persisted-query-manifest.json

What is hashed: each .graphql or .gql file is one document, and its hash is
the sha256 of the file's exact UTF-8 text, leading and trailing whitespace
included; the frontend must send that same text (or only its hash). A JSON
file is read as an Apollo persisted query manifest (made by
@apollo/generate-persisted-query-manifest); each operation's `body` is the
text Apollo Client sends, after its own changes such as added __typename
fields, and its `id` must be the sha256 of that body.

Every document must validate against the schema with the endpoint's limits;
if any does not, nothing is registered and the command fails.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from graphene_django.settings import graphene_settings
from graphql import GraphQLError, OperationDefinitionNode, parse, validate

from cms.graphql.limits import validation_rules
from cms.graphql.persisted_queries import PersistedQuery, document_hash

DOCUMENT_SUFFIXES = {".graphql", ".gql"}
MANIFEST_FORMAT = "apollo-persisted-query-manifest"


class Command(BaseCommand):
    help = "Register GraphQL documents (.graphql files, folders of them, or an Apollo persisted query manifest) as persisted queries."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="Files or folders.")
        parser.add_argument(
            "--check", action="store_true", help="Validate and print hashes; register nothing."
        )

    def handle(self, *args, paths, check, **options):
        documents, problems = [], []
        for source, text, expected in self._documents([Path(p) for p in paths], problems):
            errors = self._errors(text)
            sha256 = document_hash(text)
            if expected is not None and expected != sha256:
                errors.insert(0, f"manifest id {expected} is not the sha256 of its body ({sha256})")
            if errors:
                problems.append(f"{source}: " + "; ".join(errors))
            else:
                documents.append((source, text, sha256))
        if problems:
            raise CommandError(
                "Nothing registered. These documents do not validate against the schema:\n  "
                + "\n  ".join(problems)
            )
        if not documents:
            raise CommandError("No .graphql or .gql documents found.")

        with transaction.atomic():
            for source, text, sha256 in documents:
                names = ", ".join(_operation_names(text))
                if check:
                    verb = "Valid"
                else:
                    _, created = PersistedQuery.objects.update_or_create(
                        sha256=sha256,
                        defaults={"document": text, "operation_names": names, "source": source},
                    )
                    verb = "Registered" if created else "Already registered"
                self.stdout.write(f"{verb} {sha256}  {names or '(anonymous)'}  from {source}")
        total = len(documents)
        self.stdout.write(
            self.style.SUCCESS(
                f"{total} document{'s' if total != 1 else ''} {'valid' if check else 'registered'}."
            )
        )

    def _documents(self, paths, problems):
        """(source, text, expected sha256 or None) for every document named."""
        for path in paths:
            if path.is_dir():
                files = sorted(p for p in path.rglob("*") if p.suffix in DOCUMENT_SUFFIXES)
                for file in files:
                    yield str(file), _read(file), None
            elif not path.exists():
                problems.append(f"{path}: no such file or folder")
            elif path.suffix == ".json":
                yield from self._manifest(path, problems)
            elif path.suffix in DOCUMENT_SUFFIXES:
                yield str(path), _read(path), None
            else:
                problems.append(f"{path}: not a .graphql, .gql or manifest .json file")

    def _manifest(self, path, problems):
        try:
            manifest = json.loads(_read(path))
        except ValueError as error:
            problems.append(f"{path}: not JSON ({error})")
            return
        if not isinstance(manifest, dict) or manifest.get("format") != MANIFEST_FORMAT:
            problems.append(f"{path}: not an Apollo persisted query manifest")
            return
        for index, operation in enumerate(manifest.get("operations") or []):
            body = operation.get("body") if isinstance(operation, dict) else None
            if not isinstance(body, str):
                problems.append(f"{path} operation {index}: no body")
                continue
            yield f"{path} ({operation.get('name') or index})", body, operation.get("id")

    def _errors(self, text):
        try:
            document = parse(text)
        except GraphQLError as error:
            return [error.message]
        if not any(isinstance(d, OperationDefinitionNode) for d in document.definitions):
            return ["no operation (only fragments?)"]
        schema = graphene_settings.SCHEMA.graphql_schema
        return [error.message for error in validate(schema, document, validation_rules())]


def _read(path):
    try:
        # Bytes, not text mode: line endings are part of what is hashed.
        return path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CommandError(f"{path}: cannot read it ({error})") from error


def _operation_names(text):
    return [
        d.name.value if d.name else "(anonymous)"
        for d in parse(text).definitions
        if isinstance(d, OperationDefinitionNode)
    ]
