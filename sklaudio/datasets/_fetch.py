"""Shared download / verify / cache helper of the data set loaders.

Every loader of :mod:`sklaudio.datasets` keeps its files under
``<data_home>/<folder>/`` in a fixed layout, checks that the files it needs for the
requested selection are there, and only when some are missing downloads the
publisher's archive with :func:`pooch.retrieve`, checks the archive's published
checksum (when the publisher gives one), extracts the members it needs into a
temporary folder *inside* the data set's folder, checks every extracted file
against a per-file manifest (when the loader ships one), and only then moves the
files into place. Any failure deletes the temporary download and installs
nothing; the error lists every missing or corrupt file.

This module holds that sequence once; the loaders (``_fsdd.py``, ``_ravdess.py``,
...) only say *what* to fetch and *where* each archive member goes.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import tarfile
import tempfile
import zipfile
from dataclasses import dataclass
from importlib import resources
from typing import Callable, Iterable, Sequence, Union

import numpy as np
import pooch

from ..io import _load_many
from ._base import DATA_HOME_ENV

PathLike = Union[str, "os.PathLike[str]"]

MAX_LISTED = 20
_HEX = {"md5": re.compile(r"^[0-9a-f]{32}$"), "sha256": re.compile(r"^[0-9a-f]{64}$")}
_ALG_NAME = {"md5": "MD5", "sha256": "SHA-256"}


@dataclass(frozen=True)
class Remote:
    """One file the publisher serves: where, under which name, with which checksum.

    ``known_hash`` is ``"<alg>:<hex>"`` (``md5`` or ``sha256``) as the publisher
    gives it, or ``None`` when the archive is generated on the fly (GitHub
    archives) and the content is verified per file instead.
    """

    url: str
    filename: str
    known_hash: str | None = None


# ---------------------------------------------------------------------------
# small utilities
# ---------------------------------------------------------------------------


def listing(items: Sequence[str], limit: int = MAX_LISTED) -> str:
    """Indented lines, at most ``limit`` of them, then ``... and N more``."""
    lines = [f"  {item}" for item in items[:limit]]
    if len(items) > limit:
        lines.append(f"  ... and {len(items) - limit} more")
    return "\n".join(lines)


def file_hash(path: str, alg: str = "sha256", chunk_size: int = 1 << 20) -> str:
    """Hex digest of a file (``alg`` is ``"md5"`` or ``"sha256"``)."""
    h = hashlib.new(alg)
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(chunk_size), b""):
            h.update(block)
    return h.hexdigest()


def check_flag(name: str, value) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} must be True or False, got {value!r}.")
    return bool(value)


def check_choice(name: str, value, choices: Sequence[str]) -> str:
    if not isinstance(value, str) or value not in choices:
        raise ValueError(f"{name} must be one of {tuple(choices)}, got {value!r}.")
    return value


def check_selection(name: str, value, allowed: Iterable) -> list | None:
    """``None`` (everything), one allowed value, or a list of them; returns a sorted list."""
    if value is None:
        return None
    allowed = list(allowed)
    values = [value] if isinstance(value, (int, np.integer, str)) else list(value)
    bad = [v for v in values if isinstance(v, (bool, np.bool_)) or v not in allowed]
    if bad or not values:
        raise ValueError(f"{name} must be None, one of {allowed} or a list of them, got {value!r}.")
    return sorted(set(values), key=allowed.index)


def load_text(filename: str) -> str:
    """A text file shipped in this package (descriptions, manifests)."""
    ref = resources.files(__package__).joinpath(filename)
    try:
        return ref.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise FileNotFoundError(
            f"{filename!r} is missing from the sklaudio.datasets package; reinstall sklaudio."
        ) from exc


def parse_manifest(text: str, source: str, alg: str = "sha256") -> dict[str, str]:
    """Parse ``<hex digest>  <relative path>`` lines (``sha256sum``/``md5sum`` output)."""
    manifest: dict[str, str] = {}
    for lineno, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split(None, 1)
        if len(parts) != 2 or not _HEX[alg].match(parts[0].lower()):
            raise ValueError(
                f"{source}, line {lineno}: expected '<{alg} hex>  <file name>', got {line!r}."
            )
        digest, name = parts
        manifest[name.strip().lstrip("*")] = digest.lower()  # '*' marks binary mode
    return manifest


def load_manifest(filename: str, alg: str = "sha256") -> dict[str, str]:
    """A manifest shipped in this package as ``{relative path: hex digest}``."""
    return parse_manifest(load_text(filename), filename, alg)


def require_pandas(loader: str):
    """Import pandas, or raise an ImportError naming the extra to install."""
    try:
        import pandas as pd
    except ImportError as exc:  # pragma: no cover - pandas is in the test extra
        raise ImportError(
            f"{loader} returns the data set's metadata as a pandas DataFrame: "
            "pip install 'sklaudio[datasets]' (or pandas)."
        ) from exc
    return pd


def missing_files(root: str, relpaths: Iterable[str]) -> list[str]:
    """The entries of ``relpaths`` (``/``-separated) that are not files under ``root``."""
    return [r for r in relpaths if not os.path.isfile(os.path.join(root, *r.split("/")))]


def native_path(root: str, rel: str) -> str:
    return os.path.join(root, *rel.split("/"))


# ---------------------------------------------------------------------------
# download, extract, verify, install
# ---------------------------------------------------------------------------


class _DropBelowWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.WARNING


def _retrieve(remote: Remote, path: str, dataset: str, target: str, verbose: bool) -> str:
    # pooch logs each step (and a "SHA256 hash of downloaded file" note) at INFO
    # level; keep them only when verbose. A filter, unlike setLevel, is honoured
    # even after the logger has cached its enabled levels.
    logger = pooch.get_logger()
    quiet = _DropBelowWarning()
    if not verbose:
        logger.addFilter(quiet)
    try:
        return pooch.retrieve(
            url=remote.url,
            known_hash=remote.known_hash,
            fname=remote.filename,
            path=path,
            progressbar=bool(verbose),
        )
    except ValueError as exc:
        if remote.known_hash is not None and "hash" in str(exc).lower():
            alg, _, expected = remote.known_hash.partition(":")
            raise OSError(
                f"The {dataset} archive {remote.filename!r} downloaded from {remote.url!r} does "
                f"not match the publisher's {_ALG_NAME.get(alg, alg)} checksum {expected} (the "
                "download is corrupt or truncated, or the publisher changed the file). The "
                f"download was deleted and nothing was installed.\n  {remote.filename}: {exc}"
            ) from exc
        raise OSError(f"Could not download the {dataset} from {remote.url!r}: {exc}") from exc
    except Exception as exc:
        raise OSError(
            f"Could not download the {dataset} from {remote.url!r}: {exc}. Check your network "
            f"connection, or put the files in {target!r} yourself."
        ) from exc
    finally:
        logger.removeFilter(quiet)


def _unsafe(name: str) -> bool:
    parts = name.replace("\\", "/").split("/")
    return name.startswith(("/", "\\")) or ".." in parts or bool(re.match(r"^[A-Za-z]:", name))


def _extract(archive: str, out_dir: str, locate: Callable[[str], str | None], dataset: str,
             url: str, verbose: bool) -> list[str]:
    """Extract the members ``locate`` maps to a relative path into ``out_dir``.

    Refuses links, devices, absolute paths and ``..`` among the members it
    extracts (``pooch.Untar`` applies tarfile's ``"data"`` filter only on
    Python >= 3.12). Returns the relative paths written.
    """
    written: list[str] = []

    def unsafe(name):
        return OSError(
            f"The {dataset} archive downloaded from {url!r} contains an unsafe member {name!r} "
            "(a link, device, absolute path or '..'); refusing to extract it."
        )

    def write(rel: str, src) -> None:
        dest = native_path(out_dir, rel)
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        with open(dest, "wb") as f:
            shutil.copyfileobj(src, f, 1 << 20)
        written.append(rel)

    try:
        if zipfile.is_zipfile(archive):
            with zipfile.ZipFile(archive) as zf:
                infos = [i for i in zf.infolist() if not i.is_dir()]
                todo = [(i, locate(i.filename)) for i in infos]
                todo = [(i, rel) for i, rel in todo if rel is not None]
                if verbose:
                    from tqdm.auto import tqdm

                    todo = tqdm(todo, desc=f"Extracting {dataset}", unit="file")
                for info, rel in todo:
                    if _unsafe(info.filename) or _unsafe(rel):
                        raise unsafe(info.filename)
                    with zf.open(info) as src:
                        write(rel, src)
        else:
            with tarfile.open(archive, "r:*") as tar:
                members = tar
                if verbose:
                    from tqdm.auto import tqdm

                    members = tqdm(tar, desc=f"Extracting {dataset}", unit="file")
                for info in members:
                    rel = locate(info.name)
                    if rel is None or info.isdir():
                        continue
                    if _unsafe(info.name) or _unsafe(rel) or not info.isfile():
                        raise unsafe(info.name)
                    src = tar.extractfile(info)
                    write(rel, src)
    except (tarfile.TarError, zipfile.BadZipFile, EOFError, OSError) as exc:
        if isinstance(exc, OSError) and "unsafe member" in str(exc):
            raise
        raise OSError(
            f"The file downloaded from {url!r} is not a readable {dataset} archive ({exc}); "
            "it is corrupt or truncated. The download was deleted and nothing was installed."
        ) from exc
    return written


def verify(root: str, expected: Sequence[str], manifest: dict[str, str] | None, alg: str,
           dataset: str, what: str, verbose: bool) -> None:
    """Raise ``OSError`` naming every file of ``expected`` missing under ``root`` or
    whose digest differs from ``manifest`` (when given)."""
    names = list(expected)
    if verbose and manifest:
        from tqdm.auto import tqdm

        names = tqdm(names, desc=f"Verifying {dataset} ({_ALG_NAME[alg]})", unit="file")
    bad = []
    for rel in names:
        path = native_path(root, rel)
        if not os.path.isfile(path):
            bad.append(f"{rel}: missing from the archive")
            continue
        if manifest and rel in manifest:
            digest = file_hash(path, alg)
            if digest != manifest[rel]:
                bad.append(f"{rel}: {_ALG_NAME[alg]} {digest} differs from the expected "
                           f"{manifest[rel]}")
    if bad:
        raise OSError(
            f"{len(bad)} of {len(expected)} {dataset} files {what} are missing or do not "
            "match the checksums shipped with sklaudio (the download is corrupt or the release "
            "changed). The download was deleted and nothing was installed:\n" + listing(bad)
        )


def fetch(
    dataset: str,
    home: str,
    remotes: Sequence[Remote],
    locate: Callable[[str], str | None],
    expected: Callable[[str], Sequence[str]] | Sequence[str],
    *,
    manifest: dict[str, str] | None = None,
    alg: str = "sha256",
    verbose: bool = False,
) -> None:
    """Download ``remotes`` (one archive, or several tried in order as mirrors),
    extract the members ``locate`` accepts, verify them and install them in ``home``.

    Parameters
    ----------
    dataset : str
        Name used in messages and progress bars ("RAVDESS").
    home : str
        The data set's folder; the temporary download lives inside it.
    remotes : sequence of Remote
        Mirrors of the *same* archive, tried in order until one downloads.
    locate : callable
        Maps an archive member name to its path relative to ``home`` (``/``
        separated), or ``None`` to skip the member.
    expected : sequence of str or callable
        The relative paths that must come out of the archive; a callable gets
        the temporary extraction folder (for lists read from a metadata file in
        the archive itself).
    manifest : dict, optional
        ``{relative path: hex digest}`` checked after extraction.
    """
    try:
        os.makedirs(home, exist_ok=True)
        tmp = tempfile.mkdtemp(prefix=".download-", dir=home)
    except OSError as exc:
        raise OSError(
            f"Cannot write the {dataset} download into {home!r} ({exc}). Pass data_home= or set "
            f"{DATA_HOME_ENV} to a writable folder."
        ) from exc
    try:
        errors = []
        for remote in remotes:
            try:
                archive = _retrieve(remote, tmp, dataset, home, verbose)
                break
            except OSError as exc:
                errors.append(exc)
                if "does not match the publisher" in str(exc):
                    raise
        else:
            if len(errors) == 1:
                raise errors[0]
            raise OSError(f"Could not download the {dataset} from any mirror:\n"
                          + "\n".join(f"  {e}" for e in errors))
        out = os.path.join(tmp, "extracted")
        _extract(archive, out, locate, dataset, remote.url, verbose)
        os.remove(archive)  # free the space before the files are moved
        names = list(expected(out) if callable(expected) else expected)
        verify(out, names, manifest, alg, dataset, f"downloaded from {remote.url!r}", verbose)
        for rel in names:
            dest = native_path(home, rel)
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            os.replace(native_path(out, rel), dest)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def ensure(
    dataset: str,
    loader: str,
    home: str,
    needed: Sequence[str],
    download_if_missing: bool,
    download: Callable[[], None],
) -> None:
    """Download when any of ``needed`` (relative to ``home``) is missing; raise when
    that is not allowed, or when files are still missing after the download."""
    missing = missing_files(home, needed)
    if not missing:
        return
    if not download_if_missing:
        raise OSError(
            f"{dataset} files not found in {os.path.abspath(home)!r} ({len(missing)} of "
            f"{len(needed)} files missing) and download_if_missing is False. Call "
            f"{loader}(download_if_missing=True) to download them, or point data_home= (or "
            f"{DATA_HOME_ENV}) to a folder holding them. Missing:\n" + listing(missing)
        )
    download()
    missing = missing_files(home, needed)
    if missing:
        raise OSError(
            f"{len(missing)} of {len(needed)} {dataset} files are still missing from "
            f"{os.path.abspath(home)!r} after the download:\n" + listing(missing)
        )


def load_audio(paths: list[str], sample_rate: int | None, n_jobs, verbose: bool, dataset: str,
               home: str) -> tuple[list[np.ndarray], int | None]:
    """Decode ``paths`` (mono float32), naming every file that fails in one error."""
    try:
        return _load_many(paths, sample_rate, True, np.dtype(np.float32), n_jobs, verbose,
                          desc=f"Loading {dataset}")
    except (FileNotFoundError, ValueError) as exc:
        if "different sample rates" in str(exc):
            raise
        raise type(exc)(
            f"{exc}\nThe local {dataset} copy in {os.path.abspath(home)!r} is damaged; delete "
            f"the files named above (or the folder) and call the loader again to download a "
            "verified copy."
        ) from exc
