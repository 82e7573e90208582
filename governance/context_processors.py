from __future__ import annotations


def portal(request) -> dict:
    return {}
