"""ImageProcessor's job written as a Python Lambda handler would be, for the cold-start benchmark.

boto3 + Pillow, the usual choice: the S3 and EventBridge clients are created at import (Lambda's
init phase), as Python Lambda code does. One invocation takes an EventBridge "Object Created"
event from S3, reads the original (`IfMatch` its ETag), makes the analysis rendition (long edge
1568 px, JPEG quality 85, at most 5 MB) and from it the thumbnail (long edge 512 px, JPEG
quality 80), both upright (EXIF orientation applied), sRGB 8-bit with alpha flattened onto
white and never enlarged, as ImageProcessor does (Sources/PipelineCore/Imaging/ImagingOptions.swift),
writes both next to ours' prefixes and announces `ImageProcessed` on the bus.
"""

from __future__ import annotations

import io
import json
import os
import uuid

import boto3
from PIL import Image, ImageOps

S3 = boto3.client("s3")
EVENTS = boto3.client("events")

BUS = os.environ.get("COLLECTIONS_EVENT_BUS_NAME", "default")
THUMBNAIL_PREFIX = os.environ.get("COLLECTIONS_THUMBNAIL_PREFIX", "thumbnails/")
RENDITION_PREFIX = os.environ.get("COLLECTIONS_RENDITION_PREFIX", "renditions/")
THUMBNAIL_SIZE = int(os.environ.get("COLLECTIONS_THUMBNAIL_SIZE", "512"))
RENDITION_SIZE = 1568
RENDITION_MAX_BYTES = 5 * 1024 * 1024
QUALITY = 80
MAX_INPUT_PIXELS = 100_000_000
NAMESPACE = uuid.UUID("6f1c5a3e-4b1d-4c47-9a55-2f3c8d0e7b21")
Image.MAX_IMAGE_PIXELS = MAX_INPUT_PIXELS


def handler(event: dict, context: object) -> dict:
    detail = event["detail"]
    bucket, key = detail["bucket"]["name"], detail["object"]["key"]
    if key.startswith((THUMBNAIL_PREFIX, RENDITION_PREFIX)):
        return {"processed": [], "ignored": [f"{key} is one of our outputs"]}
    original = S3.get_object(Bucket=bucket, Key=key, IfMatch=detail["object"]["etag"])
    data = original["Body"].read()
    image = Image.open(io.BytesIO(data))
    image_format = image.format.lower()
    orientation = image.getexif().get(0x0112, 1)
    width, height = image.size if orientation < 5 else image.size[::-1]
    image.draft("RGB", (RENDITION_SIZE, RENDITION_SIZE))  # JPEG shrink-on-load, as libvips does
    if image.mode not in ("RGB", "L"):
        image = _flattened(image)  # palette, alpha, CMYK, 16-bit: at full size, as resizing needs
    image.thumbnail((RENDITION_SIZE, RENDITION_SIZE), Image.Resampling.LANCZOS)  # in place, no copy
    rendition = ImageOps.exif_transpose(image).convert("RGB")
    thumbnail = rendition.copy()
    thumbnail.thumbnail((THUMBNAIL_SIZE, THUMBNAIL_SIZE), Image.Resampling.LANCZOS)

    user = key.split("/", 1)[0]
    item_id = uuid.uuid5(NAMESPACE, f"s3://{bucket}/{key}")
    rendition_key, thumbnail_key = f"{RENDITION_PREFIX}{key}.jpg", f"{THUMBNAIL_PREFIX}{key}.jpg"
    S3.put_object(Bucket=bucket, Key=rendition_key, Body=_rendition_jpeg(rendition), ContentType="image/jpeg")
    S3.put_object(Bucket=bucket, Key=thumbnail_key, Body=_jpeg(thumbnail, QUALITY), ContentType="image/jpeg")
    processed = {
        "item_id": str(item_id), "user_id": user, "bucket": bucket, "original_key": key,
        "thumbnail_key": thumbnail_key, "rendition_key": rendition_key,
        "content_type": f"image/{image_format}", "width": width, "height": height, "bytes": len(data),
        "etag": original["ETag"].strip('"'), "format": image_format, "orientation": orientation,
    }
    answer = EVENTS.put_events(Entries=[{
        "Source": "collections.imageprocessor", "DetailType": "ImageProcessed",
        "Detail": json.dumps(processed), "EventBusName": BUS,
    }])
    if answer.get("FailedEntryCount"):
        raise RuntimeError(f"PutEvents refused the event: {answer['Entries']}")
    return {"processed": [processed], "ignored": []}


def _flattened(image: Image.Image) -> Image.Image:
    """8-bit RGB, with any transparency flattened onto white."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        white = Image.new("RGB", rgba.size, (255, 255, 255))
        white.paste(rgba, mask=rgba.getchannel("A"))
        return white
    return image.convert("RGB")


def _jpeg(image: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, optimize=True)
    return out.getvalue()


def _rendition_jpeg(image: Image.Image) -> bytes:
    """JPEG from quality 85 down by 15 until it fits the Messages API's 5 MB."""
    quality = max(QUALITY, 85)
    while True:
        data = _jpeg(image, quality)
        if len(data) <= RENDITION_MAX_BYTES or quality <= 40:
            return data
        quality -= 15
