"""Targets: folders walked in order, dispatch by extension, missing paths, counting."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path

import pytest

from recoupe.config import IngestSettings
from recoupe.errors import InputError
from recoupe.ingest import count_inputs, iter_inputs
from recoupe.types import InputKind, RawDocument

from .helpers import ARTICLE_HTML, collect, make_settings, reasons


def tree(root: Path) -> Path:
    """b.txt, a/z.html, a/c.md, .hidden, .git/x.txt, notes.pdf, page (HTML, no extension)."""
    (root / "a").mkdir()
    (root / ".git").mkdir()
    (root / "b.txt").write_text("text b")
    (root / "a" / "z.html").write_text(ARTICLE_HTML)
    (root / "a" / "c.md").write_text("markdown c")
    (root / ".hidden").write_text("skipped")
    (root / ".git" / "x.txt").write_text("skipped")
    (root / "notes.pdf").write_bytes(b"%PDF-1.4 whatever")
    (root / "page").write_text("<!DOCTYPE html><html><body><p>sniffed</p></body></html>")
    (root / "README").write_text("no extension, not HTML")
    return root


def test_folder_is_walked_sorted_and_hidden_entries_skipped(tmp_path: Path) -> None:
    root = tree(tmp_path)
    items = collect([root])
    assert [i.origin for i in items] == [
        str(root / "README"),
        str(root / "a" / "c.md"),
        str(root / "a" / "z.html"),
        str(root / "b.txt"),
        str(root / "notes.pdf"),
        str(root / "page"),
    ]
    assert reasons(items) == ["unsupported-type", "doc", "doc", "doc", "unsupported-type", "doc"]
    page = items[-1]
    assert isinstance(page, RawDocument) and page.kind is InputKind.HTML and page.is_html


def test_count_inputs(tmp_path: Path) -> None:
    root = tree(tmp_path)
    settings = make_settings()
    assert count_inputs([str(root)], settings) == 6
    assert count_inputs([str(root), str(root / "b.txt")], settings) == 7
    assert count_inputs([str(root), "https://news.example/feed.rss"], settings) is None
    (root / "more.jsonl").write_text(json.dumps({"text": "x"}))
    assert count_inputs([str(root)], settings) is None  # a container: records unknown


def test_missing_path_fails_before_anything_is_read(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("fine")
    with pytest.raises(InputError, match="no-such"):
        iter_inputs([str(tmp_path / "a.txt"), str(tmp_path / "no-such")], make_settings())
    with pytest.raises(InputError):
        count_inputs([str(tmp_path / "no-such")], make_settings())


def test_explicit_hidden_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / ".draft.txt"
    path.write_text("asked for by name")
    assert reasons(collect([path])) == ["doc"]


def test_targets_keep_their_order(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("a")
    (tmp_path / "b.txt").write_text("b")
    items = collect([tmp_path / "b.txt", tmp_path / "a.txt"])
    assert [i.origin for i in items] == [str(tmp_path / "b.txt"), str(tmp_path / "a.txt")]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")
def test_symlink_loop_and_broken_link(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("a")
    (tmp_path / "loop").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "broken.txt").symlink_to(tmp_path / "nowhere.txt")
    items = collect([tmp_path])
    assert [(i.origin, r) for i, r in zip(items, reasons(items), strict=True)] == [
        (str(tmp_path / "a.txt"), "doc"),
        (str(tmp_path / "broken.txt"), "read-error"),
    ]


def _escape_links(tmp_path: Path) -> Path:
    """A corpus folder with links leading out of it (a file, a folder, the root) and one
    link that stays inside."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("a file of the machine, not of the corpus")
    corpus = tmp_path / "corpus"
    (corpus / "inner").mkdir(parents=True)
    (corpus / "inner" / "b.txt").write_text("an article inside the corpus")
    (corpus / "a.txt").write_text("another article inside")
    (corpus / "passwd.txt").symlink_to(outside / "secret.txt")
    (corpus / "etc").symlink_to(outside, target_is_directory=True)
    (corpus / "root").symlink_to("/", target_is_directory=True)
    (corpus / "same.txt").symlink_to(corpus / "inner" / "b.txt")
    return corpus


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")
def test_links_leading_out_of_the_folder_are_not_followed(tmp_path: Path) -> None:
    corpus = _escape_links(tmp_path)
    items = collect([corpus])
    found = {Path(i.origin).name: r for i, r in zip(items, reasons(items), strict=True)}
    assert found == {
        "a.txt": "doc",
        "etc": "symlink-outside",
        "b.txt": "doc",
        "passwd.txt": "symlink-outside",
        "root": "symlink-outside",
        "same.txt": "doc",  # inside the folder: followed (its content is a duplicate)
    }
    assert count_inputs([str(corpus)], make_settings()) == len(items)
    assert not any("secret" in getattr(i, "content", "") for i in items)


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")
def test_follow_symlinks_follows_them(tmp_path: Path) -> None:
    corpus = _escape_links(tmp_path)
    (corpus / "root").unlink()  # not the whole machine, even here
    settings = replace(make_settings(), ingest=IngestSettings(follow_symlinks=True))
    items = collect([corpus], settings)
    names = sorted(Path(i.origin).name for i in items if isinstance(i, RawDocument))
    assert names == ["a.txt", "b.txt", "passwd.txt", "same.txt", "secret.txt"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs")
def test_fifo_is_not_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    assert reasons(collect([tmp_path])) == ["unsupported-type"]
    assert reasons(collect([tmp_path / "pipe.txt"])) == ["unsupported-type"]


@pytest.mark.skipif(os.geteuid() == 0 if hasattr(os, "geteuid") else True, reason="root reads all")
def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_text("no")
    path.chmod(0)
    assert reasons(collect([path])) == ["read-error"]
