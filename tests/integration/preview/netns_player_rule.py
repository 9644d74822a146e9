"""Run inside a private network namespace (see test_player_rule_netns.py); prints JSON.

Gives the namespace a test host, 10.99.0.1 on an interface of its own (dummy or bridge),
with a sink that counts every connection, and serves on loopback two playlists that point
there: one redirects to it, one lists its segments there. Then runs `preview --check` on
each, as a user would, and finally connects to the sink once itself, to prove the sink
would have seen a request. Never run it outside a namespace made for it: it adds an
interface.
"""

from __future__ import annotations

import contextlib
import http.server
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request

TEST_HOST = "10.99.0.1"
CHECK_SECONDS = "20"


class Sink:
    """Accepts connections on the test host and counts them (nothing should come)."""

    def __init__(self) -> None:
        self.connections = 0
        self.socket = socket.create_server((TEST_HOST, 80))
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            conn, _ = self.socket.accept()
            self.connections += 1
            conn.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
            conn.close()


def live_playlist(segment_base: str) -> bytes:
    first = int(time.time())  # grows one segment a second, like a live stream
    lines = ["#EXTM3U", "#EXT-X-TARGETDURATION:1", f"#EXT-X-MEDIA-SEQUENCE:{first}"]
    for n in range(first, first + 4):
        lines += ["#EXTINF:1.0,", f"{segment_base}seg{n}.ts"]
    return ("\n".join(lines) + "\n").encode()


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:
        pass

    def do_GET(self) -> None:
        if self.path == "/redirect.m3u8":
            self.send_response(302)
            self.send_header("Location", f"http://{TEST_HOST}/live.m3u8")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if self.path == "/segments-elsewhere.m3u8":
            body = live_playlist(f"http://{TEST_HOST}/")
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/vnd.apple.mpegurl")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def add_test_host() -> None:
    # A dummy interface where the kernel has the module, else an empty bridge: either is
    # an interface of this namespace only, holding the test host's address.
    made = subprocess.run(["ip", "link", "add", "testhost0", "type", "dummy"], check=False)
    if made.returncode != 0:
        subprocess.run(["ip", "link", "add", "testhost0", "type", "bridge"], check=True)
    subprocess.run(["ip", "addr", "add", f"{TEST_HOST}/24", "dev", "testhost0"], check=True)
    subprocess.run(["ip", "link", "set", "testhost0", "up"], check=True)


def preview_check(url: str) -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "app", "preview", "--check", CHECK_SECONDS, url],
        capture_output=True,
        text=True,
        env=env,
        timeout=90,
    )
    return {
        "exit": done.returncode,
        "stderr": done.stderr,
        "seconds": time.monotonic() - started,
    }


def main() -> int:
    add_test_host()
    sink = Sink()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    results = {
        "redirect": preview_check(f"{base}/redirect.m3u8"),
        "segments": preview_check(f"{base}/segments-elsewhere.m3u8"),
    }
    results["sink_before_control"] = sink.connections
    with contextlib.suppress(OSError):  # the sink answers 404
        urllib.request.urlopen(f"http://{TEST_HOST}/control", timeout=5)
    time.sleep(0.2)
    results["sink_after_control"] = sink.connections
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
