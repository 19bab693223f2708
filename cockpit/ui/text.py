"""User-facing strings of the cockpit, Chinese first, English available.

The Chinese texts are the sources; English comes from the Qt translation file
``resources/i18n/cockpit_en.qm`` once ``cockpit.i18n.use("en")`` installed it, and from
this table's second column where the file lacks a text. ``python -m cockpit.ui.text``
brings the ``.ts`` file in step with this table.
"""

from __future__ import annotations

import html
import re
import time
from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo

from widgets import clock as widget_clock

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
    "band_data": ("数据时间 {t}", "Data time {t}"),
    "rank_top": ("前 {n} 名 · 共 {total}", "top {n} of {total}"),
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
    "bad_part": ("数据异常：{r}", "Data problem: {r}"),
    "bad_parts": ("数据异常 {n} 处", "{n} data problems"),
    "no_such_tab": ("平台没有“{t}”这一页，显示首页", "The platform has no tab “{t}”: showing the first"),
    "kind_missing": ("缺少字段", "missing field"),
    "kind_empty": ("为空", "empty"),
    "kind_too_long": ("过长", "too long"),
    "kind_too_many": ("条目过多", "too many items"),
    "kind_format": ("格式不符", "wrong format"),
    "kind_value": ("取值不在规范内", "value not in the contract"),
    "kind_number": ("不是有效数字", "not a valid number"),
    "kind_range": ("超出范围", "out of range"),
    "kind_type": ("类型不符", "wrong type"),
    "kind_time": ("时间格式不符", "not a time"),
    "kind_future": ("时间在未来", "time in the future"),
    "kind_invalid": ("不符合接口规范", "does not fit the contract"),
    "part_metric": ("指标 {x}", "metric {x}"),
    "part_panel": ("面板 {x}", "panel {x}"),
    "part_cell": ("单元格 {x}", "cell {x}"),
    "part_alert": ("告警 {x}", "alert {x}"),
    "part_other": ("{x}", "{x}"),
    "future_snapshot": ("时间超前本机时钟 {n} 分钟（平台时钟或时区有误）", "time {n} min ahead of this machine's clock (platform clock or time zone wrong)"),
    "contract_error": ("数据不符合接口规范（{w}）", "does not fit the contract ({w})"),
    "waiting": ("等待数据", "Waiting for data"),
    "trend": ("{name} · 趋势", "{name} · trend"),
    "yoy": ("同比", "y/y"),
    "mom": ("环比", "m/m"),
    "ben_apply": ("一键获取", "Apply"),
    "ben_none": ("可申请", "Available"),
    "ben_applied": ("已申请", "Applied"),
    "ben_reviewing": ("审核中", "Under review"),
    "ben_granted": ("已兑现", "Granted"),
    "ben_refused": ("不予支持", "Refused"),
    "ben_pending": ("待发送", "pending"),
    "ben_unavailable": ("申请功能尚未就绪（未连接告警处置通道）", "Applying is not available yet"),
    "range_24h": ("24小时", "24 h"),
    "range_today": ("今日", "Today"),
    "range_7d": ("近7天", "Last 7 days"),
    "range_month": ("本月", "Month"),
    "range_year": ("本年", "Year"),
    "last_year_same_period": ("去年同期", "Same period last year"),
    "range_cached": ("缓存 · 取于 {t}", "Cached · fetched {t}"),
    "range_not_loaded": ("未能取得该时段：{r}", "Period not loaded: {r}"),
    "range_missing": ("该时段无数据（超出平台保存期限）", "No data for this period (beyond what the platform keeps)"),
    "no_history_kept": ("平台未提供历史数据", "The platform keeps no history"),
    # drill-down (cockpit.ui.drill)
    "drill_back": ("‹ 返回", "‹ Back"),
    "drill_root": ("总览", "Overview"),
    "drill_loading": ("正在加载…", "Loading…"),
    "drill_missing": ("平台上没有这一项", "The platform has no such item"),
    "drill_unavailable": ("离线时无法查看：此前未查询过，本机没有缓存（{e}）", "Not available offline: never looked up before, nothing cached here ({e})"),
    "drill_unavailable_short": ("离线时无法查看", "Not available offline"),
    "drill_no_service": ("此驾驶舱未连接数据平台", "This cockpit has no data platform"),
    "drill_not_replayed": ("回放中：此处为当前数据", "Replay: this view shows current data"),
    "drill_industry": ("产业", "Industry"),
    "drill_firms": ("企业数", "Enterprises"),
    "drill_firms_unit": ("家", "firms"),
    "drill_running": ("在产企业", "Running"),
    "drill_figure": ("主要指标", "Leading figure"),
    "drill_share": ("占全市", "Share of city"),
    "drill_alerts": ("告警数", "Alerts"),
    "drill_enterprise": ("企业", "Enterprise"),
    "drill_status": ("状态", "State"),
    "drill_by_industry": ("各产业（点击查看本区县该产业）", "By industry (click to open it in this district)"),
    "drill_alerts_here": ("当前告警", "Active alerts"),
    "drill_alerts_n": ("当前告警（{n}）", "Active alerts ({n})"),
    "drill_firms_here": ("辖区企业（共{n}家）", "Enterprises here ({n})"),
    "drill_firms_some": ("辖区企业（共{n}家，显示最大的{k}家）", "Enterprises here ({n}, the largest {k} shown)"),
    "drill_count": ("{n}家", "{n} firms"),
    "drill_strength": ("环节强弱", "Link strength"),
    "strength_strong": ("强", "strong"),
    "strength_weak": ("弱", "weak"),
    "strength_missing": ("缺失", "missing"),
    "drill_link_output": ("年产值", "Yearly output"),
    "yi_yuan": ("亿元", "100M CNY"),
    "drill_anchors": ("龙头企业", "Anchor enterprises"),
    "drill_gap": ("补链原因：{r}", "Gap to fill: {r}"),
    "drill_no_gap": ("强链环节：本地配套充足", "A strong link: enough local supply"),
    "drill_link_firms": ("本环节企业（{n}家，点击查看企业码）", "Enterprises on this link ({n}; click for the enterprise code)"),
    "server": ("接口", "API"),
    "alerts": ("告警 {n}", "Alerts {n}"),
    "no_brains": ("接口未列出任何产业大脑", "The API lists no brains"),
    "embedded": ("内置模拟接口", "embedded simulator"),
    "cannot_reach": ("无法连接中央接口", "Cannot reach the central API"),
    "catalog_rejected": ("中央接口已应答，但目录不符合接口规范", "The central API answered, but its catalog does not fit the contract"),
    "retrying": ("正在自动重试，恢复后立即显示数据", "Retrying automatically; data appears as soon as it answers"),
    "reason": ("原因：{r}", "Reason: {r}"),
    "layout_fallback": ("布局文件有误，已改用自动布局：{e}", "Layout file not used, automatic layout shown: {e}"),
    "line": ("第{n}行", "line {n}:"),
    "menu_file": ("文件", "File"),
    "menu_view": ("视图", "View"),
    "menu_help": ("帮助", "Help"),
    "cmd_export_png": ("导出当前页为 PNG…", "Export this tab as PNG…"),
    "cmd_export_pdf": ("导出当前页为 PDF…", "Export this tab as PDF…"),
    "cmd_export_csv": ("导出图表数据为 CSV…", "Export chart data as CSV…"),
    "cmd_settings": ("设置…", "Settings…"),
    "cmd_quit": ("退出", "Quit"),
    "cmd_next_tab": ("下一页", "Next tab"),
    "cmd_prev_tab": ("上一页", "Previous tab"),
    "cmd_fullscreen": ("全屏", "Full screen"),
    "cmd_kiosk": ("展示模式（kiosk）", "Kiosk mode"),
    "cmd_rotate_pause": ("暂停 / 继续轮播", "Pause / resume rotation"),
    "cmd_rotate_next": ("轮播下一页", "Rotate to next"),
    "cmd_theme": ("主题", "Theme"),
    "theme_dark": ("深色指挥中心", "Dark command center"),
    "theme_light": ("浅色办公", "Light office"),
    "theme_high-contrast": ("高对比度", "High contrast"),
    "cmd_lang": ("语言", "Language"),
    "cmd_diagnostics": ("诊断信息", "Diagnostics"),
    "cmd_about": ("关于", "About"),
    "diag_link": ("连接", "Link"),
    "diag_api": ("接口", "API"),
    "diag_last": ("最近更新", "Last update"),
    "diag_cache": ("缓存", "Cache"),
    "diag_memory_cache": ("内存缓存（不写盘）", "in memory (nothing on disk)"),
    "diag_fleet": ("心跳上报", "Heartbeat"),
    "diag_watchdog": ("看门狗", "Watchdog"),
    "diag_stalls": ("界面卡顿 {n} 次", "{n} UI stalls"),
    "diag_growing": ("内存持续增长 {mb} MB / {h} 小时", "memory grew {mb} MB in {h} h"),
    "diag_restart": ("{t} 定时重启", "restart at {t}"),
    "diag_rotation": ("轮播", "Rotation"),
    "diag_paused": ("已暂停", "paused"),
    "export_no_chart": ("当前页没有图表，无可导出的数据", "This tab has no chart: no data to export"),
    "export_failed": ("导出失败", "Export failed"),
    "export_done": ("已导出：{p}", "Exported: {p}"),
    # the alarm loop (cockpit/ui/alarm_journal.py)
    "cmd_alarm_journal": ("告警处置台账…", "Alarm journal…"),
    "aj_title": ("告警处置台账", "Alarm journal"),
    "aj_brain": ("大脑", "Brain"),
    "aj_state": ("状态", "State"),
    "aj_district": ("区县", "District"),
    "cmd_replay": ("时间回放…", "Time travel…"),
    "replay_band": ("回放 · {t}", "Replay · {t}"),
    "replay_hint": ("选择时刻回看大屏当时的画面", "Pick a moment to see the screens as they were"),
    "replay_go": ("跳转", "Go"),
    "replay_play": ("播放", "Play"),
    "replay_pause": ("暂停", "Pause"),
    "replay_live": ("回到实时", "Back to live"),
    "replay_loading": ("加载中", "loading"),
    "replay_missing": ("{n} 个大脑该时刻无数据", "{n} brains have no data for that moment"),
    "past_missing": ("该时刻无数据（超出平台保存期限）", "No data for that moment (beyond what the platform keeps)"),
    "aj_period": ("时间", "Period"),
    "aj_all": ("全部", "All"),
    "aj_today": ("今日", "Today"),
    "aj_24h": ("近24小时", "Last 24 h"),
    "aj_7d": ("近7天", "Last 7 days"),
    "aj_count": ("共 {n} 条", "{n} alarms"),
    "aj_time": ("告警时间", "Raised"),
    "aj_level": ("级别", "Level"),
    "aj_message": ("告警内容", "Alarm"),
    "aj_by": ("确认人", "Acknowledged by"),
    "aj_at": ("确认时间", "Acknowledged at"),
    "aj_dept": ("处置部门", "Department"),
    "aj_note": ("处置说明 / 办结结果", "Note / result"),
    "aj_history": ("处置记录", "History"),
    "aj_ack": ("确认", "Acknowledge"),
    "aj_assign": ("派单…", "Assign…"),
    "aj_close": ("办结…", "Close…"),
    "aj_export": ("导出 CSV…", "Export CSV…"),
    "aj_open": ("查看现场", "Show where"),
    "aj_pending": ("待发送", "pending"),
    "aj_pending_n": ("{n} 项操作待发送（离线时保存在本机，恢复连接后自动发送）",
                     "{n} actions waiting to be sent (kept here while offline, sent when the link returns)"),
    "aj_refused": ("操作未被接受：{e}", "Action refused: {e}"),
    "aj_dept_label": ("处置部门", "Department"),
    "aj_note_label": ("处置要求", "Instructions"),
    "aj_result_label": ("办结结果", "Result"),
    "aj_need_result": ("请填写办结结果", "Enter the result"),
    "aj_ok": ("提交", "Submit"),
    "aj_cancel": ("取消", "Cancel"),
    "level_alarm": ("告警", "alarm"),
    "level_warn": ("预警", "warning"),
    "state_new": ("新告警", "New"),
    "state_acknowledged": ("已确认", "Acknowledged"),
    "state_assigned": ("处置中", "In progress"),
    "state_closed": ("已办结", "Closed"),
    "action_ack": ("确认", "Acknowledge"),
    "action_assign": ("派单", "Assign"),
    "action_close": ("办结", "Close"),
    "unacked_badge": ("未确认告警 {n}", "{n} unacknowledged alarms"),
    "scope": ("口径：{t}", "Scope: {t}"),
    "source": ("来源：{t}", "Source: {t}"),
    "cadence": ("更新频率：{t}", "Updated: {t}"),
    "no_rows": ("暂无数据", "Nothing to list"),
    "status_running": ("在产", "running"),
    "status_idle": ("待机", "idle"),
    "status_stopped": ("停产", "stopped"),
    "target": ("目标", "target"),
    "done_rate": ("完成率", "Done"),
    "share_total": ("合计", "Total"),
    "unit_caption": ("单位：{unit}", "Unit: {unit}"),
    "share_known_total": ("已知合计", "Known total"),
    "recent_alerts": ("最新告警", "Latest alerts"),
    "no_alerts": ("当前无告警", "No active alerts"),
    "chain_count": ("企业 {n} 家", "{n} enterprises"),
    "chain_output": ("产值 {v} 亿元", "output {v} 100M CNY"),
    "chain_anchors": ("链主/龙头：{a}", "Anchors: {a}"),
    "chain_gap": ("补链方向：{r}", "Gap to fill: {r}"),
    "chain_local": ("本地配套率 {p}%", "Local supply share {p}%"),
    "chain_projects": ("项目：{p}", "Projects: {p}"),
    "chain_targets": ("招引目标：{t}", "Targets to attract: {t}"),
    "proj_title": ("建链补链强链：项目与本地配套", "Chain projects and local supply"),
    "proj_stage_attracting": ("招引", "Courting"),
    "proj_stage_signed": ("签约", "Signed"),
    "proj_stage_building": ("在建", "Building"),
    "proj_stage_producing": ("投产", "Producing"),
    "proj_short_attracting": ("招", "C"),
    "proj_short_signed": ("签", "S"),
    "proj_short_building": ("建", "B"),
    "proj_short_producing": ("产", "P"),
    "proj_count": ("{n}项", "{n}"),
    "yi": ("亿元", "100M CNY"),
    "proj_local": ("全链本地配套率 {p}% · 项目总投资 {i} 亿元 · 未投产项目预计新增产值 {e} 亿元/年",
                   "Local supply share of the chain {p}% · projects {i} 100M CNY invested · "
                   "{e} 100M CNY/yr expected from projects not yet producing"),
    "proj_absent": ("接口未提供招引项目与本地配套率", "The platform sends no projects and no local supply share"),
    "proj_col_stage": ("链环节", "Stage"),
    "proj_col_local": ("本地配套率", "Local supply"),
    "proj_col_projects": ("项目数", "Projects"),
    "proj_col_projects_sub": ("招·签·建·产", "C·S·B·P"),
    "proj_col_invest": ("投资", "Investment"),
    "proj_col_output": ("预计产值", "Exp. output"),
    "yi_per_year": ("亿元/年", "100M CNY/yr"),
    "proj_gaps": ("补链招引：{n}个弱、缺环节", "Gaps to fill: {n} weak or missing links"),
    "proj_gap_line": ("{link}（{w}）配套{p}% · 项目 {c} · {i}亿元 → {t}",
                      "{link} ({w}) local {p}% · projects {c} · {i} 100M CNY → {t}"),
    "proj_simulated": ("{m}个项目中{n}个为模拟项目", "{n} of {m} projects simulated"),
    "twin_button": ("孪生视图", "Plant twin"),
    "twin_window": ("{n} · 孪生视图", "{n} · plant twin"),
    "twin_simulated": ("模拟数据 · 孪生为模拟", "Simulated twin"),
    "twin_none": ("该企业暂无孪生视图", "No plant twin for this enterprise"),
    "twin_state_running": ("运行", "running"),
    "twin_state_idle": ("待机", "idle"),
    "twin_state_stopped": ("停机", "stopped"),
    "twin_state_fault": ("故障", "fault"),
    "twin_state_cleaning": ("清洗", "cleaning"),
    "batch_title": ("年份酒批次核验", "Vintage batch verification"),
    "batch_placeholder": ("输入批次号", "Batch number"),
    "batch_check": ("核验", "Verify"),
    "batch_samples": ("近期核验批次", "Recently checked"),
    "batch_hint": ("输入批次号，核对标注酒龄与生产贮存记录", "Enter a batch number to check its labelled age against the records"),
    "batch_malformed": ("批次号格式不正确（4–32位大写字母、数字或短横线）", "Not a batch number (4–32 capitals, digits or dashes)"),
    "batch_unavailable": ("无法查询：未连接接口", "Cannot look up: no API"),
    "batch_looking": ("正在查询 {b} …", "Looking up {b} …"),
    "batch_unknown": ("查无此批次：该批次号没有生产记录", "No such batch: the number has no production record"),
    "batch_failed": ("查询失败：{e}", "Lookup failed: {e}"),
    "batch_history": ("贮存温度记录（月均，仅作参考）", "Storage temperature (monthly mean, evidence only)"),
    "batch_checks": ("核验依据", "What the verdict rests on"),
    "change_since_last": ("较上次", "vs last"),
    "batch_temp": ("温度 (°C)", "Temperature (°C)"),
    "batch_no": ("批次号", "Batch"),
    "batch_product": ("产品", "Product"),
    "batch_producer": ("生产企业", "Producer"),
    "batch_brewed": ("酿造日期", "Brewed on"),
    "batch_stored": ("入库贮存", "Stored since"),
    "batch_bottled": ("灌装日期", "Bottled on"),
    "batch_label_age": ("标注酒龄", "Age on label"),
    "batch_record_age": ("记录酒龄（加权）", "Age on record (weighted)"),
    "years": ("年", "years"),
    "verdict_consistent": ("与标注酒龄相符", "Consistent with the age on the label"),
    "verdict_inconsistent": ("与标注酒龄不符", "Not consistent with the age on the label"),
    "verdict_unverifiable": ("记录不全，无法核验", "Records incomplete: cannot be verified"),
    "enterprise_tab": ("企业码", "Enterprise code"),
    "ent_placeholder": ("输入企业名称或18位统一社会信用代码", "Enterprise name or 18-character credit code"),
    "ent_search": ("查询", "Search"),
    "ent_results": ("查询结果", "Results"),
    "ent_recent": ("最近查看", "Recently opened"),
    "ent_hint": ("输入企业名称或统一社会信用代码查询企业码；\n在排名或告警中点击企业也可打开其企业码",
                 "Search by name or credit code;\nclicking an enterprise in a ranking or an alert opens it here"),
    "ent_empty": ("请输入企业名称或代码", "Type a name or a code"),
    "ent_searching": ("正在查询“{q}” …", "Searching for “{q}” …"),
    "ent_loading": ("正在加载 {c} …", "Loading {c} …"),
    "ent_failed": ("查询失败：{e}", "Lookup failed: {e}"),
    "ent_none": ("没有名称或代码包含“{q}”的企业", "No enterprise name or code contains “{q}”"),
    "ent_found": ("找到 {n} 家企业", "{n} enterprises found"),
    "ent_found_some": ("找到 {n} 家企业，显示前 {k} 家", "{n} enterprises found, first {k} shown"),
    "ent_unknown": ("代码 {c} 校验正确，但平台没有该企业的记录", "The code {c} is well-formed but the platform has no such enterprise"),
    "ent_not_refreshed": ("未能刷新：{e}", "Not refreshed: {e}"),
    "ent_code": ("统一社会信用代码", "Credit code"),
    "ent_district": ("所在区县", "District"),
    "ent_brain": ("产业", "Industry"),
    "ent_as_of": ("实时 · 更新于 {t}", "Live · updated {t}"),
    "ent_benefits": ("可享受的政策", "Policy benefits it qualifies for"),
    "ent_no_benefits": ("暂无符合条件的政策", "No benefits it qualifies for"),
    "wan_yuan": ("万元", "10k CNY"),
    "cached_answer": ("（缓存结果，查询于 {t}；{e}）", "(cached answer from {t}; {e})"),
    # the F1 diagnostics overlay (cockpit/ui/diagnostics.py)
    "diag_title": ("诊断信息", "Diagnostics"),
    "diag_fps": ("帧率", "Frames/s"),
    "diag_ups": ("数据更新", "Updates/s"),
    "diag_latency": ("请求延迟", "Request latency"),
    "diag_latency_value": ("最近 {last} · p50 {p50} · p95 {p95} 毫秒（{n}次/分钟）", "last {last} · p50 {p50} · p95 {p95} ms ({n} in 1 min)"),
    "diag_latency_none": ("近一分钟无请求", "no request in the last minute"),
    "diag_memory": ("内存", "Memory"),
    "diag_uptime": ("运行时间", "Uptime"),
    "diag_collect_error": ("采集出错", "Collect failed"),
    "diag_per_s": ("{v} /秒", "{v} /s"),
    # display care (cockpit/ui/display_care.py)
    "care_asleep": ("显示已休眠 · {t}", "Display asleep · {t}"),
    # the settings dialog (cockpit/ui/settings_dialog.py)
    "settings_title": ("设置", "Settings"),
    "settings_file": ("配置文件：{p}", "Config file: {p}"),
    "settings_file_problems": ("配置文件中的问题（已改用默认值）：", "Problems in the config file (defaults used instead):"),
    "settings_from_default": ("默认值", "default"),
    "settings_from_file": ("配置文件", "from the config file"),
    "settings_from_env": ("环境变量 {v} 覆盖此项", "overridden by environment variable {v}"),
    "settings_from_cli": ("命令行 {v} 覆盖此项", "overridden by command line {v}"),
    "settings_restart_all": ("更改在驾驶舱重启后生效（标明“即时生效”的除外）。", "Changes take effect when the cockpit restarts (except those marked “live”)."),
    "settings_restart_these": ("需重启后生效：{k}", "Take effect after a restart: {k}"),
    "settings_live": ("即时生效", "live"),
    "settings_off": ("关闭", "off"),
    "settings_cannot_write": ("无法写入 {p}：{e}", "Cannot write {p}: {e}"),
    "settings_env": ("环境变量", "environment variable"),
    "settings_flag": ("命令行", "command line"),
    # exports: PNG/PDF/CSV (cockpit/ui/export.py)
    "export_app": ("产业大脑驾驶舱", "Industry Brain Cockpit"),
    "export_as_of": ("数据截至 {t}", "Data as of {t}"),
    "export_notes": ("数据口径与来源", "Scope and source of the figures"),
    "export_source": ("数据来源：{s}", "Source: {s}"),
    "export_exported": ("导出时间 {t}", "Exported {t}"),
    "export_time": ("时间", "Time"),
    "export_epoch_ms": ("时间戳(毫秒)", "epoch_ms"),
    "export_filter_png": ("PNG 图片 (*.png)", "PNG image (*.png)"),
    "export_filter_pdf": ("PDF 文档 (*.pdf)", "PDF document (*.pdf)"),
    "export_filter_csv": ("CSV 表格 (*.csv)", "CSV table (*.csv)"),
    "export_save_as": ("导出为", "Export as"),
    # tab rotation (cockpit/ui/rotation.py)
    "rotation_paused": ("暂停 · {t} 后继续", "paused · resumes in {t}"),
    # kiosk mode (cockpit/ui/kiosk.py)
    "kiosk_pin_title": ("输入 PIN 退出展示模式", "Enter the PIN to leave kiosk mode"),
    "kiosk_pin_hint": ("回车确认 · Esc 取消", "Enter to confirm · Esc to cancel"),
    "kiosk_pin_wrong": ("PIN 不正确，还可尝试 {n} 次", "Wrong PIN: {n} more tries"),
    "kiosk_pin_locked": ("PIN 错误次数过多，{t} 后再试", "Too many wrong PINs: try again in {t}"),
}

