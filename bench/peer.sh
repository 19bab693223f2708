#!/usr/bin/env bash
# The peer benchmark of ../shared/bench/peer with this cockpit as the third peer:
# ECharts in headless Chromium, the bare PySide6+pyqtgraph "Qt floor", and
# `cockpit --bench SPEC --cache FILE`: the same workload through the path a user runs —
# the embedded central API pushing at the spec's rate over HTTP (SSE), the client, the
# hub, the offline cache (a real SQLite file, every update written through) and the widgets.
#
#   bench/peer.sh                      1 Hz default workload, 60 s each peer
#   bench/peer.sh 10hz                 10 Hz
#   REPEAT=2 bench/peer.sh             twice each
#   bench/peer.sh default duration_s=10   quick check
#
# Before the measured runs, one unmeasured `cockpit --bench` run fills the cache file (the
# charts' window from /series, then a few seconds live), so every measured run starts as
# a wall PC does: values and charts from the cache first. At the end it prints the
# cockpit's own counters, its time to the first frame with cached values beside the Qt
# floor's time to its first frame (bench/first_frame.py: 3 runs each, alternating), the ratios to
# ECharts against the targets, and the machine's load average before and after.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
PEER=${PEER_DIR:-$ROOT/../shared/bench/peer}
[ -f "$PEER/run.sh" ] || { echo "peer harness not found at $PEER (set PEER_DIR)" >&2; exit 2; }
export RESULTS_DIR=${RESULTS_DIR:-$HERE/results}
export PEERS=${PEERS:-"echarts qt-offscreen cmd"}
VARIANT=${1:-default}
WORK=$(mktemp -d /tmp/cockpit-peer.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
CACHE="$WORK/cache.sqlite"
export PEER_CMD="$ROOT/.venv/bin/cockpit --bench {spec} --cache $CACHE --screenshot {shot} --log-level WARNING"
mkdir -p "$RESULTS_DIR"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

# the merged spec (spec.json + variant + overrides, as the harness merges it)
python3 "$PEER/report.py" spec "$WORK" "$WORK" "${@:-default}" >/dev/null
python3 - "$WORK/spec.json" "$WORK/fill.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1])); s.update(warmup_s=0, duration_s=2)
json.dump(s, open(sys.argv[2], "w"))
PY
echo "[$(date +%T)] filling the cache $CACHE (unmeasured run)" >&2
QT_QPA_PLATFORM=offscreen "$ROOT/.venv/bin/cockpit" --bench "$WORK/fill.json" --cache "$CACHE" --log-level WARNING >/dev/null

bash "$PEER/run.sh" "$@"
latest=$(ls -td "$RESULTS_DIR"/*/ | head -1)
FLOOR=$("$ROOT/.venv/bin/python" "$HERE/first_frame.py" "$latest/spec.json" --cache "$CACHE" --runs 3 \
  --floor "$PEER/qt_floor.py" --floor-python "${VENV:-/tmp/peer-venv}/bin/python" || true)
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
"$ROOT/.venv/bin/python" - "$latest" "$FLOOR" "$LOAD_BEFORE" "$LOAD_AFTER" <<'PY' | tee "$latest/cockpit.txt"
import glob, json, sys
out, floor, load0, load1 = sys.argv[1:5]
spec = json.load(open(out + "/spec.json"))
runs = {}
for p in sorted(glob.glob(out + "/*-run*.json")):
    r = json.load(open(p)); runs.setdefault(r["label"], []).append(r)
target = spec["rate_hz"] * spec["duration_s"]
first_cached = []
if "cmd" in runs:
    for i, r in enumerate(runs["cmd"], 1):
        c = r["counters"]
        first_cached.append(c.get("first_cached_frame_ms", -1))
        print(f"cockpit run {i}: updates shown {c.get('updates_rendered', 0):.0f}/{target:.0f} "
              f"(arrived {c.get('ticks', 0):.0f}); first frame {c.get('first_frame_ms', -1):.0f} ms, "
              f"first frame with cached values {c.get('first_cached_frame_ms', -1):.0f} ms, "
              f"first live data {c.get('first_data_ms', -1):.0f} ms")
print("first frames, Qt floor and cockpit (cache filled) alternately, 3 runs each (bench/first_frame.py):")
print(floor or "  not measured")
if "echarts" in runs and "cmd" in runs:
    e = sum(r["cpu_seconds"] for r in runs["echarts"]) / len(runs["echarts"])
    c = sum(r["cpu_seconds"] for r in runs["cmd"]) / len(runs["cmd"])
    er = max(r["peak_rss_MB"] for r in runs["echarts"])
    cr = max(r["peak_rss_MB"] for r in runs["cmd"])
    cpu_t, rss_t = (0.5, None) if spec["rate_hz"] >= 10 else (0.35, 0.15)
    print(f"cockpit/echarts: CPU {c / e:.2f}x (target <= {cpu_t}), peak RSS {cr / er:.2f}x"
          + (f" (target <= {rss_t})" if rss_t else ""))
print(f"load average (1/5/15 min): before {load0}, after {load1}")
PY
