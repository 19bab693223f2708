<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_GB" sourcelanguage="zh_CN">
  <context>
    <name>cockpit</name>
    <message>
      <source>产业大脑驾驶舱</source>
      <translation>Industry Brain Cockpit</translation>
    </message>
    <message>
      <source>正在连接</source>
      <translation>Connecting</translation>
    </message>
    <message>
      <source>在线</source>
      <translation>Live</translation>
    </message>
    <message>
      <source>离线</source>
      <translation>Offline</translation>
    </message>
    <message>
      <source>轮询</source>
      <translation>polling</translation>
    </message>
    <message>
      <source>实时推送</source>
      <translation>push stream</translation>
    </message>
    <message>
      <source>更新于 {t}</source>
      <translation>updated {t}</translation>
    </message>
    <message>
      <source>数据截至 {t}</source>
      <translation>data as of {t}</translation>
    </message>
    <message>
      <source>数据时间 {t}</source>
      <translation>Data time {t}</translation>
    </message>
    <message>
      <source>前 {n} 名 · 共 {total}</source>
      <translation>top {n} of {total}</translation>
    </message>
    <message>
      <source>无数据</source>
      <translation>No data</translation>
    </message>
    <message>
      <source>数据过时</source>
      <translation>Stale</translation>
    </message>
    <message>
      <source>数据异常</source>
      <translation>Data problem</translation>
    </message>
    <message>
      <source>离线 · 数据截至 {t}</source>
      <translation>Offline · data as of {t}</translation>
    </message>
    <message>
      <source>数据过时 · 截至 {t}</source>
      <translation>Stale · as of {t}</translation>
    </message>
    <message>
      <source>缓存 · 数据截至 {t}</source>
      <translation>Cached · data as of {t}</translation>
    </message>
    <message>
      <source>离线 · 显示缓存数据（截至 {t}）· 正在自动重试</source>
      <translation>Offline · showing cached data (as of {t}) · retrying</translation>
    </message>
    <message>
      <source>正在连接 · 显示缓存数据（截至 {t}）</source>
      <translation>Connecting · showing cached data (as of {t})</translation>
    </message>
    <message>
      <source>缓存：{n}</source>
      <translation>Cache: {n}</translation>
    </message>
    <message>
      <source>数据异常 · 截至 {t}</source>
      <translation>Rejected data · as of {t}</translation>
    </message>
    <message>
      <source>数据异常：{r}</source>
      <translation>Data problem: {r}</translation>
    </message>
    <message>
      <source>数据异常 {n} 处</source>
      <translation>{n} data problems</translation>
    </message>
    <message>
      <source>平台没有“{t}”这一页，显示首页</source>
      <translation>The platform has no tab “{t}”: showing the first</translation>
    </message>
    <message>
      <source>缺少字段</source>
      <translation>missing field</translation>
    </message>
    <message>
      <source>为空</source>
      <translation>empty</translation>
    </message>
    <message>
      <source>过长</source>
      <translation>too long</translation>
    </message>
    <message>
      <source>条目过多</source>
      <translation>too many items</translation>
    </message>
    <message>
      <source>格式不符</source>
      <translation>wrong format</translation>
    </message>
    <message>
      <source>取值不在规范内</source>
      <translation>value not in the contract</translation>
    </message>
    <message>
      <source>不是有效数字</source>
      <translation>not a valid number</translation>
    </message>
    <message>
      <source>超出范围</source>
      <translation>out of range</translation>
    </message>
    <message>
      <source>类型不符</source>
      <translation>wrong type</translation>
    </message>
    <message>
      <source>时间格式不符</source>
      <translation>not a time</translation>
    </message>
    <message>
      <source>时间在未来</source>
      <translation>time in the future</translation>
    </message>
    <message>
      <source>不符合接口规范</source>
      <translation>does not fit the contract</translation>
    </message>
    <message>
      <source>指标 {x}</source>
      <translation>metric {x}</translation>
    </message>
    <message>
      <source>面板 {x}</source>
      <translation>panel {x}</translation>
    </message>
    <message>
      <source>单元格 {x}</source>
      <translation>cell {x}</translation>
    </message>
    <message>
      <source>告警 {x}</source>
      <translation>alert {x}</translation>
    </message>
    <message>
      <source>{x}</source>
      <translation>{x}</translation>
    </message>
    <message>
      <source>时间超前本机时钟 {n} 分钟（平台时钟或时区有误）</source>
      <translation>time {n} min ahead of this machine's clock (platform clock or time zone wrong)</translation>
    </message>
    <message>
      <source>数据不符合接口规范（{w}）</source>
      <translation>does not fit the contract ({w})</translation>
    </message>
    <message>
      <source>等待数据</source>
      <translation>Waiting for data</translation>
    </message>
    <message>
      <source>{name} · 趋势</source>
      <translation>{name} · trend</translation>
    </message>
    <message>
      <source>同比</source>
      <translation>y/y</translation>
    </message>
    <message>
      <source>环比</source>
      <translation>m/m</translation>
    </message>
    <message>
      <source>一键获取</source>
      <translation>Apply</translation>
    </message>
    <message>
      <source>可申请</source>
      <translation>Available</translation>
    </message>
    <message>
      <source>已申请</source>
      <translation>Applied</translation>
    </message>
    <message>
      <source>审核中</source>
      <translation>Under review</translation>
    </message>
    <message>
      <source>已兑现</source>
      <translation>Granted</translation>
    </message>
    <message>
      <source>不予支持</source>
      <translation>Refused</translation>
    </message>
    <message>
      <source>待发送</source>
      <translation>pending</translation>
    </message>
    <message>
      <source>申请功能尚未就绪（未连接告警处置通道）</source>
      <translation>Applying is not available yet</translation>
    </message>
    <message>
      <source>24小时</source>
      <translation>24 h</translation>
    </message>
    <message>
      <source>今日</source>
      <translation>Today</translation>
    </message>
    <message>
      <source>近7天</source>
      <translation>Last 7 days</translation>
    </message>
    <message>
      <source>本月</source>
      <translation>Month</translation>
    </message>
    <message>
      <source>本年</source>
      <translation>Year</translation>
    </message>
    <message>
      <source>去年同期</source>
      <translation>Same period last year</translation>
    </message>
    <message>
      <source>缓存 · 取于 {t}</source>
      <translation>Cached · fetched {t}</translation>
    </message>
    <message>
      <source>未能取得该时段：{r}</source>
      <translation>Period not loaded: {r}</translation>
    </message>
    <message>
      <source>该时段无数据（超出平台保存期限）</source>
      <translation>No data for this period (beyond what the platform keeps)</translation>
    </message>
    <message>
      <source>平台未提供历史数据</source>
      <translation>The platform keeps no history</translation>
    </message>
    <message>
      <source>‹ 返回</source>
      <translation>‹ Back</translation>
    </message>
    <message>
      <source>总览</source>
      <translation>Overview</translation>
    </message>
    <message>
      <source>正在加载…</source>
      <translation>Loading…</translation>
    </message>
    <message>
      <source>平台上没有这一项</source>
      <translation>The platform has no such item</translation>
    </message>
    <message>
      <source>离线时无法查看：此前未查询过，本机没有缓存（{e}）</source>
      <translation>Not available offline: never looked up before, nothing cached here ({e})</translation>
    </message>
    <message>
      <source>离线时无法查看</source>
      <translation>Not available offline</translation>
    </message>
    <message>
      <source>此驾驶舱未连接数据平台</source>
      <translation>This cockpit has no data platform</translation>
    </message>
    <message>
      <source>回放中：此处为当前数据</source>
      <translation>Replay: this view shows current data</translation>
    </message>
    <message>
      <source>产业</source>
      <translation>Industry</translation>
    </message>
    <message>
      <source>企业数</source>
      <translation>Enterprises</translation>
    </message>
    <message>
      <source>家</source>
      <translation>firms</translation>
    </message>
    <message>
      <source>在产企业</source>
      <translation>Running</translation>
    </message>
    <message>
      <source>主要指标</source>
      <translation>Leading figure</translation>
    </message>
    <message>
      <source>占全市</source>
      <translation>Share of city</translation>
    </message>
    <message>
      <source>告警数</source>
      <translation>Alerts</translation>
    </message>
    <message>
      <source>企业</source>
      <translation>Enterprise</translation>
    </message>
    <message>
      <source>状态</source>
      <translation>State</translation>
    </message>
    <message>
      <source>各产业（点击查看本区县该产业）</source>
      <translation>By industry (click to open it in this district)</translation>
    </message>
    <message>
      <source>当前告警</source>
      <translation>Active alerts</translation>
    </message>
    <message>
      <source>当前告警（{n}）</source>
      <translation>Active alerts ({n})</translation>
    </message>
    <message>
      <source>辖区企业（共{n}家）</source>
      <translation>Enterprises here ({n})</translation>
    </message>
    <message>
      <source>辖区企业（共{n}家，显示最大的{k}家）</source>
      <translation>Enterprises here ({n}, the largest {k} shown)</translation>
    </message>
    <message>
      <source>{n}家</source>
      <translation>{n} firms</translation>
    </message>
    <message>
      <source>环节强弱</source>
      <translation>Link strength</translation>
    </message>
    <message>
      <source>强</source>
      <translation>strong</translation>
    </message>
    <message>
      <source>弱</source>
      <translation>weak</translation>
    </message>
    <message>
      <source>缺失</source>
      <translation>missing</translation>
    </message>
    <message>
      <source>年产值</source>
      <translation>Yearly output</translation>
    </message>
    <message>
      <source>亿元</source>
      <translation>100M CNY</translation>
    </message>
    <message>
      <source>龙头企业</source>
      <translation>Anchor enterprises</translation>
    </message>
    <message>
      <source>补链原因：{r}</source>
      <translation>Gap to fill: {r}</translation>
    </message>
    <message>
      <source>强链环节：本地配套充足</source>
      <translation>A strong link: enough local supply</translation>
    </message>
    <message>
      <source>本环节企业（{n}家，点击查看企业码）</source>
      <translation>Enterprises on this link ({n}; click for the enterprise code)</translation>
    </message>
    <message>
      <source>接口</source>
      <translation>API</translation>
    </message>
    <message>
      <source>告警 {n}</source>
      <translation>Alerts {n}</translation>
    </message>
    <message>
      <source>接口未列出任何产业大脑</source>
      <translation>The API lists no brains</translation>
    </message>
    <message>
      <source>内置模拟接口</source>
      <translation>embedded simulator</translation>
    </message>
    <message>
      <source>无法连接中央接口</source>
      <translation>Cannot reach the central API</translation>
    </message>
    <message>
      <source>中央接口已应答，但目录不符合接口规范</source>
      <translation>The central API answered, but its catalog does not fit the contract</translation>
    </message>
    <message>
      <source>正在自动重试，恢复后立即显示数据</source>
      <translation>Retrying automatically; data appears as soon as it answers</translation>
    </message>
    <message>
      <source>原因：{r}</source>
      <translation>Reason: {r}</translation>
    </message>
    <message>
      <source>布局文件有误，已改用自动布局：{e}</source>
      <translation>Layout file not used, automatic layout shown: {e}</translation>
    </message>
    <message>
      <source>第{n}行</source>
      <translation>line {n}:</translation>
    </message>
    <message>
      <source>文件</source>
      <translation>File</translation>
    </message>
    <message>
      <source>视图</source>
      <translation>View</translation>
    </message>
    <message>
      <source>帮助</source>
      <translation>Help</translation>
    </message>
    <message>
      <source>导出当前页为 PNG…</source>
      <translation>Export this tab as PNG…</translation>
    </message>
    <message>
      <source>导出当前页为 PDF…</source>
      <translation>Export this tab as PDF…</translation>
    </message>
    <message>
      <source>导出图表数据为 CSV…</source>
      <translation>Export chart data as CSV…</translation>
    </message>
    <message>
      <source>设置…</source>
      <translation>Settings…</translation>
    </message>
    <message>
      <source>退出</source>
      <translation>Quit</translation>
    </message>
    <message>
      <source>下一页</source>
      <translation>Next tab</translation>
    </message>
    <message>
      <source>上一页</source>
      <translation>Previous tab</translation>
    </message>
    <message>
      <source>全屏</source>
      <translation>Full screen</translation>
    </message>
    <message>
      <source>展示模式（kiosk）</source>
      <translation>Kiosk mode</translation>
    </message>
    <message>
      <source>暂停 / 继续轮播</source>
      <translation>Pause / resume rotation</translation>
    </message>
    <message>
      <source>轮播下一页</source>
      <translation>Rotate to next</translation>
    </message>
    <message>
      <source>主题</source>
      <translation>Theme</translation>
    </message>
    <message>
      <source>深色指挥中心</source>
      <translation>Dark command center</translation>
    </message>
    <message>
      <source>浅色办公</source>
      <translation>Light office</translation>
    </message>
    <message>
      <source>高对比度</source>
      <translation>High contrast</translation>
    </message>
    <message>
      <source>语言</source>
      <translation>Language</translation>
    </message>
    <message>
      <source>诊断信息</source>
      <translation>Diagnostics</translation>
    </message>
    <message>
      <source>关于</source>
      <translation>About</translation>
    </message>
    <message>
      <source>连接</source>
      <translation>Link</translation>
    </message>
    <message>
      <source>最近更新</source>
      <translation>Last update</translation>
    </message>
    <message>
      <source>缓存</source>
      <translation>Cache</translation>
    </message>
    <message>
      <source>内存缓存（不写盘）</source>
      <translation>in memory (nothing on disk)</translation>
    </message>
    <message>
      <source>心跳上报</source>
      <translation>Heartbeat</translation>
    </message>
    <message>
      <source>看门狗</source>
      <translation>Watchdog</translation>
    </message>
    <message>
      <source>界面卡顿 {n} 次</source>
      <translation>{n} UI stalls</translation>
    </message>
    <message>
      <source>内存持续增长 {mb} MB / {h} 小时</source>
      <translation>memory grew {mb} MB in {h} h</translation>
    </message>
    <message>
      <source>{t} 定时重启</source>
      <translation>restart at {t}</translation>
    </message>
    <message>
      <source>轮播</source>
      <translation>Rotation</translation>
    </message>
    <message>
      <source>已暂停</source>
      <translation>paused</translation>
    </message>
    <message>
      <source>当前页没有图表，无可导出的数据</source>
      <translation>This tab has no chart: no data to export</translation>
    </message>
    <message>
      <source>导出失败</source>
      <translation>Export failed</translation>
    </message>
    <message>
      <source>已导出：{p}</source>
      <translation>Exported: {p}</translation>
    </message>
    <message>
      <source>告警处置台账…</source>
      <translation>Alarm journal…</translation>
    </message>
    <message>
      <source>告警处置台账</source>
      <translation>Alarm journal</translation>
    </message>
    <message>
      <source>大脑</source>
      <translation>Brain</translation>
    </message>
    <message>
      <source>区县</source>
      <translation>District</translation>
    </message>
    <message>
      <source>时间回放…</source>
      <translation>Time travel…</translation>
    </message>
    <message>
      <source>回放 · {t}</source>
      <translation>Replay · {t}</translation>
    </message>
    <message>
      <source>选择时刻回看大屏当时的画面</source>
      <translation>Pick a moment to see the screens as they were</translation>
    </message>
    <message>
      <source>跳转</source>
      <translation>Go</translation>
    </message>
    <message>
      <source>播放</source>
      <translation>Play</translation>
    </message>
    <message>
      <source>暂停</source>
      <translation>Pause</translation>
    </message>
    <message>
      <source>回到实时</source>
      <translation>Back to live</translation>
    </message>
    <message>
      <source>加载中</source>
      <translation>loading</translation>
    </message>
    <message>
      <source>{n} 个大脑该时刻无数据</source>
      <translation>{n} brains have no data for that moment</translation>
    </message>
    <message>
      <source>该时刻无数据（超出平台保存期限）</source>
      <translation>No data for that moment (beyond what the platform keeps)</translation>
    </message>
    <message>
      <source>时间</source>
      <translation>Period</translation>
    </message>
    <message>
      <source>全部</source>
      <translation>All</translation>
    </message>
    <message>
      <source>近24小时</source>
      <translation>Last 24 h</translation>
    </message>
    <message>
      <source>共 {n} 条</source>
      <translation>{n} alarms</translation>
    </message>
    <message>
      <source>告警时间</source>
      <translation>Raised</translation>
    </message>
    <message>
      <source>级别</source>
      <translation>Level</translation>
    </message>
    <message>
      <source>告警内容</source>
      <translation>Alarm</translation>
    </message>
    <message>
      <source>确认人</source>
      <translation>Acknowledged by</translation>
    </message>
    <message>
      <source>确认时间</source>
      <translation>Acknowledged at</translation>
    </message>
    <message>
      <source>处置部门</source>
      <translation>Department</translation>
    </message>
    <message>
      <source>处置说明 / 办结结果</source>
      <translation>Note / result</translation>
    </message>
    <message>
      <source>处置记录</source>
      <translation>History</translation>
    </message>
    <message>
      <source>确认</source>
      <translation>Acknowledge</translation>
    </message>
    <message>
      <source>派单…</source>
      <translation>Assign…</translation>
    </message>
    <message>
      <source>办结…</source>
      <translation>Close…</translation>
    </message>
    <message>
      <source>导出 CSV…</source>
      <translation>Export CSV…</translation>
    </message>
    <message>
      <source>查看现场</source>
      <translation>Show where</translation>
    </message>
    <message>
      <source>{n} 项操作待发送（离线时保存在本机，恢复连接后自动发送）</source>
      <translation>{n} actions waiting to be sent (kept here while offline, sent when the link returns)</translation>
    </message>
    <message>
      <source>操作未被接受：{e}</source>
      <translation>Action refused: {e}</translation>
    </message>
    <message>
      <source>处置要求</source>
      <translation>Instructions</translation>
    </message>
    <message>
      <source>办结结果</source>
      <translation>Result</translation>
    </message>
    <message>
      <source>请填写办结结果</source>
      <translation>Enter the result</translation>
    </message>
    <message>
      <source>提交</source>
      <translation>Submit</translation>
    </message>
    <message>
      <source>取消</source>
      <translation>Cancel</translation>
    </message>
    <message>
      <source>告警</source>
      <translation>alarm</translation>
    </message>
    <message>
      <source>预警</source>
      <translation>warning</translation>
    </message>
    <message>
      <source>新告警</source>
      <translation>New</translation>
    </message>
    <message>
      <source>已确认</source>
      <translation>Acknowledged</translation>
    </message>
    <message>
      <source>处置中</source>
      <translation>In progress</translation>
    </message>
    <message>
      <source>已办结</source>
      <translation>Closed</translation>
    </message>
    <message>
      <source>派单</source>
      <translation>Assign</translation>
    </message>
    <message>
      <source>办结</source>
      <translation>Close</translation>
    </message>
    <message>
      <source>未确认告警 {n}</source>
      <translation>{n} unacknowledged alarms</translation>
    </message>
    <message>
      <source>口径：{t}</source>
      <translation>Scope: {t}</translation>
    </message>
    <message>
      <source>来源：{t}</source>
      <translation>Source: {t}</translation>
    </message>
    <message>
      <source>更新频率：{t}</source>
      <translation>Updated: {t}</translation>
    </message>
    <message>
      <source>暂无数据</source>
      <translation>Nothing to list</translation>
    </message>
    <message>
      <source>在产</source>
      <translation>running</translation>
    </message>
    <message>
      <source>待机</source>
      <translation>idle</translation>
    </message>
    <message>
      <source>停产</source>
      <translation>stopped</translation>
    </message>
    <message>
      <source>目标</source>
      <translation>target</translation>
    </message>
    <message>
      <source>完成率</source>
      <translation>Done</translation>
    </message>
    <message>
      <source>合计</source>
      <translation>Total</translation>
    </message>
    <message>
      <source>单位：{unit}</source>
      <translation>Unit: {unit}</translation>
    </message>
    <message>
      <source>已知合计</source>
      <translation>Known total</translation>
    </message>
    <message>
      <source>最新告警</source>
      <translation>Latest alerts</translation>
    </message>
    <message>
      <source>当前无告警</source>
      <translation>No active alerts</translation>
    </message>
    <message>
      <source>企业 {n} 家</source>
      <translation>{n} enterprises</translation>
    </message>
    <message>
      <source>产值 {v} 亿元</source>
      <translation>output {v} 100M CNY</translation>
    </message>
    <message>
      <source>链主/龙头：{a}</source>
      <translation>Anchors: {a}</translation>
    </message>
    <message>
      <source>补链方向：{r}</source>
      <translation>Gap to fill: {r}</translation>
    </message>
    <message>
      <source>本地配套率 {p}%</source>
      <translation>Local supply share {p}%</translation>
    </message>
    <message>
      <source>项目：{p}</source>
      <translation>Projects: {p}</translation>
    </message>
    <message>
      <source>招引目标：{t}</source>
      <translation>Targets to attract: {t}</translation>
    </message>
    <message>
      <source>建链补链强链：项目与本地配套</source>
      <translation>Chain projects and local supply</translation>
    </message>
    <message>
      <source>招引</source>
      <translation>Courting</translation>
    </message>
    <message>
      <source>签约</source>
      <translation>Signed</translation>
    </message>
    <message>
      <source>在建</source>
      <translation>Building</translation>
    </message>
    <message>
      <source>投产</source>
      <translation>Producing</translation>
    </message>
    <message>
      <source>招</source>
      <translation>C</translation>
    </message>
    <message>
      <source>签</source>
      <translation>S</translation>
    </message>
    <message>
      <source>建</source>
      <translation>B</translation>
    </message>
    <message>
      <source>产</source>
      <translation>P</translation>
    </message>
    <message>
      <source>{n}项</source>
      <translation>{n}</translation>
    </message>
    <message>
      <source>全链本地配套率 {p}% · 项目总投资 {i} 亿元 · 未投产项目预计新增产值 {e} 亿元/年</source>
      <translation>Local supply share of the chain {p}% · projects {i} 100M CNY invested · {e} 100M CNY/yr expected from projects not yet producing</translation>
    </message>
    <message>
      <source>接口未提供招引项目与本地配套率</source>
      <translation>The platform sends no projects and no local supply share</translation>
    </message>
    <message>
      <source>链环节</source>
      <translation>Stage</translation>
    </message>
    <message>
      <source>本地配套率</source>
      <translation>Local supply</translation>
    </message>
    <message>
      <source>项目数</source>
      <translation>Projects</translation>
    </message>
    <message>
      <source>招·签·建·产</source>
      <translation>C·S·B·P</translation>
    </message>
    <message>
      <source>投资</source>
      <translation>Investment</translation>
    </message>
    <message>
      <source>预计产值</source>
      <translation>Exp. output</translation>
    </message>
    <message>
      <source>亿元/年</source>
      <translation>100M CNY/yr</translation>
    </message>
    <message>
      <source>补链招引：{n}个弱、缺环节</source>
      <translation>Gaps to fill: {n} weak or missing links</translation>
    </message>
    <message>
      <source>{link}（{w}）配套{p}% · 项目 {c} · {i}亿元 → {t}</source>
      <translation>{link} ({w}) local {p}% · projects {c} · {i} 100M CNY → {t}</translation>
    </message>
    <message>
      <source>{m}个项目中{n}个为模拟项目</source>
      <translation>{n} of {m} projects simulated</translation>
    </message>
    <message>
      <source>孪生视图</source>
      <translation>Plant twin</translation>
    </message>
    <message>
      <source>{n} · 孪生视图</source>
      <translation>{n} · plant twin</translation>
    </message>
    <message>
      <source>模拟数据 · 孪生为模拟</source>
      <translation>Simulated twin</translation>
    </message>
    <message>
      <source>该企业暂无孪生视图</source>
      <translation>No plant twin for this enterprise</translation>
    </message>
    <message>
      <source>运行</source>
      <translation>running</translation>
    </message>
    <message>
      <source>停机</source>
      <translation>stopped</translation>
    </message>
    <message>
      <source>故障</source>
      <translation>fault</translation>
    </message>
    <message>
      <source>清洗</source>
      <translation>cleaning</translation>
    </message>
    <message>
      <source>年份酒批次核验</source>
      <translation>Vintage batch verification</translation>
    </message>
    <message>
      <source>输入批次号</source>
      <translation>Batch number</translation>
    </message>
    <message>
      <source>核验</source>
      <translation>Verify</translation>
    </message>
    <message>
      <source>近期核验批次</source>
      <translation>Recently checked</translation>
    </message>
    <message>
      <source>输入批次号，核对标注酒龄与生产贮存记录</source>
      <translation>Enter a batch number to check its labelled age against the records</translation>
    </message>
    <message>
      <source>批次号格式不正确（4–32位大写字母、数字或短横线）</source>
      <translation>Not a batch number (4–32 capitals, digits or dashes)</translation>
    </message>
    <message>
      <source>无法查询：未连接接口</source>
      <translation>Cannot look up: no API</translation>
    </message>
    <message>
      <source>正在查询 {b} …</source>
      <translation>Looking up {b} …</translation>
    </message>
    <message>
      <source>查无此批次：该批次号没有生产记录</source>
      <translation>No such batch: the number has no production record</translation>
    </message>
    <message>
      <source>查询失败：{e}</source>
      <translation>Lookup failed: {e}</translation>
    </message>
    <message>
      <source>贮存温度记录（月均，仅作参考）</source>
      <translation>Storage temperature (monthly mean, evidence only)</translation>
    </message>
    <message>
      <source>核验依据</source>
      <translation>What the verdict rests on</translation>
    </message>
    <message>
      <source>较上次</source>
      <translation>vs last</translation>
    </message>
    <message>
      <source>温度 (°C)</source>
      <translation>Temperature (°C)</translation>
    </message>
    <message>
      <source>批次号</source>
      <translation>Batch</translation>
    </message>
    <message>
      <source>产品</source>
      <translation>Product</translation>
    </message>
    <message>
      <source>生产企业</source>
      <translation>Producer</translation>
    </message>
    <message>
      <source>酿造日期</source>
      <translation>Brewed on</translation>
    </message>
    <message>
      <source>入库贮存</source>
      <translation>Stored since</translation>
    </message>
    <message>
      <source>灌装日期</source>
      <translation>Bottled on</translation>
    </message>
    <message>
      <source>标注酒龄</source>
      <translation>Age on label</translation>
    </message>
    <message>
      <source>记录酒龄（加权）</source>
      <translation>Age on record (weighted)</translation>
    </message>
    <message>
      <source>年</source>
      <translation>years</translation>
    </message>
    <message>
      <source>与标注酒龄相符</source>
      <translation>Consistent with the age on the label</translation>
    </message>
    <message>
      <source>与标注酒龄不符</source>
      <translation>Not consistent with the age on the label</translation>
    </message>
    <message>
      <source>记录不全，无法核验</source>
      <translation>Records incomplete: cannot be verified</translation>
    </message>
    <message>
      <source>企业码</source>
      <translation>Enterprise code</translation>
    </message>
    <message>
      <source>输入企业名称或18位统一社会信用代码</source>
      <translation>Enterprise name or 18-character credit code</translation>
    </message>
    <message>
      <source>查询</source>
      <translation>Search</translation>
    </message>
    <message>
      <source>查询结果</source>
      <translation>Results</translation>
    </message>
    <message>
      <source>最近查看</source>
      <translation>Recently opened</translation>
    </message>
    <message>
      <source>输入企业名称或统一社会信用代码查询企业码；
