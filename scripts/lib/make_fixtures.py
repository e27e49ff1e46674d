"""Generate the committed test images in fixtures/images/ and their MANIFEST.md.

Run through scripts/make-fixtures (which sets up Pillow and numpy in .venv).
Usage: make_fixtures.py OUT_DIR SOURCE_PHOTO
  SOURCE_PHOTO: a CC0 photo (scikit-image's chelsea.png) used for photo.webp.
Output is deterministic (fixed seeds), so re-running changes no bytes.
"""

import io
import os
import re
import struct
import subprocess
import sys
import zlib

import numpy as np
from PIL import Image, ImageDraw, ImageOps

OUT = sys.argv[1]
SOURCE_PHOTO = sys.argv[2]
RED, GREEN, BLUE = (255, 0, 0), (0, 255, 0), (0, 0, 255)


def path(name):
    return os.path.join(OUT, name)


def write(name, data):
    with open(path(name), "wb") as f:
        f.write(data)


def png_bytes(width, height, bit_depth, colour_type, raw, palette=None, level=9):
    """A PNG from already-filtered scanlines (each row: filter byte + pixels)."""
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0)
    out = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
    if palette:
        out += chunk(b"PLTE", bytes(palette))
    return out + chunk(b"IDAT", zlib.compress(raw, level)) + chunk(b"IEND", b"")


# --- orientation -------------------------------------------------------------------------

def red_over_blue():
    im = Image.new("RGB", (600, 400), BLUE)
    im.paste(RED, (0, 0, 600, 200))
    return im


def save_jpeg(im, name, orientation=None, **kw):
    kw.setdefault("quality", 92)
    if orientation:
        exif = Image.Exif()
        exif[0x0112] = orientation
        kw["exif"] = exif.tobytes()
    im.save(path(name), "JPEG", **kw)


def orientation_fixtures():
    upright = red_over_blue()
    save_jpeg(upright, "upright-landscape.jpg", subsampling=0)
    # Orientation 6 means "rotate 90 degrees clockwise to display": store it turned anticlockwise.
    save_jpeg(upright.transpose(Image.Transpose.ROTATE_90), "exif-rotate-6.jpg", 6, subsampling=0)
    # Orientation 8 means "rotate 90 degrees anticlockwise to display": store it turned clockwise.
    save_jpeg(upright.transpose(Image.Transpose.ROTATE_270), "exif-rotate-8.jpg", 8, subsampling=0)
    for name in ("upright-landscape.jpg", "exif-rotate-6.jpg", "exif-rotate-8.jpg"):
        shown = ImageOps.exif_transpose(Image.open(path(name))).convert("RGB")
        assert shown.size == (600, 400), (name, shown.size)
        top, bottom = shown.getpixel((300, 50)), shown.getpixel((300, 350))
        assert top[0] > 240 and top[2] < 15 and bottom[2] > 240 and bottom[0] < 15, (name, top, bottom)


# --- colour photos -----------------------------------------------------------------------

def smooth_noise(rng, w, h, cells):
    """Low-frequency noise in [0, 1]: a small random grid scaled up bicubically."""
    grid = (rng.random((cells[1], cells[0])) * 255).astype(np.uint8)
    return np.asarray(Image.fromarray(grid).resize((w, h), Image.Resampling.BICUBIC)) / 255.0


def colour_photo(name, hue_deg, seed, v_range=(0.45, 1.0), s_range=(0.75, 1.0)):
    """An 800x600 'soft-focus' picture: hue within +-8 degrees of hue_deg, varying light."""
    rng = np.random.default_rng(seed)
    w, h = 800, 600
    hue = (hue_deg + (smooth_noise(rng, w, h, (5, 4)) - 0.5) * 16) % 360
    light = 0.6 * smooth_noise(rng, w, h, (6, 5)) + 0.4 * np.linspace(1, 0.55, h)[:, None]
    val = v_range[0] + (v_range[1] - v_range[0]) * light
    sat = s_range[0] + (s_range[1] - s_range[0]) * smooth_noise(rng, w, h, (4, 3))
    grain = rng.normal(0, 0.015, (h, w))
    hsv = np.stack([hue / 360 * 255, sat * 255, np.clip(val + grain, 0, 1) * 255], axis=2)
    im = Image.fromarray(hsv.round().astype(np.uint8), "HSV").convert("RGB")
    save_jpeg(im, name, quality=80)


