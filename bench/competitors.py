"""What people would use instead of our renderer, each making the same outputs from bytes in memory.

Our renderer (Sources/Imaging/VipsImageRenderer.swift) makes, from one decode: a thumbnail whose
long edge is at most `thumbnail_size` (never enlarged), autorotated by EXIF, colour-managed to
sRGB when the image carries an ICC profile (untagged images are taken as sRGB and left alone),
alpha flattened onto white, written as baseline JPEG at `quality` with metadata stripped and
optimised Huffman tables; and an analysis rendition the same way at `rendition_size`, JPEG
quality max(quality, 85). Each function here does that job with one tool:

- pyvips: `thumbnail_buffer` with the same options and libvips' operation cache off (it would
  return the previous run's result), at a given thread count (`pyvips_threads`): ours, and
  libvips' default when that differs;
- Pillow: `Image.open` + `draft` + `thumbnail` (its JPEG fast path: libjpeg's DCT scaling),
  `ImageOps.exif_transpose`, ImageCms to sRGB for tagged images, `save` as JPEG;
- the `vipsthumbnail` command (thumbnail only), per image, including its process start.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path


@dataclass(frozen=True)
class Options:
    """Our renderer's settings, as `collections-bench thumbnail` reports them."""

    thumbnail_size: int
    quality: int
    rendition_size: int

    @property
    def rendition_quality(self) -> int:
        return max(self.quality, 85)


# pyvips


def _pyvips():
    import pyvips

    pyvips.cache_set_max(0)
    return pyvips


_DEFAULT_THREADS: list[int] = []


def pyvips_default_threads() -> int:
    """libvips' own worker-thread count in this process, before anything set it."""
    if not _DEFAULT_THREADS:
        _DEFAULT_THREADS.append(_pyvips().concurrency_get())
    return _DEFAULT_THREADS[0]


def pyvips_threads(count: int) -> None:
    """Sets libvips' worker threads for the pyvips runs that follow."""
    pyvips_default_threads()
    _pyvips().concurrency_set(count)


def _vips_finish(image):
    """8-bit sRGB, three bands, alpha flattened onto white: what we encode."""
    image = image.colourspace("srgb").cast("uchar")
    if image.hasalpha():
        image = image.flatten(background=[255])
    return image


def _vips_jpeg(image, quality: int) -> bytes:
    return _vips_finish(image).jpegsave_buffer(Q=quality, strip=True, optimize_coding=True)


def _vips_shrunk(data: bytes, size: int):
    pyvips = _pyvips()
    header = pyvips.Image.new_from_buffer(data, "")
    tagged = header.get_typeof("icc-profile-data") != 0
    extra = {"export_profile": "srgb"} if tagged else {}
    return pyvips.Image.thumbnail_buffer(
        data, size, height=size, size="down", option_string="fail_on=error", **extra
    )


def pyvips_thumbnail(data: bytes, options: Options) -> bytes:
    """The thumbnail alone, shrunk on load to its size."""
    return _vips_jpeg(_vips_shrunk(data, options.thumbnail_size), options.quality)


def pyvips_render(data: bytes, options: Options) -> tuple[bytes, bytes]:
    """Thumbnail and rendition from one decode, as our renderer does it."""
    rendition = _vips_shrunk(data, options.rendition_size).copy_memory()
    rendition_jpeg = _vips_jpeg(rendition, options.rendition_quality)
    thumbnail = rendition.thumbnail_image(
        options.thumbnail_size, height=options.thumbnail_size, size="down", no_rotate=True
    )
    return _vips_jpeg(thumbnail, options.quality), rendition_jpeg


# Pillow


def _pillow_finish(image):
    """EXIF rotation, sRGB, alpha flattened onto white: what we encode."""
    from PIL import Image, ImageCms, ImageOps

    image = ImageOps.exif_transpose(image)
    icc = image.info.get("icc_profile")
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(white, rgba).convert("RGB")
    elif image.mode != "RGB":
        image = image.convert("RGB")
    if icc:
        profile = ImageCms.ImageCmsProfile(BytesIO(icc))
        image = ImageCms.profileToProfile(image, profile, ImageCms.createProfile("sRGB"), outputMode="RGB")
    return image


def _pillow_jpeg(image, quality: int) -> bytes:
    out = BytesIO()
    image.save(out, "JPEG", quality=quality, optimize=True)
    return out.getvalue()


def _pillow_shrunk(data: bytes, size: int):
    from PIL import Image

    image = Image.open(BytesIO(data))
    image.draft("RGB", (size, size))
    image.thumbnail((size, size))
    return image


def pillow_thumbnail(data: bytes, options: Options) -> bytes:
    """The thumbnail alone: draft (DCT scaling) and thumbnail to its size."""
    image = _pillow_shrunk(data, options.thumbnail_size)
    return _pillow_jpeg(_pillow_finish(image), options.quality)


def pillow_render(data: bytes, options: Options) -> tuple[bytes, bytes]:
    """Thumbnail and rendition from one decode: the rendition first, the thumbnail from it."""
    rendition = _pillow_finish(_pillow_shrunk(data, options.rendition_size))
    rendition_jpeg = _pillow_jpeg(rendition, options.rendition_quality)
    thumbnail = rendition.copy()
    thumbnail.thumbnail((options.thumbnail_size, options.thumbnail_size))
    return _pillow_jpeg(thumbnail, options.quality), rendition_jpeg


# vipsthumbnail


def vipsthumbnail_command(path: Path, tagged: bool, options: Options, output: Path) -> list[str]:
    """The command line for the same thumbnail: `>` so that small images are never enlarged."""
    size = options.thumbnail_size
    command = ["vipsthumbnail", str(path), "--size", f"{size}x{size}>"]
    if tagged:
        command += ["--export-profile", "srgb"]
    return command + ["-o", f"{output}[Q={options.quality},strip,optimize_coding]"]


def run_vipsthumbnail(command: list[str]) -> None:
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def is_tagged(data: bytes) -> bool:
    """Whether the image carries an ICC profile (read from its header)."""
    pyvips = _pyvips()
    return pyvips.Image.new_from_buffer(data, "").get_typeof("icc-profile-data") != 0


def jpeg_size(data: bytes) -> tuple[int, int]:
    """The pixel size of an encoded JPEG."""
    pyvips = _pyvips()
    image = pyvips.Image.new_from_buffer(data, "")
    return image.width, image.height