在排名或告警中点击企业也可打开其企业码</source>
      <translation>Search by name or credit code;
clicking an enterprise in a ranking or an alert opens it here</translation>
    </message>
    <message>
      <source>请输入企业名称或代码</source>
      <translation>Type a name or a code</translation>
    </message>
    <message>
      <source>正在查询“{q}” …</source>
      <translation>Searching for “{q}” …</translation>
    </message>
    <message>
      <source>正在加载 {c} …</source>
      <translation>Loading {c} …</translation>
    </message>
    <message>
      <source>没有名称或代码包含“{q}”的企业</source>
      <translation>No enterprise name or code contains “{q}”</translation>
    </message>
    <message>
      <source>找到 {n} 家企业</source>
      <translation>{n} enterprises found</translation>
    </message>
    <message>
      <source>找到 {n} 家企业，显示前 {k} 家</source>
      <translation>{n} enterprises found, first {k} shown</translation>
    </message>
    <message>
      <source>代码 {c} 校验正确，但平台没有该企业的记录</source>
      <translation>The code {c} is well-formed but the platform has no such enterprise</translation>
    </message>
    <message>
      <source>未能刷新：{e}</source>
      <translation>Not refreshed: {e}</translation>
    </message>
    <message>
      <source>统一社会信用代码</source>
      <translation>Credit code</translation>
    </message>
    <message>
      <source>所在区县</source>
      <translation>District</translation>
    </message>
    <message>
      <source>实时 · 更新于 {t}</source>
      <translation>Live · updated {t}</translation>
    </message>
    <message>
      <source>可享受的政策</source>
      <translation>Policy benefits it qualifies for</translation>
    </message>
    <message>
      <source>暂无符合条件的政策</source>
      <translation>No benefits it qualifies for</translation>
    </message>
    <message>
      <source>万元</source>
      <translation>10k CNY</translation>
    </message>
    <message>
      <source>（缓存结果，查询于 {t}；{e}）</source>
      <translation>(cached answer from {t}; {e})</translation>
    </message>
    <message>
      <source>帧率</source>
      <translation>Frames/s</translation>
    </message>
    <message>
      <source>数据更新</source>
      <translation>Updates/s</translation>
    </message>
    <message>
      <source>请求延迟</source>
      <translation>Request latency</translation>
    </message>
    <message>
      <source>最近 {last} · p50 {p50} · p95 {p95} 毫秒（{n}次/分钟）</source>
      <translation>last {last} · p50 {p50} · p95 {p95} ms ({n} in 1 min)</translation>
    </message>
    <message>
      <source>近一分钟无请求</source>
      <translation>no request in the last minute</translation>
    </message>
    <message>
      <source>内存</source>
      <translation>Memory</translation>
    </message>
    <message>
      <source>运行时间</source>
      <translation>Uptime</translation>
    </message>
    <message>
      <source>采集出错</source>
      <translation>Collect failed</translation>
    </message>
    <message>
      <source>{v} /秒</source>
      <translation>{v} /s</translation>
    </message>
    <message>
      <source>显示已休眠 · {t}</source>
      <translation>Display asleep · {t}</translation>
    </message>
    <message>
      <source>设置</source>
      <translation>Settings</translation>
    </message>
    <message>
      <source>配置文件：{p}</source>
      <translation>Config file: {p}</translation>
    </message>
    <message>
      <source>配置文件中的问题（已改用默认值）：</source>
      <translation>Problems in the config file (defaults used instead):</translation>
    </message>
    <message>
      <source>默认值</source>
      <translation>default</translation>
    </message>
    <message>
      <source>配置文件</source>
      <translation>from the config file</translation>
    </message>
    <message>
      <source>环境变量 {v} 覆盖此项</source>
      <translation>overridden by environment variable {v}</translation>
    </message>
    <message>
      <source>命令行 {v} 覆盖此项</source>
      <translation>overridden by command line {v}</translation>
    </message>
    <message>
      <source>更改在驾驶舱重启后生效（标明“即时生效”的除外）。</source>
      <translation>Changes take effect when the cockpit restarts (except those marked “live”).</translation>
    </message>
    <message>
      <source>需重启后生效：{k}</source>
      <translation>Take effect after a restart: {k}</translation>
    </message>
    <message>
      <source>即时生效</source>
      <translation>live</translation>
    </message>
    <message>
      <source>关闭</source>
      <translation>off</translation>
    </message>
    <message>
      <source>无法写入 {p}：{e}</source>
      <translation>Cannot write {p}: {e}</translation>
    </message>
    <message>
      <source>环境变量</source>
      <translation>environment variable</translation>
    </message>
    <message>
      <source>命令行</source>
      <translation>command line</translation>
    </message>
    <message>
      <source>数据截至 {t}</source>
      <comment>export header</comment>
      <translation>Data as of {t}</translation>
    </message>
    <message>
      <source>数据口径与来源</source>
      <translation>Scope and source of the figures</translation>
    </message>
    <message>
      <source>数据来源：{s}</source>
      <translation>Source: {s}</translation>
    </message>
    <message>
      <source>导出时间 {t}</source>
      <translation>Exported {t}</translation>
    </message>
    <message>
      <source>时间</source>
      <comment>table column</comment>
      <translation>Time</translation>
    </message>
    <message>
      <source>时间戳(毫秒)</source>
      <translation>epoch_ms</translation>
    </message>
    <message>
      <source>PNG 图片 (*.png)</source>
      <translation>PNG image (*.png)</translation>
    </message>
    <message>
      <source>PDF 文档 (*.pdf)</source>
      <translation>PDF document (*.pdf)</translation>
    </message>
    <message>
      <source>CSV 表格 (*.csv)</source>
      <translation>CSV table (*.csv)</translation>
    </message>
    <message>
      <source>导出为</source>
      <translation>Export as</translation>
    </message>
    <message>
      <source>暂停 · {t} 后继续</source>
      <translation>paused · resumes in {t}</translation>
    </message>
    <message>
      <source>输入 PIN 退出展示模式</source>
      <translation>Enter the PIN to leave kiosk mode</translation>
    </message>
    <message>
      <source>回车确认 · Esc 取消</source>
      <translation>Enter to confirm · Esc to cancel</translation>
    </message>
    <message>
      <source>PIN 不正确，还可尝试 {n} 次</source>
      <translation>Wrong PIN: {n} more tries</translation>
    </message>
    <message>
      <source>PIN 错误次数过多，{t} 后再试</source>
      <translation>Too many wrong PINs: try again in {t}</translation>
    </message>
  </context>
</TS>