def colour_fixtures():
    colour_photo("red.jpg", 0, 1)
    colour_photo("green.jpg", 120, 2)
    colour_photo("blue.jpg", 225, 3)
    colour_photo("yellow.jpg", 55, 4, v_range=(0.8, 1.0))


# --- formats -----------------------------------------------------------------------------

def format_fixtures():
    # small.png: 100x80, smaller than any thumbnail.
    small = Image.new("RGB", (100, 80), (30, 120, 200))
    d = ImageDraw.Draw(small)
    d.ellipse((30, 15, 70, 55), fill=(250, 200, 40))
    d.rectangle((0, 60, 99, 79), fill=(40, 160, 60))
    small.save(path("small.png"), optimize=True)

    # grey.jpg: single band.
    rng = np.random.default_rng(5)
    g = 40 + 170 * smooth_noise(rng, 640, 480, (6, 5))
    grey = Image.fromarray(g.astype(np.uint8), "L")
    ImageDraw.Draw(grey).ellipse((220, 140, 420, 340), fill=230)
    save_jpeg(grey, "grey.jpg", quality=80)

    # cmyk.jpg: CMYK JPEG of left half red, right half blue (Pillow's naive RGB->CMYK).
    rgb = Image.new("RGB", (400, 300), BLUE)
    rgb.paste(RED, (0, 0, 200, 300))
    save_jpeg(rgb.convert("CMYK"), "cmyk.jpg", quality=90)

    # deep16.png: 16-bit RGB; red ramps left to right, green top to bottom, blue constant.
    w, h = 256, 192
    r = np.repeat(np.linspace(0, 65535, w)[None, :], h, 0)
    gch = np.repeat(np.linspace(0, 65535, h)[:, None], w, 1)
    b = np.full((h, w), 20000.0)
    px = np.stack([r, gch, b], axis=2).round().astype(">u2").view(np.uint8).reshape(h, w * 6)
    sub = px.astype(np.int16)  # PNG "Sub" filter: each byte minus the one 6 bytes (1 pixel) left
    sub[:, 6:] -= px[:, :-6]
    rows = np.concatenate([np.ones((h, 1), np.uint8), (sub % 256).astype(np.uint8)], axis=1)
    write("deep16.png", png_bytes(w, h, 16, 2, rows.tobytes()))

    # alpha.png: left half opaque blue; right half fully transparent with black underneath,
    # so dropping alpha shows black and flattening onto white shows white.
    a = np.zeros((200, 300, 4), np.uint8)
    a[:, :150] = (0, 0, 255, 255)
    Image.fromarray(a, "RGBA").save(path("alpha.png"), optimize=True)

    # animated.gif: 3 frames, red, green, blue.
    frames = [Image.new("RGB", (120, 90), c).convert("P") for c in (RED, GREEN, BLUE)]
    frames[0].save(path("animated.gif"), save_all=True, append_images=frames[1:],
                   duration=200, loop=0)

    # photo.webp: a real photo (scikit-image's chelsea, CC0), downscaled.
    photo = Image.open(SOURCE_PHOTO).convert("RGB")
    photo.thumbnail((320, 320), Image.Resampling.LANCZOS)
    photo.save(path("photo.webp"), "WEBP", quality=75, method=6)

    # red.heic: red.jpg as HEIF (HEVC), the format iPhones upload; libvips reads it through its
    # vips-heif module, which the ImageProcessor Lambda archive must carry.
    rc, out = run("vips", "copy", "red.jpg", "red.heic")
    assert rc == 0, out


# --- bad inputs --------------------------------------------------------------------------