# Texts whose Chinese means something else elsewhere in the table: the disambiguation the
# translation file keeps them apart by (Qt's <comment>).
_CONTEXTS: dict[str, str] = {
    "export_time": "table column",
    "export_as_of": "export header",
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
    """The interface text ``key`` in ``lang`` (English from the translation file), formatted."""
    zh, en = _TEXT[key]
    if lang == "en":
        from cockpit.i18n import translate

        text = translate(zh, en, _CONTEXTS.get(key, ""))
    else:
        text = zh
    return text.format(**kw) if kw else text


def reason_text(reason: str, lang: str) -> str:
    """A link-failure reason in the interface language (unknown ones as they are)."""
    if lang == "en":
        return reason
    m = re.fullmatch(r"stream silent for ([\d.]+) s", reason)
    if m:
        return f"推送流 {m.group(1)} 秒无数据"
    return _REASONS_ZH.get(reason, reason)


# the platform's time zone (the catalog's ``time_zone``): every time on screen is in it,
# whatever this machine's zone
_ZONE: tzinfo = ZoneInfo("Asia/Shanghai")


def set_time_zone(name: str) -> None:
    """Show times in ``name`` (an IANA zone the catalog named; checked by the schema), in
    the texts and in the widgets (axes, alert times)."""
    global _ZONE
    _ZONE = ZoneInfo(name)
    widget_clock.set_zone(_ZONE)


def time_zone() -> tzinfo:
    return _ZONE


def local(ms: float) -> datetime:
    """An epoch-ms time as a date and time in the platform's zone."""
    return datetime.fromtimestamp(ms / 1000, _ZONE)


def clock(ms: int | None) -> str:
    """Wall-clock time HH:MM:SS (platform zone) of an epoch-ms timestamp; '—' if unknown."""
    if ms is None:
        return "—"
    return local(ms).strftime("%H:%M:%S")


def stamp(ms: int | None, now_ms: int | None = None) -> str:
    """HH:MM:SS for today (in the platform's zone), 'MM-DD HH:MM' for older data."""
    if ms is None:
        return "—"
    t = local(ms)
    today = local(now_ms if now_ms is not None else time.time() * 1000).date()
    if t.date() == today:
        return t.strftime("%H:%M:%S")
    return t.strftime("%m-%d %H:%M")


_PART_KEYS = {"metric": "part_metric", "panel": "part_panel", "cell": "part_cell", "alert": "part_alert"}


def problem_text(problem: object, lang: str, with_part: bool = True) -> str:
    """A part left out of a payload (``cockpit.api.tolerant.Problem``), short, in the
    interface language: "面板 ranking：为空（columns.0.unit.zh）"."""
    part, kind, field = (getattr(problem, a, "") for a in ("part", "kind", "field"))
    key = f"kind_{kind}"
    what = tr(key if key in _TEXT else "kind_invalid", lang)
    if field:
        what += f"（{field[:40]}）" if lang != "en" else f" ({field[:40]})"
    if not with_part:
        return what
    head, _, x = str(part).partition(":")
    where = tr(_PART_KEYS.get(head, "part_other"), lang, x=(x or head)[:60])
    return f"{where}：{what}" if lang != "en" else f"{where}: {what}"


_FUTURE_RE = re.compile(r"^snapshot time \d+ is (-?\d+) min in the future")
_CONTRACT_RE = re.compile(r"^(\w+) does not fit the contract: ([^:;]*)")


def reason_short(reason: str, lang: str) -> str:
    """A reason for the screen: the client's English phrases in the interface language, a
    validator's message cut to the field it names (never raw English validation text)."""
    m = _FUTURE_RE.match(reason)
    if m:
        return tr("future_snapshot", lang, n=m.group(1))
    m = _CONTRACT_RE.match(reason)
    if m:
        return tr("contract_error", lang, w=f"{m.group(1)} {m.group(2)}".strip()[:60])
    return reason_text(reason, lang)


widget_clock.set_zone(_ZONE)  # until a catalog names the platform's zone: its default


def plain_tip(text: str) -> str:
    """A tooltip that shows ``text`` as plain text: Qt guesses rich text from a tooltip's
    content, so a platform's "<img src=file:///…>" would load a local file. Escaped and
    wrapped, it is shown as the characters it is."""
    return "<p style='white-space:pre-wrap'>" + html.escape(text) + "</p>" if text else ""


def source_texts() -> dict[tuple[str, str], str]:
    """Every source text ((Chinese, disambiguation)) and the table's English: what the .ts
    file must hold."""
    return {(zh, _CONTEXTS.get(key, "")): en for key, (zh, en) in _TEXT.items()}


if __name__ == "__main__":  # make translations: the .ts in step with this table, then the .qm
    import sys

    from cockpit import i18n

    added, removed = i18n.update_ts(source_texts())
    print(f"{i18n.ts_path()}: {added} added, {removed} removed")
    if "--compile" in sys.argv:
        print(f"compiled {i18n.compile_qm()}")
