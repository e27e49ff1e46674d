"""Thumbnails per image, in-process: our renderer vs pyvips vs Pillow vs the vipsthumbnail command.

Every tool starts from the encoded bytes in memory and ends with encoded JPEG bytes in memory
(vipsthumbnail from the file to a file, including its process start: what using it costs), and
makes the same outputs as ours (bench/competitors.py says how). Ours runs through the real
`VipsImageRenderer` in the release-built `collections-bench thumbnail`, whose JSON gives every
sample. Two jobs, compared like with like:

- thumbnail: the thumbnail alone (ours: `VipsImageRenderer.thumbnail`);
- render: thumbnail and analysis rendition from one decode, what ImageProcessor does (ours:
  `VipsImageRenderer.render`, which lets libjpeg shrink a large JPEG on load as far as the
  rendition allows, where libvips' `thumbnail_buffer`, as pyvips calls it, stops at half that;
  Pillow's `draft` shrinks as far as ours; vipsthumbnail cannot do it in one run, so it is left out).

pyvips runs at ours' libvips thread count (libvips' default, one per core) and, when its own
default differs, at that too; each column says which. Then what libvips' worker threads buy us
(ours at libvips' default vs one thread, on the large images), and how many times `render` decodes each image, counted by preloading
bench/decode_count.c into the same binary. Times are medians of N runs after one warm-up.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from pathlib import Path

import competitors as tools
from common import (
    QUICK, RELEASE, RESULTS, heading, median, ms, note, progress, ratio, repeats, save_json, table, time_calls,
)
from images import BenchImage, all_images

BENCH = RELEASE / "collections-bench"
LARGE_MP = 19.0
"""Images at least this large go into the concurrency table."""
QUICK_IMAGES = {"rocket.jpg", "garden.jpg", "dune.webp", "astronaut.png"}
"""Under --quick: these and the large images."""


def run_ours(files: list[Path], count: int, *extra: str, env: dict | None = None) -> dict:
    """`collections-bench thumbnail` on the files: its JSON report."""
    command = [str(BENCH), "thumbnail", "--repeats", str(count), *extra, *map(str, files)]
    done = subprocess.run(command, check=True, capture_output=True, text=True, env=env)
    return json.loads(done.stdout)


def time_competitors(image: BenchImage, options: tools.Options, count: int, scratch: Path, threads: int) -> dict:
    """Samples (seconds) for each competitor on one image, and the sizes they produced. pyvips runs
    at `threads` (ours) and, if different, at libvips' default (the `_default` samples)."""
    data = image.path.read_bytes()
    command = tools.vipsthumbnail_command(image.path, tools.is_tagged(data), options, scratch / "thumb.jpg")
    tools.pyvips_threads(threads)
    samples = {
        "pyvips_thumbnail": time_calls(lambda: tools.pyvips_thumbnail(data, options), count),
        "pillow_thumbnail": time_calls(lambda: tools.pillow_thumbnail(data, options), count),
        "vipsthumbnail": time_calls(lambda: tools.run_vipsthumbnail(command), count),
        "pyvips_render": time_calls(lambda: tools.pyvips_render(data, options), count),
        "pillow_render": time_calls(lambda: tools.pillow_render(data, options), count),
    }
    if tools.pyvips_default_threads() != threads:
        tools.pyvips_threads(tools.pyvips_default_threads())
        samples["pyvips_default_thumbnail"] = time_calls(lambda: tools.pyvips_thumbnail(data, options), count)
        samples["pyvips_default_render"] = time_calls(lambda: tools.pyvips_render(data, options), count)
        tools.pyvips_threads(threads)
    sizes = {
        "pyvips": tools.jpeg_size(tools.pyvips_thumbnail(data, options)),
        "pillow": tools.jpeg_size(tools.pillow_thumbnail(data, options)),
        "vipsthumbnail": tools.jpeg_size((scratch / "thumb.jpg").read_bytes()),
    }
    return {"samples_s": samples, "thumbnail_sizes": sizes}


def check_sizes(image: BenchImage, ours: dict, theirs: dict) -> None:
    """Warns when a competitor's thumbnail is not the size ours is (±1 px of rounding)."""
    width, height = ours["thumbnail"]["outputs"][0]["width"], ours["thumbnail"]["outputs"][0]["height"]
    for tool, (w, h) in theirs["thumbnail_sizes"].items():
        if abs(w - width) > 1 or abs(h - height) > 1:
            progress(f"warning: {tool} made a {w}×{h} thumbnail of {image.name}, ours is {width}×{height}")


def seconds(samples_ms: list[float]) -> float:
    return median(samples_ms) / 1000


def label(image: BenchImage) -> list[str]:
    return [image.name, f"{image.megapixels:.1f}", image.format]


