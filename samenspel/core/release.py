"""Which release of Samenspel this process runs: a digest of its code, templates,
translations and the names of its static files. Pages kept in a cache that outlives a
process (Redis) carry it in their key, so that after an upgrade no page rendered by the
release before — with its templates and the hashed names of its old CSS — is served."""

import functools
import hashlib
import json
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage

SOURCES = (".py", ".html", ".txt", ".mo", ".js", ".css")


@functools.cache
def release() -> str:
    digest = hashlib.sha256()
    base = Path(settings.BASE_DIR)
    for root in (base / "samenspel", base / "locale"):
        for path in sorted(root.rglob("*")):
            if path.suffix in SOURCES and path.is_file():
                digest.update(str(path.relative_to(base)).encode())
                digest.update(path.read_bytes())
    hashed = getattr(staticfiles_storage, "hashed_files", None)
    if hashed:
        digest.update(json.dumps(sorted(hashed.items())).encode())
    return digest.hexdigest()[:12]
