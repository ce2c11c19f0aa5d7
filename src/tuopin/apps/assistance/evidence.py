"""Photo evidence: only JPEG and PNG, recognised by their first bytes (not by the name or the browser's
content type, both of which the sender chooses), at most 5 MB, stored under MEDIA_ROOT with a name the
server makes up (ASVS V5: uploads)."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

MAX_PHOTO_BYTES = 5 * 1024 * 1024
_MAGIC = ((b"\xff\xd8\xff", "jpg"), (b"\x89PNG\r\n\x1a\n", "png"))


def _read(upload) -> bytes:
    if isinstance(upload, (bytes, bytearray)):
        return bytes(upload)
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_PHOTO_BYTES:
        raise ValidationError({"photo": f"the photo is {size / 1048576:.1f} MB; at most 5 MB is accepted"})
    if hasattr(upload, "seek"):
        upload.seek(0)
    # Read one byte past the limit: enough to refuse an oversize file without reading all of it.
    return upload.read(MAX_PHOTO_BYTES + 1)


def checked_photo(upload) -> ContentFile:
    """The upload as a ContentFile with a server-made name (`<uuid>.jpg|png`), or ValidationError."""
    data = _read(upload)
    if len(data) > MAX_PHOTO_BYTES:
        raise ValidationError({"photo": "the photo is larger than 5 MB"})
    if not data:
        raise ValidationError({"photo": "the photo is empty"})
    for magic, ext in _MAGIC:
        if data.startswith(magic):
            return ContentFile(data, name=f"{uuid.uuid4().hex}.{ext}")
    raise ValidationError({"photo": "only JPEG or PNG photos are accepted"})
