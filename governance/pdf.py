"""A print page as a PDF download (WeasyPrint): the same template and its print CSS, rendered without the network.

The page's stylesheets and images come from the static files (the app finders, then the collected STATIC_ROOT in
production, where `{% static %}` names hashed files); every other URL (http, https, file) is refused, so a document
never waits on, or leaks to, another host. Chinese text needs a CJK font installed on the machine (Debian's
`fonts-noto-cjk`, which `make` installs) or it prints as boxes. WeasyPrint is imported only when a PDF is made: it
takes about a second to import, which no other page should pay.
"""

from __future__ import annotations

import mimetypes
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header


class RefusedFetch(ValueError):
    """A URL the PDF may not load (WeasyPrint logs it and leaves the resource out)."""


def static_file_path(url: str, *, origin: str) -> str:
    """The local file behind a static URL of this site (`origin` is scheme://host of the request), or RefusedFetch."""
    parts = urlsplit(url)
    static_prefix = "/" + settings.STATIC_URL.strip("/") + "/"
    if f"{parts.scheme}://{parts.netloc}" != origin or not parts.path.startswith(static_prefix):
        raise RefusedFetch(f"PDF 只使用本站的静态文件，不加载 {url}")
    name = unquote(parts.path[len(static_prefix) :])
    if not name or ".." in name.split("/"):
        raise RefusedFetch(f"不是静态文件：{url}")
    found = finders.find(name)
    if found:
        return str(found)
    # Production serves the collected, hashed names (ManifestStaticFilesStorage): look in STATIC_ROOT.
    if staticfiles_storage.exists(name):
        return staticfiles_storage.path(name)
    raise RefusedFetch(f"没有这个静态文件：{name}")


def make_fetcher(origin: str) -> Any:
    """A WeasyPrint URL fetcher that serves this site's static files from disk and refuses everything else
    (data: URLs, which carry their content inline, are read as usual)."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFilesFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            path = static_file_path(url, origin=origin)
            with open(path, "rb") as handle:
                body = handle.read()
            content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body, {"Content-Type": content_type})

    return StaticFilesFetcher(allowed_protocols=("data",))


def html_to_pdf(html: str, *, base_url: str) -> bytes:
    """The HTML page as PDF bytes; relative and root-relative URLs resolve against `base_url` (the site's root)."""
    from weasyprint import HTML

    parts = urlsplit(base_url)
    fetcher = make_fetcher(f"{parts.scheme}://{parts.netloc}")
    return HTML(string=html, base_url=base_url, url_fetcher=fetcher, media_type="print").write_pdf()


def pdf_response(content: bytes, *, filename: str) -> HttpResponse:
    """A download with a Chinese filename (Content-Disposition with RFC 5987 `filename*`), never cached."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename) or ""
    response["Cache-Control"] = "private, no-store"
    return response


class PdfTemplateMixin:
    """For a TemplateView of a print page: the same template and context, answered as a PDF download.
    The view names the file with `get_pdf_filename(context)`; permissions are the print page's own."""

    request: HttpRequest

    def get_pdf_filename(self, context: dict[str, Any]) -> str:
        raise NotImplementedError

    def render_to_response(self, context: dict[str, Any], **response_kwargs: Any) -> HttpResponse:
        html = render_to_string(self.get_template_names(), {**context, "as_pdf": True}, request=self.request)  # type: ignore[attr-defined]
        content = html_to_pdf(html, base_url=self.request.build_absolute_uri("/"))
        return pdf_response(content, filename=self.get_pdf_filename(context))
