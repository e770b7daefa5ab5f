from pathlib import Path

import numpy as np
import pytest

from recoupe.errors import StoreError
from recoupe.reuse.lsh_storage import DirectoryStorage, IndexStorage, MemoryStorage


@pytest.fixture(params=["memory", "directory"])
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> IndexStorage:
    if request.param == "memory":
        return MemoryStorage()
    return DirectoryStorage(tmp_path / "idx")


def test_arrays_round_trip_read_only(storage: IndexStorage) -> None:
    data = np.arange(12, dtype=np.uint32).reshape(3, 4)
    storage.write("a", data)
    built = storage.create("b", (2, 5), np.uint64)
    built[...] = 7
    storage.seal("b", built)
    assert np.array_equal(storage.open("a"), data)
    assert (storage.open("b") == 7).all() and storage.open("b").shape == (2, 5)
    with pytest.raises(ValueError):
        storage.open("a")[0, 0] = 1
    assert storage.nbytes() > 0
    storage.write("ids", np.array([b"x1", b"\xc3\xa9t\xc3\xa9"]))
    assert storage.open("ids").tolist() == [b"x1", "été".encode()]


def test_manifest_commit_and_clean(storage: IndexStorage) -> None:
    assert storage.manifest() is None
    storage.write("keep", np.zeros(3))
    storage.write("drop", np.zeros(3))
    storage.commit({"arrays": ["keep"], "count": 3})
    assert storage.manifest() == {"arrays": ["keep"], "count": 3}
    storage.clean({"keep"})
    storage.open("keep")
    with pytest.raises((KeyError, StoreError)):
        storage.open("drop")


def test_directory_removes_unfinished_files_and_locks(tmp_path: Path) -> None:
    store = DirectoryStorage(tmp_path / "idx")
    store.create("half", (10,), np.uint32)  # never sealed: a crash mid-write
    store.write("done", np.ones(2))
    store.commit({"arrays": ["done"]})
    with pytest.raises(StoreError):
        DirectoryStorage(tmp_path / "idx")  # one writer at a time
    store.sync()
    store.close()
    again = DirectoryStorage(tmp_path / "idx")
    again.clean({"done"})
    assert sorted(p.name for p in (tmp_path / "idx").iterdir()) == [
        "LOCK", "done.npy", "manifest.json",
    ]  # fmt: skip
    again.close()


def test_directory_reports_damage(tmp_path: Path) -> None:
    store = DirectoryStorage(tmp_path / "idx", sync_commits=True)
    store.write("a", np.ones(4))
    store.commit({"arrays": ["a"]})
    (tmp_path / "idx" / "a.npy").write_bytes(b"junk")
    with pytest.raises(StoreError):
        store.open("a")
    (tmp_path / "idx" / "manifest.json").write_text("{not json")
    with pytest.raises(StoreError):
        store.manifest()
    with pytest.raises(ValueError):
        store.write("../escape", np.ones(1))
