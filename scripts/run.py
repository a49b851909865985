"""`make run`: embedded services when none are named, migrations, the demo town, web + worker + scheduler.

Stops everything it started on Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from embedded import ROOT, start_missing  # noqa: E402

PYTHON = sys.executable


def manage(env: dict, *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)  # noqa: S603


def main() -> int:
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    env.setdefault("EXECUTOR", "standard")
    port = env.get("PORT", "8000")
    host = env.get("HOST", "127.0.0.1")
    env.setdefault("PUBLIC_BASE_URL", f"http://{host}:{port}")
    services = start_missing(env)
    children: list[subprocess.Popen] = []

    def stop(*_):
        for child in children:
            if child.poll() is None:
                child.terminate()
        for child in children:
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()
        for service in reversed(services):
            service.stop()
        print("Portail Famille arrêté.", flush=True)
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        manage(env, "migrate_schemas", "--noinput", "-v", "0")
        manage(env, "create_demo_town")
        bin_dir = Path(PYTHON).parent
        children.append(subprocess.Popen(  # noqa: S603
            [str(bin_dir / "gunicorn"), "config.wsgi", "--bind", f"{host}:{port}", "--workers", "2",
             "--access-logfile", "-", "--env", f"DJANGO_SETTINGS_MODULE={env['DJANGO_SETTINGS_MODULE']}"],
            cwd=ROOT, env=env))
        children.append(subprocess.Popen(  # noqa: S603
            [PYTHON, "manage.py", "rundramatiq", "--processes", "1", "--threads", "2"], cwd=ROOT, env=env))
        children.append(subprocess.Popen(  # noqa: S603
            [PYTHON, "manage.py", "crontab", "--no-heartbeat"], cwd=ROOT, env=env))
        print(f"\nPortail Famille est prêt : http://{host}:{port}/demo/  (accueil public : http://{host}:{port}/)",
              flush=True)
        print("Arrêt : Ctrl-C.\n", flush=True)
        while True:
            for child in children:
                if child.poll() is not None:
                    command = child.args if isinstance(child.args, list) else [child.args]
                    print(f"A process stopped unexpectedly: {' '.join(map(str, command))}", file=sys.stderr,
                          flush=True)
                    stop()
            time.sleep(1)
    except subprocess.CalledProcessError as error:
        print(f"Setup failed: {error}", file=sys.stderr)
        stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
