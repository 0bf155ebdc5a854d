"""deploy/nginx/bwbot.conf in front of the real gateway, with a throwaway self-signed certificate.

The example is rewritten to loopback test ports and temporary certificate paths only; every header
and TLS setting is used as shipped. An HTTPS request through nginx reaches the gateway and carries
HSTS and the other transport headers; plain HTTP is redirected; nginx does not reveal its version.
"""

from __future__ import annotations

import http.client
import re
import shutil
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.config import PROJECT_ROOT
from bot.launcher.stack import gateway_python

pytestmark = pytest.mark.slow
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
CONF = PROJECT_ROOT / "deploy" / "nginx" / "bwbot.conf"
sys.path.insert(0, str(PROJECT_ROOT / "tests" / "launcher"))
from live_helpers import free_port, tenants_for  # noqa: E402


def _certificate(directory: Path) -> tuple[Path, Path]:
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True, timeout=60)
    return cert, key


def _wait(port: int, proc: subprocess.Popen, log: Path) -> None:
    for _ in range(150):
        if proc.poll() is not None:
            raise RuntimeError(log.read_text(errors="replace"))
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            conn.request("GET", "/healthz")
            conn.getresponse().read()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"port {port} does not answer")


@pytest.fixture(scope="module")
def proxy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    if not Path(NGINX).exists():
        pytest.fail("nginx fehlt: scripts/setup_deploy_test.sh installiert Debians nginx", pytrace=False)
    work = tmp_path_factory.mktemp("nginx")
    cert, key = _certificate(work)
    gw_port, http_port, https_port = free_port(), free_port(), free_port()
    log = open(work / "gateway.log", "wb")  # noqa: SIM115 - closed below
    gateway = subprocess.Popen([gateway_python(), "-m", "bot.gateway", "--port", str(gw_port),
                                "--rasa-url", f"http://127.0.0.1:{free_port()}",
                                "--tenants", str(tenants_for(https_port, work))],
                               cwd=PROJECT_ROOT, stdout=log, stderr=subprocess.STDOUT,
                               env={"PYTHONPATH": str(PROJECT_ROOT), "PATH": "/usr/bin:/bin"})
    site = CONF.read_text(encoding="utf-8")
    site = site.replace("server 127.0.0.1:8080;", f"server 127.0.0.1:{gw_port};")
    site = re.sub(r"listen \[::\]:\d+[^;]*;\n", "", site)
    site = site.replace("listen 80;", f"listen 127.0.0.1:{http_port};")
    site = site.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;")
    site = re.sub(r"ssl_certificate .*;", f"ssl_certificate {cert};", site)
    site = re.sub(r"ssl_certificate_key .*;", f"ssl_certificate_key {key};", site)
    site = site.replace("/var/log/nginx/bwbot-error.log", str(work / "error.log"))
    (work / "site.conf").write_text(site, encoding="utf-8")
    (work / "nginx.conf").write_text(f"""
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/error.log warn;
events {{ worker_connections 64; }}
http {{
    client_body_temp_path {work}/body; proxy_temp_path {work}/proxy; fastcgi_temp_path {work}/fcgi;
    uwsgi_temp_path {work}/uwsgi; scgi_temp_path {work}/scgi;
    include {work}/site.conf;
}}
""", encoding="utf-8")
    nginx = subprocess.Popen([NGINX, "-p", str(work), "-c", str(work / "nginx.conf"), "-g", "daemon off;"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        _wait(gw_port, gateway, work / "gateway.log")
        time.sleep(0.5)
        assert nginx.poll() is None, (work / "error.log").read_text(errors="replace")
        context = ssl.create_default_context(cafile=str(cert))
        yield {"https": https_port, "http": http_port, "ssl": context}
    finally:
        for proc in (nginx, gateway):
            proc.terminate()
            proc.wait(timeout=10)
        log.close()


def _get(proxy: dict, path: str, tls: bool = True) -> http.client.HTTPResponse:
    if tls:
        conn = http.client.HTTPSConnection("localhost", proxy["https"], context=proxy["ssl"], timeout=10)
    else:
        conn = http.client.HTTPConnection("127.0.0.1", proxy["http"], timeout=10)
    conn.request("GET", path)
    resp = conn.getresponse()
    resp.read()
    return resp


def test_https_reaches_the_gateway_with_the_security_headers(proxy: dict) -> None:
    resp = _get(proxy, "/healthz")
    assert resp.status == 200
    assert resp.getheader("Strict-Transport-Security") == "max-age=63072000; includeSubDomains"
    assert resp.getheader("X-Content-Type-Options") == "nosniff"
    assert "camera=()" in (resp.getheader("Permissions-Policy") or "")
    assert resp.getheader("Server") == "nginx"  # no version, nothing of the gateway's stack
    demo = _get(proxy, "/demo/")
    assert demo.status == 200 and demo.getheader("Strict-Transport-Security")
    missing = _get(proxy, "/does-not-exist")  # errors carry the headers too
    assert missing.status == 404 and missing.getheader("Strict-Transport-Security")


def test_plain_http_is_redirected_to_https(proxy: dict) -> None:
    resp = _get(proxy, "/demo/", tls=False)
    assert resp.status == 301 and resp.getheader("Location", "").startswith("https://")
    assert resp.getheader("Server") == "nginx"


def test_only_modern_tls(proxy: dict) -> None:
    old = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)

    old.check_hostname, old.verify_mode = False, ssl.CERT_NONE
    old.maximum_version = ssl.TLSVersion.TLSv1_1
    old.minimum_version = ssl.TLSVersion.MINIMUM_SUPPORTED
    conn = http.client.HTTPSConnection("localhost", proxy["https"], context=old, timeout=10)
    with pytest.raises((ssl.SSLError, OSError)):
        conn.request("GET", "/healthz")
