"""Which files the bench drops from the page cache before a server starts."""

from bench.page_cache import evict, shared_libraries


def test_only_shared_libraries_are_chosen(tmp_path):
    for name in ["a.so", "b.so.2", "lib/c.cpython-310-x86_64-linux-gnu.so", "d.py",
                 "e.sonnet", "f.so.txt.bak", "so"]:  # fmt: skip
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x" * 10)
    (tmp_path / "dir.so").mkdir()
    chosen = {p.relative_to(tmp_path).as_posix() for p in shared_libraries(tmp_path)}
    assert chosen == {
        "a.so",
        "b.so.2",
        "lib/c.cpython-310-x86_64-linux-gnu.so",
    }


def test_evicting_leaves_the_files_as_they_were(tmp_path):
    library = tmp_path / "lib.so"
    library.write_bytes(b"\x7fELF" + b"\0" * 100)
    assert evict(tmp_path) == 1
    assert library.read_bytes() == b"\x7fELF" + b"\0" * 100
    assert evict(tmp_path / "missing") == 0
