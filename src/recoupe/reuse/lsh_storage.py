"""Where an ``LSHIndex`` keeps its arrays: a small interface and two implementations.

The index (``lsh_index``) is an algorithm over named, immutable numpy arrays plus one
*manifest*, a small JSON document saying which arrays make up the index. A storage only
has to:

* write a new array under a fresh name (``create`` it, fill it, ``seal`` it), read one
  back (``open``: read-only, memory-mapped where the medium allows), ``delete`` arrays;
* replace the manifest atomically (``commit``). The index is whatever the last
  committed manifest names, so a crash at any point leaves the previous consistent
  index; arrays it does not name are garbage, removed by ``clean`` when it is opened.

``MemoryStorage`` keeps everything in a dict (tests, one-shot ``near_duplicates``).
``DirectoryStorage`` keeps ``<name>.npy`` files and ``manifest.json`` in a directory:
an array is written as ``<name>.npy.tmp`` (memory-mapped, so a merge never holds a whole
run in RAM) and renamed when complete; the manifest is written to a temporary file and
renamed over the old one (``os.replace``, atomic on POSIX). So a SIGKILL at any moment
leaves a consistent index: the page cache survives a killed process, which is why
commits do not fsync (``sync_commits=True`` makes them, for power loss); ``sync()``
(called by ``LSHIndex.close``) flushes every file written and the directory. One writer
at a time: the directory is locked (``flock``) while open.

A PostgreSQL storage would keep arrays as ``bytea`` rows (or large objects) and the
manifest in one row replaced in a transaction; the index would not change.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from numpy.typing import DTypeLike, NDArray

from recoupe.errors import StoreError

Manifest = dict[str, Any]
MANIFEST = "manifest.json"
_LOCK = "LOCK"


class IndexStorage(Protocol):
    """Named immutable arrays plus one atomically replaced manifest."""

    def manifest(self) -> Manifest | None:
        """The last committed manifest, or ``None`` for an empty storage."""
        ...

    def commit(self, manifest: Manifest) -> None:
        """Replace the manifest atomically; arrays it names must be sealed."""
        ...

    def write(self, name: str, array: NDArray[Any]) -> None:
        """Store a whole array under a fresh ``name`` (immutable from now)."""
        ...

    def create(self, name: str, shape: tuple[int, ...], dtype: DTypeLike) -> NDArray[Any]:
        """A writable array to fill, stored under ``name`` once sealed (for arrays built
        piece by piece, such as merged runs, that should not sit whole in RAM)."""
        ...

    def seal(self, name: str, array: NDArray[Any]) -> None:
        """Make ``array`` (from ``create``) durable under ``name``, read-only from now."""
        ...

    def open(self, name: str) -> NDArray[Any]:
        """A sealed array, read-only (memory-mapped where possible)."""
        ...

    def delete(self, names: Iterable[str]) -> None: ...

    def clean(self, keep: set[str]) -> None:
        """Delete every array not in ``keep`` and every unfinished one."""
        ...

    def nbytes(self) -> int:
        """Bytes the index occupies on its medium."""
        ...

    def sync(self) -> None:
        """Flush everything written so far to durable media."""
        ...

    def close(self) -> None: ...


class MemoryStorage:
    """Arrays and manifest in memory: nothing survives the process."""

    def __init__(self) -> None:
        self._arrays: dict[str, NDArray[Any]] = {}
        self._manifest: str | None = None

    def manifest(self) -> Manifest | None:
        return None if self._manifest is None else dict(json.loads(self._manifest))

    def commit(self, manifest: Manifest) -> None:
        self._manifest = json.dumps(manifest)

    def write(self, name: str, array: NDArray[Any]) -> None:
        self.seal(name, np.array(array))

    def create(self, name: str, shape: tuple[int, ...], dtype: DTypeLike) -> NDArray[Any]:
        return np.empty(shape, dtype=dtype)

    def seal(self, name: str, array: NDArray[Any]) -> None:
        array.setflags(write=False)
        self._arrays[name] = array

    def open(self, name: str) -> NDArray[Any]:
        return self._arrays[name]

    def delete(self, names: Iterable[str]) -> None:
        for name in names:
            self._arrays.pop(name, None)

    def clean(self, keep: set[str]) -> None:
        self.delete([n for n in self._arrays if n not in keep])

    def nbytes(self) -> int:
        return sum(int(a.nbytes) for a in self._arrays.values())

    def sync(self) -> None:
        return None

    def close(self) -> None:
        return None


class DirectoryStorage:
    """``.npy`` files and ``manifest.json`` in one directory (created if missing)."""

    def __init__(self, path: Path | str, sync_commits: bool = False) -> None:
        self.path = Path(path)
        self.sync_commits = sync_commits
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            self._lock = (self.path / _LOCK).open("a")
        except OSError as err:
            raise StoreError(f"cannot open the index directory {self.path}: {err}") from err
        try:
            fcntl.flock(self._lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as err:
            self._lock.close()
            raise StoreError(f"the index {self.path} is open in another process") from err
        self._unsynced: set[Path] = set()

    def _file(self, name: str) -> Path:
        if not name or "/" in name or name.startswith("."):
            raise ValueError(f"bad array name {name!r}")
        return self.path / f"{name}.npy"

    def manifest(self) -> Manifest | None:
        try:
            text = (self.path / MANIFEST).read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        try:
            return dict(json.loads(text))
        except ValueError as err:
            raise StoreError(f"damaged index manifest in {self.path}: {err}") from err

    def commit(self, manifest: Manifest) -> None:
        tmp = self.path / f"{MANIFEST}.tmp"
        with tmp.open("w", encoding="utf-8") as out:
            json.dump(manifest, out, indent=1)
            out.write("\n")
            out.flush()
            if self.sync_commits:
                self._sync_files()
                os.fsync(out.fileno())
        os.replace(tmp, self.path / MANIFEST)
        self._unsynced.add(self.path / MANIFEST)
        if self.sync_commits:
            self._sync_dir()

    def write(self, name: str, array: NDArray[Any]) -> None:
        final = self._file(name)
        tmp = final.with_suffix(".npy.tmp")
        with tmp.open("wb") as out:
            np.save(out, array, allow_pickle=False)
        os.replace(tmp, final)
        self._unsynced.add(final)

    def create(self, name: str, shape: tuple[int, ...], dtype: DTypeLike) -> NDArray[Any]:
        tmp = self._file(name).with_suffix(".npy.tmp")
        array: NDArray[Any] = np.lib.format.open_memmap(tmp, mode="w+", dtype=dtype, shape=shape)
        return array

    def seal(self, name: str, array: NDArray[Any]) -> None:
        final = self._file(name)
        tmp = final.with_suffix(".npy.tmp")
        if not isinstance(array, np.memmap) or array.filename is None:
            raise ValueError("seal() takes the array create() returned")
        if Path(array.filename) != tmp:
            raise ValueError("seal() takes the array create() returned")
        array.flush()
        os.replace(tmp, final)
        self._unsynced.add(final)

    def open(self, name: str) -> NDArray[Any]:
        try:
            array: NDArray[Any] = np.load(self._file(name), mmap_mode="r", allow_pickle=False)
        except (OSError, ValueError) as err:
            raise StoreError(f"damaged index {self.path}: array {name}: {err}") from err
        return array

    def delete(self, names: Iterable[str]) -> None:
        for name in names:
            path = self._file(name)
            path.unlink(missing_ok=True)
            self._unsynced.discard(path)

    def clean(self, keep: set[str]) -> None:
        for path in self.path.glob("*.npy*"):
            name = path.name.split(".npy")[0]
            if path.suffix == ".tmp" or name not in keep:
                path.unlink(missing_ok=True)
        (self.path / f"{MANIFEST}.tmp").unlink(missing_ok=True)

    def nbytes(self) -> int:
        return sum(p.stat().st_size for p in self.path.iterdir() if p.is_file())

    def _sync_files(self) -> None:
        for path in sorted(self._unsynced):
            with contextlib.suppress(FileNotFoundError), path.open("rb") as f:
                os.fsync(f.fileno())
        self._unsynced.clear()

    def _sync_dir(self) -> None:
        fd = os.open(self.path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

    def sync(self) -> None:
        self._sync_files()
        self._sync_dir()

    def close(self) -> None:
        if not self._lock.closed:
            fcntl.flock(self._lock.fileno(), fcntl.LOCK_UN)
            self._lock.close()
