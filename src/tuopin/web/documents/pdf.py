"""HTML templates to PDF with WeasyPrint; Chinese text is set in Noto Sans CJK (Debian's fonts-noto-cjk),
which WeasyPrint embeds as a subset, so the file prints the same on any machine (decision 0604)."""

from __future__ import annotations

from django.template.loader import render_to_string


def render_pdf(template_name: str, context: dict, *, request=None) -> bytes:
    # Imported on first use: it loads pango and the fonts (about 2 s), which no other page needs.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = render_to_string(template_name, context, request=request)
    # Documents are self-contained: no URL is fetched, whatever text a record holds.
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=())).write_pdf()
