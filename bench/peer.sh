#!/usr/bin/env bash
# The peer benchmark of ../shared/bench/peer with this cockpit as the third peer:
# ECharts in headless Chromium, the bare PySide6+pyqtgraph "Qt floor", and
# `cockpit --bench SPEC` (the same workload fed by the embedded central API over HTTP).
#
#   bench/peer.sh                      1 Hz default workload, 60 s each peer
#   REPEAT=2 bench/peer.sh             twice each
#   bench/peer.sh default duration_s=10   quick check
#
# Prints the harness's table, then the cockpit's own counters (time to first frame).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
PEER=${PEER_DIR:-$ROOT/../shared/bench/peer}
[ -x "$PEER/run.sh" ] || [ -f "$PEER/run.sh" ] || { echo "peer harness not found at $PEER (set PEER_DIR)" >&2; exit 2; }
export RESULTS_DIR=${RESULTS_DIR:-$HERE/results}
export PEERS=${PEERS:-"echarts qt-offscreen cmd"}
export PEER_CMD="$ROOT/.venv/bin/cockpit --bench {spec} --screenshot {shot} --log-level WARNING"
mkdir -p "$RESULTS_DIR"
bash "$PEER/run.sh" "$@"
latest=$(ls -td "$RESULTS_DIR"/*/ | head -1)
"$ROOT/.venv/bin/python" - "$latest" <<'PY'
import glob, json, sys
out = sys.argv[1]
runs = {}
for p in sorted(glob.glob(out + "/*-run*.json")):
    r = json.load(open(p)); runs.setdefault(r["label"], []).append(r)
if "cmd" in runs:
    for i, r in enumerate(runs["cmd"], 1):
        c = r["counters"]
        print(f"cockpit run {i}: time to first frame {c.get('first_frame_ms', -1):.0f} ms, "
              f"first frame with data {c.get('first_data_ms', -1):.0f} ms, "
              f"updates rendered {c.get('updates_rendered', 0):.0f}/{c.get('ticks', 0):.0f} ticks")
if "echarts" in runs and "cmd" in runs:
    e = sum(r["cpu_seconds"] for r in runs["echarts"]) / len(runs["echarts"])
    c = sum(r["cpu_seconds"] for r in runs["cmd"]) / len(runs["cmd"])
    er = max(r["peak_rss_MB"] for r in runs["echarts"])
    cr = max(r["peak_rss_MB"] for r in runs["cmd"])
    print(f"cockpit/echarts: CPU {c / e:.2f}x (target <= 0.35), peak RSS {cr / er:.2f}x (target <= 0.15)")
PY
