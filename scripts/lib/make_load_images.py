"""Write N small JPEGs of varied content for the load test (LoadTests, scripts/test-long).

Usage: make_load_images.py OUT_DIR N [SEED]
Each image differs: its size (48 to 960 px a side), a two-colour gradient in a random direction,
random ellipses, rectangles and lines, sometimes noise, and a JPEG quality from 55 to 95. The
same seed gives the same bytes. Needs Pillow (scripts/test-long installs it into .venv).
"""

import os
import random
import sys

from PIL import Image, ImageDraw


def colour(rng):
    return tuple(rng.randrange(256) for _ in range(3))


def image(rng):
    width, height = rng.randrange(48, 961), rng.randrange(48, 961)
    gradient = Image.linear_gradient("L").rotate(rng.choice([0, 90, 180, 270])).resize((width, height))
    picture = Image.merge(
        "RGB", [gradient.point(lambda v, a=a, b=b: a + (b - a) * v // 255) for a, b in zip(colour(rng), colour(rng))]
    )
    draw = ImageDraw.Draw(picture)
    for _ in range(rng.randrange(0, 12)):
        box = sorted(rng.sample(range(width), 2)) if width > 1 else [0, 1]
        rows = sorted(rng.sample(range(height), 2)) if height > 1 else [0, 1]
        shape = rng.choice(["ellipse", "rectangle", "line"])
        xy = [box[0], rows[0], box[1], rows[1]]
        if shape == "line":
            draw.line(xy, fill=colour(rng), width=rng.randrange(1, 12))
        else:
            getattr(draw, shape)(xy, fill=colour(rng))
    if rng.random() < 0.3:
        noise = Image.effect_noise((width, height), rng.randrange(10, 80)).convert("RGB")
        picture = Image.blend(picture, noise, 0.25)
    return picture


def main():
    out, count = sys.argv[1], int(sys.argv[2])
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 7)
    os.makedirs(out, exist_ok=True)
    for index in range(count):
        image(rng).save(os.path.join(out, f"generated-{index:04d}.jpg"), "JPEG", quality=rng.randrange(55, 96))


if __name__ == "__main__":
    main()