def summary(rows: list[dict], keys: list[str], reference: str) -> list[str]:
    """Totals of the medians, and the median over images of each tool's ratio to ours."""
    totals = [ms(sum(row[key] for row in rows)) for key in keys]
    ratios = [f"{median([row[key] / row[reference] for row in rows]):.2f}×" for key in keys if key != reference]
    return ["**all (total ms; median ratio)**", "", ""] + totals + ratios


def pyvips_columns(rows: list[dict], threads: int) -> tuple[list[str], list[str]]:
    """The pyvips keys and their labels: at ours' thread count, and at its default if that differs."""
    if "pyvips_default" in rows[0]:
        default = tools.pyvips_default_threads()
        return ["pyvips", "pyvips_default"], [f"pyvips {threads}t (as ours)", f"pyvips {default}t (default)"]
    return ["pyvips"], [f"pyvips {threads}t (as ours = default)"]


def thumbnail_table(rows: list[dict], threads: int) -> None:
    pyvips, names = pyvips_columns(rows, threads)
    keys = ["ours", *pyvips, "pillow", "vipsthumbnail"]
    table(
        ["image", "MP", "format", "ours ms", *[f"{n} ms" for n in names], "Pillow ms", "vipsthumbnail ms",
         *[f"{n} ÷ ours" for n in names], "Pillow ÷ ours", "vipsthumbnail ÷ ours"],
        [label(r["image"]) + [ms(r[k]) for k in keys] + [ratio(r[k], r["ours"]) for k in keys[1:]] for r in rows]
        + [summary(rows, keys, "ours")],
    )


def render_table(rows: list[dict], threads: int) -> None:
    pyvips, names = pyvips_columns(rows, threads)
    keys = ["ours", *pyvips, "pillow"]
    table(
        ["image", "MP", "format", "ours ms", *[f"{n} ms" for n in names], "Pillow ms",
         *[f"{n} ÷ ours" for n in names], "Pillow ÷ ours", "ours: render ÷ thumbnail"],
        [label(r["image"]) + [ms(r[k]) for k in keys] + [ratio(r[k], r["ours"]) for k in keys[1:]]
         + [ratio(r["ours"], r["ours_thumbnail"])] for r in rows]
        + [summary(rows, keys, "ours") + [""]],
    )