def bad_fixtures():
    write("empty.jpg", b"")
    write("text.jpg", b"This is not a JPEG. It is a plain text file with a .jpg name.\n")

    with open(path("red.jpg"), "rb") as f:
        jpeg = f.read()
    write("truncated.jpg", jpeg[: len(jpeg) * 6 // 10])

    # bad-crc.png: a valid 100x80 PNG whose IDAT data (and so its CRC) is damaged.
    buf = io.BytesIO()
    Image.open(path("small.png")).save(buf, "PNG")
    png = bytearray(buf.getvalue())
    idat = png.index(b"IDAT")
    length = struct.unpack(">I", png[idat - 4: idat])[0]
    for i in range(idat + 4 + length // 3, idat + 4 + length // 3 + 16):
        png[i] ^= 0x5A
    write("bad-crc.png", bytes(png))

    # bomb.png: 30000x30000 pixels of one colour (palette, 1 bit per pixel), complete and valid.
    # deflate can shrink at most about 1032:1, so 112 MB of scanlines need about 110 KB.
    row = b"\x00" * (1 + 30000 // 8)
    write("bomb.png", png_bytes(30000, 30000, 1, 3, row * 30000, palette=RED))

    write("external.svg", b"""<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
     width="200" height="100" viewBox="0 0 200 100">
  <rect width="200" height="100" fill="#3060c0"/>
  <image href="file:///etc/passwd" xlink:href="file:///etc/passwd" width="200" height="100"/>
</svg>
""")
    write("doc.pdf", tiny_pdf())


def tiny_pdf():
    """A one-page PDF (A6-ish, one line of text), with a correct xref table."""
    stream = b"BT /F1 24 Tf 40 200 Td (collections test PDF) Tj ET"
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 420] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return out


# --- manifest ----------------------------------------------------------------------------

def run(*cmd):
    p = subprocess.run(cmd, capture_output=True, text=True, cwd=OUT, timeout=600)
    text = (p.stdout + p.stderr).strip().replace(OUT + "/", "")
    text = re.sub(r"\(vips:\d+\): VIPS-WARNING \*\*: [\d:.]+: ", "warning: ", text)
    lines = [l for l in text.splitlines() if l.strip()]
    return p.returncode, "; ".join(lines[:3]) or "(no output)"


def decode(name, options=""):
    rc, out = run("vips", "avg", name + options)
    return f"decodes (avg {out})" if rc == 0 else f"fails: {out}"


GOOD = [
    ("upright-landscape.jpg", "600x400 RGB JPEG, top half pure red (255,0,0), bottom half pure blue, no EXIF.",
     "Thumbnail is landscape 3:2 with red on top. Reference for the two below."),
    ("exif-rotate-6.jpg", "Stored 400x600 (red left, blue right) with EXIF Orientation=6.",
     "Apply the orientation: report 600x400, thumbnail landscape with red on top (not red on the left, not blue on top)."),
    ("exif-rotate-8.jpg", "Stored 400x600 (blue left, red right) with EXIF Orientation=8.",
     "As above: 600x400 displayed, red on top."),
    ("red.jpg", "800x600 soft-focus picture, hue within 8 degrees of red.", "Dominant colour red."),
    ("green.jpg", "800x600, hue around 120 degrees.", "Dominant colour green."),
    ("blue.jpg", "800x600, hue around 225 degrees.", "Dominant colour blue."),
    ("yellow.jpg", "800x600, hue around 55 degrees, bright.", "Dominant colour yellow."),
    ("small.png", "100x80 RGB PNG (blue sky, yellow disc, green strip).",
     "Never enlarged: the thumbnail stays 100x80."),
    ("grey.jpg", "640x480 single-band greyscale JPEG.", "Decodes; thumbnail written as sRGB (or grey) without error."),
    ("cmyk.jpg", "400x300 CMYK JPEG; left half made from red, right half from blue (naive conversion).",
     "Converted to sRGB before encoding the thumbnail: left reddish, right bluish, not inverted."),
    ("deep16.png", "256x192 16-bit RGB PNG: red ramps 0..65535 left to right, green top to bottom, blue 20000.",
     "Reduced to 8 bits per channel correctly (centre is about (128,128,78)), not clipped or black."),
    ("alpha.png", "300x200 RGBA PNG: left half opaque blue; right half alpha 0 with black RGB under it.",
     "Flattened onto white: left blue, right white (black there means alpha was dropped)."),
    ("animated.gif", "120x90 GIF, 3 frames: red, green, blue, 200 ms each, looping.",
     "Uses the first frame only: a single red thumbnail."),
    ("photo.webp", "320x213 lossy WebP of a real photo (scikit-image's chelsea the cat, CC0 by Stefan van der Walt).",
     "Decodes; thumbnail of an orange/brown cat."),
    ("red.heic", "`red.jpg` saved as HEIF (HEVC) by `vips copy red.jpg red.heic`: the format iPhones upload.",
     "Decoded through libvips' `vips-heif` module: a JPEG thumbnail. The Lambda archive must carry "
     "that module (`ArchiveInChrootTests`)."),
]

BAD = [
    ("empty.jpg", "0 bytes.", "Rejected as empty before decoding."),
    ("text.jpg", "Plain ASCII text named .jpg.", "Rejected: not an image (sniff the bytes, not the name)."),
    ("truncated.jpg", "red.jpg cut at 60% of its bytes.",
     "Rejected with a decode error. The header is intact, so only a full decode with fail_on=error "
     "catches it; by default libvips only warns and pads the rest."),
    ("bad-crc.png", "small.png with 16 bytes of its IDAT data flipped (so the CRC is wrong too).",
     "Rejected with a decode error; the header still reads fine."),
    ("bomb.png", "Declares 30000x30000 (900 megapixels), 1-bit palette, one colour (red), complete and valid.",
     "Rejected from the header's dimensions (pixel limit) before any decoding. "
     "It is ~110 KB, not < 20 KB: deflate cannot compress more than about 1032:1. "
     "libvips streams PNG, so decoding it all takes seconds rather than exhausting memory."),
    ("external.svg", "SVG with `<image href=\"file:///etc/passwd\">`.",
     "Rejected (SVG is not an accepted type); /etc/passwd is never read."),
    ("doc.pdf", "A valid one-page PDF (300x420 pt, one line of text).",
     "Rejected as not a photo; libvips would render it via poppler unless untrusted/unwanted loaders are blocked."),
]


def manifest():
    lines = [
        "# Test images",
        "",
        "Made by `scripts/make-fixtures` (deterministic; needs Pillow, numpy and the `vips` CLI).",
        "Everything here is synthetic except `photo.webp` (CC0 photo from scikit-image).",
        "",
        "## Good inputs",
        "",
        "| file | bytes | what it is | what a correct pipeline does |",
        "| --- | ---: | --- | --- |",
    ]
    for name, what, must in GOOD:
        lines.append(f"| `{name}` | {os.path.getsize(path(name))} | {what} | {must} |")
    lines += [
        "",
        "## Bad inputs",
        "",
        "Each must fail cleanly: an error recorded for the item, no thumbnail, no crash, nothing",
        "written elsewhere. The last three columns are what libvips 8.14.1 (Debian 12) says:",
        "`vipsheader FILE`, a full decode `vips avg FILE`, and the same with `[fail_on=error]`.",
        "",
        "| file | bytes | what it is | what a correct pipeline does | `vipsheader` | full decode | fail_on=error |",
        "| --- | ---: | --- | --- | --- | --- | --- |",
    ]
    cell = lambda s: s.replace("|", "\\|")
    for name, what, must in BAD:
        rc, head = run("vipsheader", name)
        head = ("loads: " if rc == 0 else f"fails (exit {rc}): ") + head
        lines.append(f"| `{name}` | {os.path.getsize(path(name))} | {what} | {must} | {cell(head)} "
                     f"| {cell(decode(name))} | {cell(decode(name, '[fail_on=error]'))} |")
    lines += ["", "Notes:", "",
              "- `vipsheader -f n-pages animated.gif` reports "
              f"{run('vipsheader', '-f', 'n-pages', 'animated.gif')[1]} pages.",
              "- `vipsheader -f orientation exif-rotate-6.jpg` reports "
              f"{run('vipsheader', '-f', 'orientation', 'exif-rotate-6.jpg')[1]}; "
              "`vips autorot` turns it into the upright picture.",
              ""]
    with open(path("MANIFEST.md"), "w") as f:
        f.write("\n".join(lines))


os.makedirs(OUT, exist_ok=True)
orientation_fixtures()
colour_fixtures()
format_fixtures()
bad_fixtures()
manifest()
