"""`make bench`: every benchmark script of bench/, against DATABASE_URL or an embedded PostgreSQL."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from embedded import EmbeddedPostgres  # noqa: E402


def main() -> int:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.local", "EXECUTOR": "standard"}
    started = None
    if not env.get("DATABASE_URL"):
        started = EmbeddedPostgres()
        env["DATABASE_URL"] = started.start()
    failures = 0
    try:
        subprocess.run([sys.executable, "manage.py", "migrate_schemas", "--noinput", "-v", "0"],  # noqa: S603
                       cwd=ROOT, env=env, check=True)
        for script in sorted((ROOT / "bench").glob("bench_*.py")):
            print(f"\n=== {script.name}", flush=True)
            failures += subprocess.call([sys.executable, str(script)], cwd=ROOT, env=env) != 0  # noqa: S603
    finally:
        if started:
            started.stop()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
