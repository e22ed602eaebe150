"""Where file bytes live: the "balai_files" storage, private by construction.

By default a directory under MEDIA_ROOT (which is outside the web root and has no URL); with
BALAI_S3_BUCKET set, an S3-compatible bucket (settings.py). Either way bytes leave only through
the permission-checking download view.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property

ALIAS = "balai_files"


@deconstructible(path="balai.core.files.storage.PrivateFileSystemStorage")
class PrivateFileSystemStorage(FileSystemStorage):
    """A FileSystemStorage at MEDIA_ROOT/files (followed when MEDIA_ROOT changes) that has no URL."""

    @cached_property
    def base_location(self):
        return self._location if self._location is not None else os.path.join(settings.MEDIA_ROOT, "files")

    def url(self, name):
        raise ValueError("Stored files have no public URL; link to the files:download view.")


def file_storage() -> Storage:
    return storages[ALIAS]
