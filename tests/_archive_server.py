"""Helpers of the data set loader tests: tiny archives in the publishers' layouts, served
by ``http.server`` on 127.0.0.1 in a thread. Nothing here touches the network."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import http.server
import os
import pathlib
import tarfile
import threading
import zipfile

import numpy as np
import soundfile as sf


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    requests_seen: list[str] = []

    def do_GET(self):
        type(self).requests_seen.append(self.path)
        super().do_GET()

    def log_message(self, format, *args):  # keep test output clean
        pass


@contextlib.contextmanager
def serve(directory, monkeypatch):
    """Serve ``directory`` on 127.0.0.1; yields ``(base_url, requests_seen)``."""
    seen: list[str] = []
    handler = type("Handler", (_QuietHandler,), {"requests_seen": seen})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def write_wav(path, seed: int, sr: int, n: int = 400, subtype: str = "PCM_16") -> np.ndarray:
    """A short noise clip; returns what soundfile reads back (float32)."""
    path = pathlib.Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    y = (0.3 * np.random.default_rng(seed).standard_normal(n)).clip(-1, 1)
    sf.write(path, y, sr, subtype=subtype)
    return sf.read(path, dtype="float32")[0]


def digest(path, alg: str = "sha256") -> str:
    return hashlib.new(alg, pathlib.Path(path).read_bytes()).hexdigest()


def make_zip(src_root, dest, arc_prefix: str = "") -> pathlib.Path:
    """Zip every file under ``src_root`` with names ``arc_prefix + relative path``."""
    src_root, dest = pathlib.Path(src_root), pathlib.Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zf:
        for p in sorted(src_root.rglob("*")):
            if p.is_file():
                zf.write(p, arc_prefix + p.relative_to(src_root).as_posix())
    return dest


def make_tar(src_root, dest, arcname: str) -> pathlib.Path:
    dest = pathlib.Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    with tarfile.open(dest, "w:gz") as tar:
        tar.add(src_root, arcname=arcname)
    return dest


def truncate(path, keep: float = 0.5) -> None:
    """Cut a file to ``keep`` of its size, as an interrupted download would."""
    data = pathlib.Path(path).read_bytes()
    pathlib.Path(path).write_bytes(data[: int(len(data) * keep)])


def listdir(path) -> list[str]:
    return sorted(os.listdir(path)) if os.path.isdir(path) else []
