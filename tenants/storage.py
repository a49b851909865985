"""File storage scoped to the active town: every key starts with the town's schema name.

The prefix is applied by the storage itself at access time, never stored in the name,
so a name saved in one town cannot reach another town's files (safe_join refuses `..`).
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from storages.backends.s3 import S3Storage

from .current import current_schema


def current_prefix() -> str:
    return current_schema()


class TownFileSystemStorage(FileSystemStorage):
    """Local files under MEDIA_ROOT/<schema>/; served only through permission-checking views."""

    @property
    def base_location(self):
        root = self._value_or_setting(self._location, settings.MEDIA_ROOT)  # type: ignore[attr-defined]  # private, not in the stubs
        return os.path.join(str(root), current_prefix())

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None


class TownS3Storage(S3Storage):
    """S3 (or compatible) bucket; keys are `<schema>/<name>`, downloads by presigned URL."""

    def __init__(self, **settings):
        super().__init__(**settings)
        self._base_location = self.__dict__.pop("location", "") or ""

    @property
    def location(self):
        base = self._base_location.strip("/")
        return f"{base}/{current_prefix()}" if base else current_prefix()

    @location.setter
    def location(self, value):
        self._base_location = value or ""
