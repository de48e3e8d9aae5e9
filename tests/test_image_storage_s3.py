"""Uploads and renditions in S3-compatible object storage, against a real S3
server (moto's, on 127.0.0.1): a rendition one app server made is found by
another, which shares only the database and the bucket, without making it again."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import boto3
import pytest
import wagtail_factories
from django.conf import settings as django_settings
from django.core.cache import caches
from django.core.files.storage import default_storage
from moto.server import ThreadedMotoServer
from PIL import Image as PILImage
from wagtail.images.models import Image

BUCKET = "guides-media"
CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


def storage_from_environment(endpoint):
    """The default storage the settings make of S3_* variables, read in a fresh process."""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.test",
        "S3_BUCKET": BUCKET,
        "S3_ENDPOINT_URL": endpoint,
        "S3_REGION": "us-east-1",
        "S3_ACCESS_KEY_ID": CREDENTIALS["aws_access_key_id"],
        "S3_SECRET_ACCESS_KEY": CREDENTIALS["aws_secret_access_key"],
    }
    code = "import json, django; django.setup(); from django.conf import settings; print(json.dumps(settings.STORAGES['default']))"
    output = subprocess.run(
        [sys.executable, "-c", code],
        env=environment,
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


@pytest.fixture
def bucket(settings):
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        endpoint = f"http://{host}:{port}"
        client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", **CREDENTIALS)
        client.create_bucket(Bucket=BUCKET)
        default = storage_from_environment(endpoint)
        assert default["BACKEND"] == "storages.backends.s3.S3Storage"
        settings.STORAGES = {**django_settings.STORAGES, "default": default}
        yield client
    finally:
        server.stop()


def test_a_rendition_made_by_one_server_is_found_by_another(graphql, make_guide, bucket):
    buffer = io.BytesIO()
    PILImage.new("RGB", (700, 400), (30, 90, 160)).save(buffer, "JPEG")
    image = wagtail_factories.ImageFactory(
        file__from_file=io.BytesIO(buffer.getvalue()), file__filename="clinic.jpg"
    )
    assert default_storage.exists(image.file.name)
    assert image.placeholder.blurhash  # computed from the file in the bucket
    make_guide(slug="pictured", hero_image=image)
    query = '{ guide(slug: "pictured") { heroImage { sources(widths: [320], formats: [WEBP, ORIGINAL]) { url width format } } } }'

    first = graphql.data(query)["guide"]["heroImage"]["sources"]
    keys = {item["Key"] for item in bucket.list_objects_v2(Bucket=BUCKET)["Contents"]}
    made = [rendition.file.name for rendition in image.renditions.all()]
    assert len(made) == 2 and set(made) <= keys
    assert all(source["url"].startswith(bucket.meta.endpoint_url) for source in first)

    # Another server: nothing in its memory, the same database and bucket.
    for cache in caches.all():
        cache.clear()
    with mock.patch.object(Image, "generate_rendition_file") as generate:
        second = graphql.data(query)["guide"]["heroImage"]["sources"]
    assert generate.call_count == 0
    assert second == first
    for source in second:
        key = source["url"].split(f"/{BUCKET}/", 1)[1]
        body = bucket.get_object(Bucket=BUCKET, Key=key)["Body"].read()
        assert PILImage.open(io.BytesIO(body)).size[0] == source["width"] == 320
