"""Private storage for the families' attachments (meeting papers, progress reports …): one implementation for all.

Files live under settings.PRIVATE_MEDIA_ROOT, never under STATIC or a public MEDIA URL: `url()` is None, so no widget
or template links to a file directly; each family serves its files only through its own permission-checked download
view. A family's FileField says `storage=private_storage, upload_to=PrivateUploadTo("<family>/<what>")`.
"""

from __future__ import annotations

import os
import uuid
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.deconstruct import deconstructible


@deconstructible
class PrivateMediaStorage(FileSystemStorage):
    """Files under settings.PRIVATE_MEDIA_ROOT, read at use time (tests point it at a temporary folder); no URL."""

    @property
    def base_location(self) -> str:  # type: ignore[override]
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self) -> str:  # type: ignore[override]
        return os.path.abspath(self.base_location)

    def url(self, name):  # type: ignore[override]
        return None


private_storage = PrivateMediaStorage()


@deconstructible
class PrivateUploadTo:
    """`upload_to` for private attachments: <folder>/<year>/<random>/<original name>. Names never collide and are
    never guessed from a record's id; the original name stays last, so a download can still offer it."""

    def __init__(self, folder: str) -> None:
        self.folder = folder.strip("/")

    def __call__(self, instance: Any, filename: str) -> str:
        return f"{self.folder}/{timezone.localdate().year}/{uuid.uuid4().hex}/{os.path.basename(filename)}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PrivateUploadTo) and other.folder == self.folder

    def __hash__(self) -> int:
        return hash(self.folder)


def attachment_response(attachment: Any) -> FileResponse:
    """A private attachment (a governance.models.PrivateAttachment) as a download, never cached; Http404 when its file
    is gone. The caller has already checked that the user may see the record it belongs to."""
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=attachment.download_name)
    response["Cache-Control"] = "private, no-store"
    return response
