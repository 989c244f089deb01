"""Conversation ids of messaging channels, one namespace per channel."""

from __future__ import annotations


def namespaced(channel: str, platform_id: str) -> str:
    """``<channel>:<platform id>``, e.g. ``telegram:123456``."""
    return f"{channel}:{platform_id}"
