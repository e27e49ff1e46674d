"""The images the imaging benchmarks run on: the real photo set plus two large generated ones.

The generated images are a 6000×4000 JPEG and a 6000×4000 (24 MP) PNG, each a real photo from
the set enlarged to cover 6000×4000 (Lanczos), centre-cropped, with seeded Gaussian noise
(sigma 6) added so that they carry fine detail as a camera's output does: JPEG and PNG coders
and decoders behave differently on smooth or flat images. libvips' `gaussnoise` is seeded and
position-based, so the pixels are the same on every run; the files are cached under
.collections/bench/images/ and made again only when missing.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from common import STATE, progress

PHOTOS = Path(os.environ.get("COLLECTIONS_PHOTOS", STATE / "photos"))
GENERATED = STATE / "bench" / "images"
PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")

WIDTH, HEIGHT = 6000, 4000
# Generated file name -> (source photo, noise seed). Different sources, so the two differ.
RECIPES = {
    "generated-6000x4000.jpg": ("bridge.jpg", 8),
    "generated-6000x4000.png": ("sunset.jpg", 24),
}


@dataclass(frozen=True)
class BenchImage:
    """One input: its file, pixel size and format as the header says."""

    path: Path
    width: int
    height: int
    format: str

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def megapixels(self) -> float:
        return self.width * self.height / 1e6


def photos() -> list[Path]:
    """The real photo set, sorted by name; fails clearly when it has not been fetched."""
    if not PHOTOS.is_dir():
        raise SystemExit(f"no photos in {PHOTOS}: run scripts/fetch-photos")
    found = sorted(p for p in PHOTOS.iterdir() if p.suffix.lower() in PHOTO_SUFFIXES)
    if not found:
        raise SystemExit(f"no photos in {PHOTOS}: run scripts/fetch-photos")
    return found


def generated() -> list[Path]:
    """The two large generated images, made on first use."""
    GENERATED.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, (source, seed) in RECIPES.items():
        path = GENERATED / name
        if not path.exists():
            progress(f"generating {path.name} from {source}")
            _generate(PHOTOS / source, path, seed)
        paths.append(path)
    return paths


def _generate(source: Path, target: Path, seed: int) -> None:
    import pyvips

    image = pyvips.Image.new_from_file(str(source), access="sequential")
    scale = max(WIDTH / image.width, HEIGHT / image.height)
    image = image.resize(scale, kernel="lanczos3")
    image = image.crop((image.width - WIDTH) // 2, (image.height - HEIGHT) // 2, WIDTH, HEIGHT)
    noise = pyvips.Image.gaussnoise(WIDTH, HEIGHT, sigma=6, mean=0, seed=seed)
    image = (image[:3] + noise).cast("uchar")
    partial = target.with_suffix(".partial" + target.suffix)
    if target.suffix == ".png":
        image.pngsave(str(partial), compression=6, strip=True)
    else:
        image.jpegsave(str(partial), Q=90, strip=True)
    partial.rename(target)


def describe(path: Path) -> BenchImage:
    """Reads an image's size and format from its header (no decode)."""
    import pyvips

    header = pyvips.Image.new_from_file(str(path))
    loader = header.get("vips-loader")
    return BenchImage(path, header.width, header.height, loader.replace("load", "").replace("_source", ""))


def all_images() -> list[BenchImage]:
    """Every benchmark input: the photos, then the generated images."""
    return [describe(p) for p in photos() + generated()]
