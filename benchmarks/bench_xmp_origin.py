"""How long reading a twin file's own XMP takes (``core.xmp_origin``), the step every analysis now
adds: real photographs of ../shared tagged by exiftool as generators tag their output, in each
container, plus a large TIFF (the bounded byte search) and an untagged JPEG. Prints the median of
repeated reads per file, in milliseconds, beside the file's size.

    .venv/bin/python benchmarks/bench_xmp_origin.py [--repeat 50]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from PIL import Image

from twinproof.core.xmp_origin import read_xmp_origin

ROOT = Path(__file__).resolve().parents[1]
PHOTO = ROOT.parent / "shared" / "faces" / "img1.jpg"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    exiftool = shutil.which("exiftool")
    if exiftool is None or not PHOTO.is_file():
        raise SystemExit("needs exiftool and ../shared/faces")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        with Image.open(PHOTO) as im:
            rgb = im.convert("RGB")
        files = []
        for name in ("twin.jpg", "twin.png", "twin.webp", "twin.tif"):
            rgb.save(folder / name)
            files.append(folder / name)
        big = folder / "big.tif"
        rgb.resize((rgb.width * 4, rgb.height * 4)).save(big)
        files.append(big)
        subprocess.run([exiftool, "-q", "-overwrite_original", "-XMP-xmp:CreatorTool=Adobe Firefly Image 3",
                        "-XMP-iptcExt:DigitalSourceType=http://cv.iptc.org/newscodes/digitalsourcetype/"
                        "trainedAlgorithmicMedia", *map(str, files)], check=True)
        for name, size in (("plain.jpg", 1), ("plain-big.tif", 4)):  # no XMP: the worst case is the search
            rgb.resize((rgb.width * size, rgb.height * size)).save(folder / name)
            files.append(folder / name)
        for path in files:
            times = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                origin = read_xmp_origin(path)
                times.append(time.perf_counter() - start)
            print(f"{path.name:10} {path.stat().st_size / 1e6:7.2f} MB  {1000 * statistics.median(times):6.2f} ms"
                  f"  {origin.found:8} {origin.generator}")


if __name__ == "__main__":
    main()
