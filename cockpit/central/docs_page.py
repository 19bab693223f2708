"""``/docs``: the API reference as one self-contained HTML page, made from the OpenAPI schema.

FastAPI's Swagger UI loads its scripts and styles from a CDN, so on the isolated networks
command centers run on it was a blank page. This page needs nothing but the server: no
script, no external style sheet or font, every text escaped. ``/openapi.json`` stays the
machine-readable form.
"""

from __future__ import annotations

import html
import json
from typing import Any

__all__ = ["render_docs"]

_STYLE = """
body{font-family:sans-serif;max-width:70em;margin:1em auto;padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ccc}
.op{margin:1em 0;padding:.6em .8em;border-left:4px solid #3a7;background:#f7f9f8}
.m{font-weight:bold;font-family:monospace;text-transform:uppercase;margin-right:.6em}
code,pre{font-family:monospace;background:#eef;padding:0 .2em}pre{padding:.5em;overflow-x:auto;white-space:pre-wrap}
table{border-collapse:collapse;margin:.4em 0}td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left;vertical-align:top}
details{margin:.3em 0}
"""


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _para(text: str) -> str:
    return "".join(f"<p>{_e(p)}</p>" for p in text.split("\n\n") if p.strip())


def _ref(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " | ".join(_ref(s) for s in schema["anyOf"])
    if schema.get("type") == "array":
        return f"array of {_ref(schema.get('items', {}))}"
    return str(schema.get("type", "object"))


def render_docs(spec: dict[str, Any]) -> str:
    """The whole page for ``spec`` (an OpenAPI document)."""
    info = spec.get("info", {})
    out = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{_e(info.get('title', 'API'))}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{_e(info.get('title', 'API'))} <small>{_e(info.get('version', ''))}</small></h1>",
        _para(str(info.get("description", ""))),
        "<p>Machine-readable: <a href='/openapi.json'>/openapi.json</a>.</p>",
    ]
    by_tag: dict[str, list[tuple[str, str, dict[str, Any]]]] = {}
    for path, ops in spec.get("paths", {}).items():
        for method, op in ops.items():
            tag = (op.get("tags") or ["other"])[0]
            by_tag.setdefault(tag, []).append((method, path, op))
    for tag, ops in by_tag.items():
        out.append(f"<h2>{_e(tag)}</h2>")
        for method, path, op in ops:
            out.append(f"<div class='op'><span class='m'>{_e(method)}</span><code>{_e(path)}</code>")
            out.append(f" — {_e(op.get('summary', ''))}")
            if op.get("description"):
                out.append(_para(op["description"]))
            params = op.get("parameters", [])
            if params:
                out.append("<table><tr><th>parameter</th><th>in</th><th>type</th><th>description</th></tr>")
                for p in params:
                    out.append(
                        f"<tr><td><code>{_e(p.get('name'))}</code>{' *' if p.get('required') else ''}</td>"
                        f"<td>{_e(p.get('in'))}</td><td>{_e(_ref(p.get('schema', {})))}</td>"
                        f"<td>{_e(p.get('description', ''))}</td></tr>"
                    )
                out.append("</table>")
            body = op.get("requestBody", {}).get("content", {})
            for ctype, media in body.items():
                out.append(f"<p>Body ({_e(ctype)}): <code>{_e(_ref(media.get('schema', {})))}</code></p>")
            out.append("<table><tr><th>status</th><th>meaning</th><th>body</th></tr>")
            for status, resp in op.get("responses", {}).items():
                content = resp.get("content", {})
                kinds = ", ".join(f"{c}: {_ref(m.get('schema', {}))}" for c, m in content.items())
                out.append(f"<tr><td>{_e(status)}</td><td>{_e(resp.get('description', ''))}</td>"
                           f"<td>{_e(kinds)}</td></tr>")
            out.append("</table></div>")
    schemas = spec.get("components", {}).get("schemas", {})
    if schemas:
        out.append("<h2>schemas</h2>")
        for name in sorted(schemas):
            out.append(f"<details><summary><code>{_e(name)}</code></summary>"
                       f"<pre>{_e(json.dumps(schemas[name], indent=1, ensure_ascii=False))}</pre></details>")
    out.append("</body></html>")
    return "".join(out)
