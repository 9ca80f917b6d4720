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


class ThumbnailError(Exception):
    """The upload cannot become a thumbnail; the message says why."""


def open_image(stream, max_pixels):
    """Decode an image, refusing decompression bombs from the header's size
    before any pixel is decoded. Pillow's own bomb warning counts as an error
    too, so its limit (Image.MAX_IMAGE_PIXELS) applies when it is the lower."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(stream)
            width, height = image.size
            if width * height > max_pixels:
                raise ThumbnailError(
                    f"The image is {width}x{height} pixels, over the limit of {max_pixels} pixels."
                )
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise ThumbnailError(f"The image has too many pixels: {error}") from error
        except (OSError, SyntaxError, ValueError, EOFError) as error:
            # Not an image, a format Pillow cannot read, or a truncated file.
            raise ThumbnailError(f"The file is not a readable image: {error}") from error
    return image


def _displayable(image):
    """Upright, and in a mode PNG can hold (keeping transparency)."""
    image = ImageOps.exif_transpose(image)
    has_alpha = "A" in image.getbands() or "transparency" in image.info
    target = "RGBA" if has_alpha else "RGB"
    return image if image.mode == target else image.convert(target)


def resize_for(image, kind, max_pixels):
    image = _displayable(image)
    if kind == "preview-files":
        width, height = image.size
        new_height = max(1, round(height * PREVIEW_WIDTH / width))
        # A sliver of an image would become an enormous preview.
        if PREVIEW_WIDTH * new_height > max_pixels:
            raise ThumbnailError(
                f"A preview {PREVIEW_WIDTH} pixels wide would be {new_height} pixels high, over the pixel limit."
            )
        return image.resize((PREVIEW_WIDTH, new_height), Image.Resampling.LANCZOS)
    return ImageOps.fit(image, BOX_SIZES[kind], method=Image.Resampling.LANCZOS)


def to_png(image):
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def make_thumbnail(stream, kind, max_pixels):
    """PNG bytes of the thumbnail of `kind` for the image in `stream`."""
    if kind not in KINDS:
        raise ThumbnailError(f"Unknown thumbnail kind '{kind}'. Kinds: {', '.join(KINDS)}.")
    return to_png(resize_for(open_image(stream, max_pixels), kind, max_pixels))
