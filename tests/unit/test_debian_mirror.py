"""Which Debian mirror the base image is built from: the one apt uses."""

from scripts.debian_mirror import debian_mirror

DEB822 = """Types: deb
# http://snapshot.debian.org/archive/debian/20250520T000000Z
URIs: http://mirror.example/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://mirror.example/debian-security
Suites: bookworm-security
Components: main
"""


def test_the_main_archive_of_a_deb822_file():
    assert debian_mirror({"debian.sources": DEB822}, "bookworm") == (
        "http://mirror.example/debian"
    )


def test_one_line_format_with_options_and_comments():
    sources = {
        "sources.list": "# deb http://old.example/debian bookworm main\n"
        "deb-src http://src.example/debian bookworm main\n"
        "deb [arch=amd64 signed-by=/k.gpg] http://one.example/debian/ bookworm main\n"
    }
    assert debian_mirror(sources, "bookworm") == "http://one.example/debian"


def test_security_updates_and_other_releases_are_not_the_mirror():
    sources = {
        "a.list": "deb http://sec.example/debian-security bookworm-security main\n"
        "deb http://old.example/debian bullseye main\n",
        "b.sources": "Types: deb\nURIs: http://x.example/debian\nSuites: bookworm\n"
        "Enabled: no\n",
    }
    assert debian_mirror(sources, "bookworm") is None


def test_the_first_source_in_apts_order_wins():
    sources = {
        "/etc/apt/sources.list": "deb http://first.example/debian bookworm main\n",
        "/etc/apt/sources.list.d/debian.sources": DEB822,
    }
    assert debian_mirror(sources, "bookworm") == "http://first.example/debian"
