"""User-facing strings of the cockpit, Chinese first, English available.

A small table for now; issue #5 moves these to Qt translation files for runtime switching.
"""

from __future__ import annotations

import re
import time

_TEXT: dict[str, tuple[str, str]] = {
    # key: (zh, en)
    "app_title": ("产业大脑驾驶舱", "Industry Brain Cockpit"),
    "connecting": ("正在连接", "Connecting"),
    "live": ("在线", "Live"),
    "offline": ("离线", "Offline"),
    "mode_poll": ("轮询", "polling"),
    "mode_stream": ("实时推送", "push stream"),
    "updated_at": ("更新于 {t}", "updated {t}"),
    "data_as_of": ("数据截至 {t}", "data as of {t}"),
    "no_data": ("无数据", "No data"),
    "stale": ("数据过时", "Stale"),
    "bad_payload": ("数据异常", "Data problem"),
    "offline_note": ("离线 · 数据截至 {t}", "Offline · data as of {t}"),
    "stale_note": ("数据过时 · 截至 {t}", "Stale · as of {t}"),
    "cached_note": ("缓存 · 数据截至 {t}", "Cached · data as of {t}"),
    "banner_offline": ("离线 · 显示缓存数据（截至 {t}）· 正在自动重试", "Offline · showing cached data (as of {t}) · retrying"),
    "banner_cached": ("正在连接 · 显示缓存数据（截至 {t}）", "Connecting · showing cached data (as of {t})"),
    "cache_notice": ("缓存：{n}", "Cache: {n}"),
    "bad_note": ("数据异常 · 截至 {t}", "Rejected data · as of {t}"),
    "waiting": ("等待数据", "Waiting for data"),
    "trend": ("{name} · 24小时趋势", "{name} · last 24 h"),
    "server": ("接口", "API"),
    "alerts": ("告警 {n}", "Alerts {n}"),
    "no_brains": ("接口未列出任何产业大脑", "The API lists no brains"),
    "embedded": ("内置模拟接口", "embedded simulator"),
    "cannot_reach": ("无法连接中央接口", "Cannot reach the central API"),
    "retrying": ("正在自动重试，恢复后立即显示数据", "Retrying automatically; data appears as soon as it answers"),
    "reason": ("原因：{r}", "Reason: {r}"),
}

# The client's reasons (plain English, also logged) as the interface shows them.
_REASONS_ZH = {
    "connection refused": "连接被拒绝",
    "server did not answer in time": "服务器响应超时",
    "connection timed out": "连接超时",
    "host name not found": "找不到主机",
    "connection failed": "连接失败",
    "answer cut off": "应答被截断",
    "internal error (see log)": "内部错误（见日志）",
}


def tr(key: str, lang: str, **kw: object) -> str:
    zh, en = _TEXT[key]
    text = en if lang == "en" else zh
    return text.format(**kw) if kw else text


def reason_text(reason: str, lang: str) -> str:
    """A link-failure reason in the interface language (unknown ones as they are)."""
    if lang == "en":
        return reason
    m = re.fullmatch(r"stream silent for ([\d.]+) s", reason)
    if m:
        return f"推送流 {m.group(1)} 秒无数据"
    return _REASONS_ZH.get(reason, reason)


def clock(ms: int | None) -> str:
    """Local wall-clock time HH:MM:SS of an epoch-ms timestamp; '—' if unknown."""
    if ms is None:
        return "—"
    return time.strftime("%H:%M:%S", time.localtime(ms / 1000))


def stamp(ms: int | None) -> str:
    """HH:MM:SS for today, 'MM-DD HH:MM' for older data."""
    if ms is None:
        return "—"
    t = time.localtime(ms / 1000)
    if time.strftime("%Y%m%d", t) == time.strftime("%Y%m%d"):
        return time.strftime("%H:%M:%S", t)
    return time.strftime("%m-%d %H:%M", t)
