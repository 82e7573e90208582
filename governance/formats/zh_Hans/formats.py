"""Date formats for zh-hans that differ from Django's: a month and day read "11月3日", not "11月03日".

Everything else falls through to Django's own zh_Hans formats (FORMAT_MODULE_PATH is searched first).
"""

MONTH_DAY_FORMAT = "n月j日"
