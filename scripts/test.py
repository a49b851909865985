"""`make test`: the test suite against the services the environment names, or embedded ones.

DATABASE_URL unset → an embedded PostgreSQL is started for the run (and stopped after).
BROKER_URL and the S3 settings unset → the test session starts Redis and `weed mini` itself.
Extra arguments go to pytest, e.g. `make test ARGS="-k routing"`.
"""

import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from embedded import ROOT, EmbeddedPostgres  # noqa: E402


def main(argv: list[str]) -> int:
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    services = []
    if not env.get("DATABASE_URL"):
        postgres = EmbeddedPostgres()
        env["DATABASE_URL"] = postgres.start()
        services.append(postgres)
    try:
        command = [sys.executable, "-m", "pytest", "--durations=25", *argv]  # the slowest tests, every run
        return subprocess.call(command, cwd=ROOT, env=env)  # noqa: S603
    finally:
        for service in reversed(services):
            service.stop()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
