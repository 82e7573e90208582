"""What every communication service shares: the core's domain error (re-exported), and citations."""

from __future__ import annotations

from governance.errors import DomainError, clean_or_refuse

__all__ = ["DomainError", "clean_or_refuse", "regulation_title"]


# The regulation each organization kind follows for pre-meeting consultation. A university follows its own 001; a
# college follows 000; 001 第四条 (各二级单位……参照本制度执行) covers the other secondary units.
REGULATION_TITLES = {
    "000": "关于建立学院党政领导经常性沟通机制的暂行办法",
    "001": "广西师范大学校领导班子成员沟通交流制度",
}


def regulation_title(code: str) -> str:
    """The adopted regulation's title as stored (load_regulations), else the seed's own title."""
    from governance.models import Regulation

    stored = Regulation.objects.filter(code=code).values_list("title", flat=True).first()
    return stored or REGULATION_TITLES.get(code, code)
