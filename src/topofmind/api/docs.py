"""A browsable page of the API, made on the server from the OpenAPI description (no CDN, no script)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.utils.html import escape

from topofmind.api.app import api

METHODS = ("get", "post", "patch", "put", "delete")


def _parameters(operation: dict[str, Any]) -> str:
    rows = []
    for param in operation.get("parameters", []):
        schema = param.get("schema", {})
        kind = schema.get("type") or ", ".join(s.get("type", "") for s in schema.get("anyOf", []) if s.get("type"))
        rows.append(
            f"<li><code>{escape(param['name'])}</code> ({escape(param['in'])}, {escape(kind or 'value')})"
            f"{' required' if param.get('required') else ''}"
            f"{' — ' + escape(schema.get('description', '')) if schema.get('description') else ''}</li>"
        )
    body = operation.get("requestBody", {}).get("content", {})
    for content_type, spec in body.items():
        ref = spec.get("schema", {}).get("$ref", "")
        rows.append(f"<li>body: <code>{escape(content_type)}</code> {escape(ref.rsplit('/', 1)[-1])}</li>")
    return f"<ul>{''.join(rows)}</ul>" if rows else ""


@login_not_required
def docs_page(request: HttpRequest) -> HttpResponse:
    schema = api.get_openapi_schema()
    sections = []
    for path, item in schema["paths"].items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            codes = ", ".join(sorted(str(c) for c in operation.get("responses", {})))
            sections.append(
                f'<section><h2><span class="m">{method.upper()}</span> <code>{escape(path)}</code></h2>'
                f"<p>{escape(operation.get('summary', ''))}</p>{_parameters(operation)}"
                f'<p class="codes">answers: {escape(codes)}</p></section>'
            )
    html = f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>topofmind API</title>
<style>body{{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem;color:#1d232b}}
section{{border-top:1px solid #d8dde3;padding:.4rem 0}}h2{{font-size:1rem;margin:.3rem 0;overflow-wrap:anywhere}}
.m{{display:inline-block;min-width:4rem;color:#0b5cad}}.codes{{color:#5b6470;font-size:.85rem}}code{{font-size:.9em}}</style>
</head><body><h1>topofmind API</h1><p>{escape(schema["info"].get("description", ""))}</p>
<p>The machine-readable description: <a href="/api/openapi.json">/api/openapi.json</a>.
A walk-through with curl is in docs/api.md.</p>{"".join(sections)}</body></html>"""
    return HttpResponse(html)
