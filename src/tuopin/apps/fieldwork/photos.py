"""A visit's photos: JPEG or PNG only, recognised by their first bytes and opened by Pillow (not by the name or the
content type the phone sends), at most the checklist's size after the phone's compression, stored under
MEDIA_ROOT with a name the server makes up and their SHA-256 kept beside them."""

from __future__ import annotations

import hashlib
import io
import uuid

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from . import checklist

_FORMATS = {"JPEG": "jpg", "PNG": "png"}
_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")


def photo_errors(content: bytes) -> list[str]:
    """Why the photo is refused ([] when it is accepted)."""
    limit = checklist.load()["photo_max_bytes"]
    if not content:
        return [_("the photo is empty")]
    if len(content) > limit:
        return [_("the photo is %(size)s KB; at most %(limit)s KB is accepted")
                % {"size": len(content) // 1024, "limit": limit // 1024}]
    if not content.startswith(_MAGIC) or _format(content) not in _FORMATS:
        return [_("only JPEG or PNG photos are accepted")]
    return []


def _format(content: bytes) -> str:
    try:
        with Image.open(io.BytesIO(content)) as image:
            image.verify()
            return image.format or ""
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return ""


def stored(content: bytes) -> tuple[ContentFile, str]:
    """The checked photo as a file with a server-made name, and its SHA-256."""
    ext = _FORMATS[_format(content)]
    return ContentFile(content, name=f"{uuid.uuid4().hex}.{ext}"), hashlib.sha256(content).hexdigest()
