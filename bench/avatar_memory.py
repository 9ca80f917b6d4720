"""Peak memory of a large picture made into a thumbnail (issue 13 finding 12:
a 7000x7000 PNG of about 140 KB, under THUMBNAIL_MAX_PIXELS, cost a worker
about 450 MB, and any role may upload one as its own avatar).

    .venv/bin/python bench/avatar_memory.py [--size 7000]

Writes the picture once (a smooth gradient: a small PNG, many pixels), then
runs each case in a fresh process and prints that process's peak RSS
(ru_maxrss) above what it held before the case, and how long the case took:
  avatar upload      files.thumbnail_storage.thumbnail_save(kind="persons"),
                     the code behind POST pictures/thumbnails/persons/<id>;
  decode as shot     make_thumbnail(kind="shots") at THUMBNAIL_MAX_PIXELS:
                     the whole decode path, for a picture under every cap;
  decode as JPEG     the same picture as a JPEG (decoded at a reduced scale).
Pillow allocates pixels outside Python's allocator, so tracemalloc would not
see them: RSS is what the worker pays. Needs no database; files go to a
temporary MEDIA_ROOT.
"""

import argparse
import io
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def write_pictures(size, folder):
    from PIL import Image

    gradient = Image.linear_gradient("L").resize((size, size)).convert("RGB")
    for format in ("PNG", "JPEG"):
        gradient.save(Path(folder) / f"picture.{format.lower()}", format)


def run_case(case, path):
    """In the child: one case, then the figures on stdout."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zou_site.settings_test")
    import uuid

    import django

    django.setup()
    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile

    from files import thumbnail_storage, thumbnails

    settings.MEDIA_ROOT = tempfile.mkdtemp()
    data = Path(path).read_bytes()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    try:
        if case == "avatar upload":
            upload = SimpleUploadedFile("avatar.png", data)
            thumbnail_storage.thumbnail_save(kind="persons", object_id=uuid.uuid4(), upload=upload)
        else:
            thumbnails.make_thumbnail(io.BytesIO(data), "shots", settings.THUMBNAIL_MAX_PIXELS)
        outcome = "made"
    except Exception as error:  # the refusal is the figure
        outcome = f"refused: {str(getattr(error, 'detail', error))[:70]}"
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"{(peak - before) / 1024:8.1f} MB above {before / 1024:6.1f} MB, {seconds * 1000:7.1f} ms, {outcome}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=7000)
    parser.add_argument("--case")
    parser.add_argument("--path")
    args = parser.parse_args()
    if args.case == "write":
        write_pictures(args.size, args.path)
        return
    if args.case:
        run_case(args.case, args.path)
        return
    with tempfile.TemporaryDirectory() as folder:
        # Written by a child: Linux keeps a process's peak RSS across exec, so
        # a parent grown by the picture would raise every case's baseline.
        subprocess.run([sys.executable, __file__, "--case", "write", "--size", str(args.size), "--path", folder], check=True)
        paths = {format: Path(folder) / f"picture.{format.lower()}" for format in ("PNG", "JPEG")}
        print(f"{args.size}x{args.size} picture: PNG {paths['PNG'].stat().st_size // 1024} KB, "
              f"JPEG {paths['JPEG'].stat().st_size // 1024} KB")
        for case, format in (("avatar upload", "PNG"), ("decode as shot", "PNG"), ("decode as JPEG", "JPEG")):
            child = subprocess.run(
                [sys.executable, __file__, "--case", case, "--path", str(paths[format])],
                capture_output=True, text=True, check=True,
            )
            print(f"  {case:15s} {child.stdout.strip()}")


if __name__ == "__main__":
    main()
