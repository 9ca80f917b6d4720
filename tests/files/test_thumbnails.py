"""Thumbnails as pure functions: real images in, PNG bytes out."""

import io

import pytest
from PIL import Image

from files.thumbnails import ThumbnailError, make_thumbnail
from tests.helpers import THUMBNAIL

MAX_PIXELS = 50_000_000


def image_bytes(size, mode="RGB", color=(200, 30, 30), format="PNG", **save_options):
    buffer = io.BytesIO()
    Image.new(mode, size, color).save(buffer, format=format, **save_options)
    return buffer.getvalue()


def decoded(png):
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    return image


@pytest.mark.parametrize(
    "kind, size",
    [("persons", (100, 100)), ("projects", (100, 100)), ("shots", (150, 100)), ("assets", (150, 100)),
     ("working-files", (150, 100))],
)
def test_boxes_from_the_fixture_picture(kind, size):
    assert decoded(make_thumbnail(THUMBNAIL.open("rb"), kind, MAX_PIXELS)).size == size


@pytest.mark.parametrize(
    "source, expected",
    [((2400, 1000), (1200, 500)), ((300, 200), (300, 200)), ((1920, 1080), (1200, 675)), ((5, 1), (5, 1)),
     ((1, 34), (1, 34))],
)
def test_preview_files_are_at_most_1200_wide_keeping_the_ratio_never_enlarged(source, expected):
    """Issue 13 finding 12: a 1x34 picture made a 1200x40800 preview."""
    png = make_thumbnail(io.BytesIO(image_bytes(source)), "preview-files", MAX_PIXELS)
    assert decoded(png).size == expected


def test_the_box_is_filled_by_cropping_not_by_distorting():
    """A wide picture, left half red and right half blue, with a green middle
    band: cropped to 100x100 the thumbnail shows the middle, all green."""
    image = Image.new("RGB", (300, 100), (255, 0, 0))
    image.paste((0, 0, 255), (150, 0, 300, 100))
    image.paste((0, 255, 0), (100, 0, 200, 100))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    thumbnail = decoded(make_thumbnail(io.BytesIO(buffer.getvalue()), "persons", MAX_PIXELS)).convert("RGB")
    assert thumbnail.size == (100, 100)
    for x in (2, 50, 97):
        red, green, blue = thumbnail.getpixel((x, 50))
        assert green > 200 and red < 40 and blue < 40


@pytest.mark.parametrize(
    "mode, color, options, expected_mode",
    [
        ("RGBA", (0, 0, 0, 0), {}, "RGBA"),
        ("L", 128, {}, "RGB"),
        ("1", 1, {}, "RGB"),
        ("P", 3, {"transparency": 3}, "RGBA"),
        ("CMYK", (0, 0, 0, 0), {"format": "JPEG"}, "RGB"),
        ("RGB", (1, 2, 3), {"format": "GIF"}, "RGB"),
        ("RGB", (1, 2, 3), {"format": "WEBP"}, "RGB"),
    ],
)
def test_any_image_pillow_reads_becomes_a_png(mode, color, options, expected_mode):
    data = image_bytes((40, 30), mode, color, **{"format": "PNG", **options})
    assert decoded(make_thumbnail(io.BytesIO(data), "shots", MAX_PIXELS)).mode == expected_mode


def test_exif_orientation_is_applied():
    """A portrait photo stored landscape with an EXIF rotation comes out upright."""
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    data = image_bytes((2400, 600), format="JPEG", exif=exif.tobytes())
    assert decoded(make_thumbnail(io.BytesIO(data), "preview-files", MAX_PIXELS)).size == (600, 2400)
    assert decoded(make_thumbnail(io.BytesIO(data), "persons", MAX_PIXELS)).size == (100, 100)


@pytest.mark.parametrize(
    "kind, source, expected",
    [("persons", (40, 30), (30, 30)), ("shots", (60, 200), (60, 40)), ("shots", (3000, 3000), (150, 100)),
     ("persons", (4000, 3000), (100, 100))],
)
@pytest.mark.parametrize("format", ["PNG", "JPEG"])
def test_boxes_are_never_larger_than_the_picture(kind, source, expected, format):
    """A small picture is cropped to the box's ratio at its own scale; big ones
    (JPEGs decoded at a reduced scale, others reduced first) fill the box."""
    data = image_bytes(source, format=format)
    assert decoded(make_thumbnail(io.BytesIO(data), kind, MAX_PIXELS)).size == expected


@pytest.mark.parametrize(
    "data, message",
    [
        (b"first name,last name\nJohn,Doe\n", "The file is not a readable image"),
        (b"", "The file is not a readable image"),
        (THUMBNAIL.read_bytes()[:5000], "The file is not a readable image"),
    ],
    ids=["text", "empty", "truncated-png"],
)
def test_what_is_not_an_image_is_refused(data, message):
    with pytest.raises(ThumbnailError) as error:
        make_thumbnail(io.BytesIO(data), "shots", MAX_PIXELS)
    assert str(error.value).startswith(message)


def test_pixel_limit_is_read_from_the_header_before_decoding():
    data = image_bytes((3000, 2000))
    with pytest.raises(ThumbnailError) as error:
        make_thumbnail(io.BytesIO(data), "shots", max_pixels=5_999_999)
    assert str(error.value) == "The image is 3000x2000 pixels, over the limit of 5999999 pixels."
    assert decoded(make_thumbnail(io.BytesIO(data), "shots", max_pixels=6_000_000)).size == (150, 100)


def test_pillow_bomb_warning_counts_as_an_error(monkeypatch):
    """Above Pillow's own limit (lower than ours here) its warning refuses the image."""
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    with pytest.raises(ThumbnailError) as error:
        make_thumbnail(io.BytesIO(image_bytes((40, 30))), "shots", MAX_PIXELS)
    assert str(error.value).startswith("The image has too many pixels")


@pytest.mark.parametrize(
    "data",
    [
        b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\nshowpage\n%%EOF\n",
        image_bytes((10, 10), format="BMP"),
        image_bytes((10, 10), format="PPM"),
    ],
    ids=["eps", "bmp", "ppm"],
)
def test_only_png_jpeg_gif_webp_and_tiff_are_opened(data):
    """Issue 13 finding 14: EPS would run Ghostscript where it is installed."""
    with pytest.raises(ThumbnailError) as error:
        make_thumbnail(io.BytesIO(data), "shots", MAX_PIXELS)
    assert str(error.value).startswith("The file is not a readable image (PNG, JPEG, GIF, WEBP, TIFF)")


def test_tiff_is_opened():
    assert decoded(make_thumbnail(io.BytesIO(image_bytes((300, 200), format="TIFF")), "shots", MAX_PIXELS)).size == (150, 100)


def test_unknown_kind_is_refused():
    with pytest.raises(ThumbnailError) as error:
        make_thumbnail(THUMBNAIL.open("rb"), "episodes", MAX_PIXELS)
    assert str(error.value).startswith("Unknown thumbnail kind 'episodes'.")
