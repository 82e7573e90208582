"""What every communication service shares: the domain error the pages turn into form errors, and citations."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class DomainError(ValidationError):
    """A refused action, with a Chinese message the user can act on.

    A ValidationError, so a page adds it to its form like any other error (field errors stay on their field)."""


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


def clean_or_refuse(obj, **kwargs) -> None:
    """`obj.full_clean()`, its ValidationError turned into a DomainError (field errors kept on their fields)."""
    try:
        obj.full_clean(**kwargs)
    except ValidationError as error:
        raise DomainError(error.error_dict if hasattr(error, "error_dict") else error.error_list) from error
