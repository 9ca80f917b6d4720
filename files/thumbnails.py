"""Thumbnails (DESIGN §7) as pure Pillow functions: bytes in, PNG bytes out.

Nothing here knows about storage, HTTP or settings: the caller passes the
pixel limit. Every refusal is a `ThumbnailError` whose message says why.
"""

import io
import warnings

from PIL import Image, ImageOps

KINDS = ("persons", "projects", "shots", "assets", "working-files", "preview-files")
# Boxes filled without distortion (cropped to fit).
BOX_SIZES = {
    "persons": (100, 100),
    "projects": (100, 100),
    "shots": (150, 100),
    "assets": (150, 100),
    "working-files": (150, 100),
}
# Preview files keep their ratio at this width.
PREVIEW_WIDTH = 1200


# The formats a thumbnail is made from. Any other Pillow plugin is never
# reached: EPS would run Ghostscript where it is installed.
FORMATS = ("PNG", "JPEG", "GIF", "WEBP", "TIFF")
# Modes Image.reduce() averages meaningfully; palette and bilevel images are converted first.
_REDUCIBLE_MODES = {"L", "LA", "RGB", "RGBA", "CMYK", "YCbCr", "I", "F"}


class ThumbnailError(Exception):
    """The upload cannot become a thumbnail; the message says why."""


def open_image(stream, max_pixels, kind=None):
    """Decode an image, refusing decompression bombs from the header's size
    before any pixel is decoded. Pillow's own bomb warning counts as an error
    too, so its limit (Image.MAX_IMAGE_PIXELS) applies when it is the lower.
    For a thumbnail `kind`, a JPEG is decoded at the smallest of its 1/2, 1/4,
    1/8 scales that still covers what the thumbnail needs."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(stream, formats=FORMATS)
            width, height = image.size
            if width * height > max_pixels:
                raise ThumbnailError(
                    f"The image is {width}x{height} pixels, over the limit of {max_pixels} pixels."
                )
            if kind and image.format == "JPEG":
                # Only JPEG decodes at a reduced scale; asking another format
                # for its EXIF here would decode it whole before the check.
                image.draft(None, _stored_size(image, needed_size(kind, _upright_size(image))))
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise ThumbnailError(f"The image has too many pixels: {error}") from error
        except (OSError, SyntaxError, ValueError, EOFError) as error:
            # Not an image, a format not in FORMATS, or a truncated file.
            raise ThumbnailError(
                f"The file is not a readable image ({', '.join(FORMATS)}): {error}"
            ) from error
    return image


def _orientation_swaps_sides(image):
    # EXIF orientations 5 to 8 turn the picture a quarter.
    return image.getexif().get(0x0112, 1) in (5, 6, 7, 8)


def _reduced(image, needed_size):
    """The image shrunk by a whole factor while it stays at least twice the
    needed size (resampling then keeps its quality): every later step (turning
    it upright, converting its mode, resampling) works on the smaller copy."""
    width, height = image.size
    if _orientation_swaps_sides(image):
        width, height = height, width
    factor = min(width // (2 * needed_size[0]), height // (2 * needed_size[1]))
    if factor < 2:
        return image
    if image.mode not in _REDUCIBLE_MODES:
        image = image.convert("RGBA" if "transparency" in image.info or "A" in image.mode else "RGB")
    return image.reduce(factor)


def _displayable(image):
    """Upright, and in a mode PNG can hold (keeping transparency)."""
    image = ImageOps.exif_transpose(image)
    has_alpha = "A" in image.getbands() or "transparency" in image.info
    target = "RGBA" if has_alpha else "RGB"
    return image if image.mode == target else image.convert(target)


def _upright_size(image):
    width, height = image.size
    return (height, width) if _orientation_swaps_sides(image) else (width, height)


def _stored_size(image, upright_size):
    width, height = upright_size
    return (height, width) if _orientation_swaps_sides(image) else (width, height)


def needed_size(kind, source_size):
    """What the thumbnail of `kind` needs from a picture of `source_size`
    (upright): a box no larger than the picture, cropped to the box's ratio,
    or a preview PREVIEW_WIDTH wide. Nothing is ever enlarged."""
    width, height = source_size
    if kind == "preview-files":
        new_width = min(PREVIEW_WIDTH, width)
        return new_width, max(1, round(height * new_width / width))
    box_width, box_height = BOX_SIZES[kind]
    scale = min(1, width / box_width, height / box_height)
    return max(1, round(box_width * scale)), max(1, round(box_height * scale))


def resize_for(image, kind):
    size = needed_size(kind, _upright_size(image))
    image = _displayable(_reduced(image, size))
    if kind == "preview-files":
        return image if image.size == size else image.resize(size, Image.Resampling.LANCZOS)
    return ImageOps.fit(image, size, method=Image.Resampling.LANCZOS)


def full_size_png(image):
    """The whole picture, upright, as PNG: a preview's original."""
    return to_png(_displayable(image))


def to_png(image):
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def make_thumbnail(stream, kind, max_pixels):
    """PNG bytes of the thumbnail of `kind` for the image in `stream`."""
    if kind not in KINDS:
        raise ThumbnailError(f"Unknown thumbnail kind '{kind}'. Kinds: {', '.join(KINDS)}.")
    return to_png(resize_for(open_image(stream, max_pixels, kind), kind))