def concurrency_section(large: list[BenchImage], count: int) -> dict:
    """Ours at one libvips worker thread vs libvips' default (what the functions run), per image
    in the order 1, default, default, 1 (each half the runs), so that drifting load falls on both."""
    half = max(1, (count + 1) // 2)
    rows, raw, threads = [], {}, 0
    for image in large:
        runs = {"1": [], "0": []}
        for setting in ("1", "0", "0", "1"):
            runs[setting].append(run_ours([image.path], half, "--concurrency", setting))
        threads = runs["0"][0]["concurrency"]
        raw[image.name] = runs
        row = label(image)
        for job in ("thumbnail", "render"):
            one, default = ([s for run in runs[k] for s in run["files"][0][job]["samples_ms"]] for k in ("1", "0"))
            row += [ms(seconds(one)), ms(seconds(default)), ratio(seconds(one), seconds(default))]
        rows.append(row)
    table(
        ["image", "MP", "format", "thumbnail, 1 thread ms", f"thumbnail, {threads} threads (ours) ms", "1 ÷ ours",
         "render, 1 thread ms", f"render, {threads} threads (ours) ms", "1 ÷ ours"],
        rows,
    )
    return raw


def decode_counts(images: list[BenchImage]) -> dict:
    """How often `render` decodes each image: decoder calls counted by a preloaded library."""
    library = RESULTS / "decode_count.so"
    source = Path(__file__).with_name("decode_count.c")
    subprocess.run(["gcc", "-O2", "-shared", "-fPIC", "-o", str(library), str(source), "-ldl"], check=True)
    counts, rows = {}, []
    for image in images:
        env = dict(os.environ, LD_PRELOAD=str(library))
        done = subprocess.run(
            [str(BENCH), "thumbnail", "--repeats", "1", "--warmup", "0", "--jobs", "render", str(image.path)],
            check=True, capture_output=True, text=True, env=env,
        )
        found = json.loads(done.stderr.strip().splitlines()[-1])
        counts[image.name] = found
        rows_decoded = found["jpeg_rows"] + found["png_rows"]
        decodes = found["jpeg_decodes"] + found["webp_decodes"] + (1 if found["png_rows"] else 0)
        rows.append(label(image) + [decodes, f"{rows_decoded} of {image.height}" if rows_decoded else "n/a"])
    table(["image", "MP", "format", "decodes per render", "rows decoded"], rows)
    return counts


def measure_image(image: BenchImage, count: int, scratch: Path) -> dict:
    """Ours, then each competitor, on one image: close in time, so that load from other work on
    the machine falls on all of them alike."""
    report = run_ours([image.path], count)
    ours = report["files"][0]
    # The rendition is the largest size up to rendition_size within the analysis model's visual-token
    # budget (ImagingOptions.renditionEdge), so it differs per image: the competitors make the size
    # ours made of this image.
    rendition = ours["render"]["outputs"][1]
    options = tools.Options(
        thumbnail_size=report["options"]["thumbnail_size"], quality=report["options"]["quality"],
        rendition_size=max(rendition["width"], rendition["height"]))
    theirs = time_competitors(image, options, count, scratch, report["concurrency"])
    check_sizes(image, ours, theirs)
    return {"ours": ours, "competitors": theirs, "options": options, "threads": report["concurrency"]}


def main() -> None:
    if not BENCH.exists():
        raise SystemExit(f"{BENCH} is missing: scripts/bench builds it")
    count = repeats(7)
    images = all_images()
    if QUICK:
        images = [image for image in images if image.name in QUICK_IMAGES or image.megapixels >= LARGE_MP]
    thumbnails, renders, raw = [], [], {"images": {}}
    with tempfile.TemporaryDirectory() as scratch:
        for image in images:
            progress(f"thumbnails: {image.name}, {count} runs of each tool")
            measured = measure_image(image, count, Path(scratch))
            raw["images"][image.name] = {"ours": measured["ours"], "competitors": measured["competitors"]}
            s = {k: median(v) for k, v in measured["competitors"]["samples_s"].items()}
            ours_thumbnail = seconds(measured["ours"]["thumbnail"]["samples_ms"])
            ours_render = seconds(measured["ours"]["render"]["samples_ms"])
            thumbnails.append({"image": image, "ours": ours_thumbnail, "pyvips": s["pyvips_thumbnail"],
                               "pillow": s["pillow_thumbnail"], "vipsthumbnail": s["vipsthumbnail"]})
            renders.append({"image": image, "ours": ours_render, "ours_thumbnail": ours_thumbnail,
                            "pyvips": s["pyvips_render"], "pillow": s["pillow_render"]})
            if "pyvips_default_thumbnail" in s:
                thumbnails[-1]["pyvips_default"] = s["pyvips_default_thumbnail"]
                renders[-1]["pyvips_default"] = s["pyvips_default_render"]
    options, threads = measured["options"], measured["threads"]

    heading("Thumbnails")
    print(f"### Thumbnail alone ({options.thumbnail_size} px long edge, JPEG Q{options.quality})\n")
    thumbnail_table(thumbnails, threads)
    print("\n### Thumbnail and analysis rendition (up to 1568 px, at most 1,568 visual tokens) from one decode "
          "(what ImageProcessor does)\n")
    render_table(renders, threads)
    print(f"\n### libvips worker threads: ours at libvips' default ({threads}, ImageProcessor's setting) vs 1\n")
    large = [image for image in images if image.megapixels >= LARGE_MP]
    raw["concurrency"] = concurrency_section(large, count)
    print("\n### Decodes per render (decoder calls counted in the process)\n")
    one_per_format = list({image.format: image for image in reversed(images) if image not in large}.values())
    raw["decodes"] = decode_counts(one_per_format + large)
    note(
        f"Median of {count} runs after a warm-up, per image: ours in one `collections-bench thumbnail` process "
        f"(release, static Swift stdlib, libvips at its default {threads} threads; non-JPEG formats decode on one, "
        f"see docs/THUMBNAILS.md), then pyvips {_pyvips_version()} (operation cache off; threads as each column "
        f"says; its default here is {tools.pyvips_default_threads()}) and Pillow {_pillow_version()} in this "
        "Python process, then vipsthumbnail (one process per run, start included); bytes in memory to JPEG bytes "
        "in memory. pyvips and vipsthumbnail do what a user would write: `thumbnail_buffer` (JPEG shrink-on-load "
        "leaving libvips' factor of 2 for the resize) and `export_profile` for any tagged image; ours lets libjpeg "
        "shrink as far as Pillow's draft does and skips the sRGB-to-sRGB transform. Ratios above 1 mean ours is "
        "faster. Decodes: JPEG decodes started and rows decoded, counted by bench/decode_count.c preloaded into "
        "one render."
    )
    save_json("thumbnails", _jsonable(raw))


def _pyvips_version() -> str:
    import pyvips

    return pyvips.__version__


def _pillow_version() -> str:
    import PIL

    return PIL.__version__


def _jsonable(raw: dict) -> dict:
    return json.loads(json.dumps(raw, default=str))


if __name__ == "__main__":
    main()
