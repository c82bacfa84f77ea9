#!/usr/bin/env bash
# Runs the bundled bertdesk as a user would, with nothing of the checkout or its Python:
#
#   packaging/smoke_test.sh DIST_FOLDER [OUT_FOLDER]
#
# DIST_FOLDER is what packaging/build.py printed (the folder holding the bertdesk executable, or
# the one above it). Checks: no CUDA library in the folder; --version and --help; doctor; the
# English demo end to end, offline (the project, training with the quick preset, a prediction,
# the model exported to int8 ONNX and predicting from there); the window with the demo project
# open, in English and in Chinese (the language setting), with a screenshot of each under Xvfb
# on Linux (elsewhere the window is started and closed); the Linux desktop entry installed into
# a temporary folder. Prints the folder's size and the start-up times; writes screenshots and
# logs to OUT_FOLDER (default: ./bertdesk-smoke). Stops at the first check that fails.
set -euo pipefail

dist=${1:?usage: packaging/smoke_test.sh DIST_FOLDER [OUT_FOLDER]}
# Linux without a display: the whole test runs again inside a virtual one (Xvfb)
if [[ $(uname -s) == Linux && -z ${DISPLAY:-} && -z ${BERTDESK_SMOKE_IN_XVFB:-} ]]; then
    command -v xvfb-run > /dev/null || { echo "FAIL: no display and no xvfb-run (apt install xvfb)" >&2; exit 1; }
    BERTDESK_SMOKE_IN_XVFB=1 exec xvfb-run -a -s "-screen 0 1200x800x24" bash "$0" "$@"
fi
out=${2:-bertdesk-smoke}
window_timeout_s=${BERTDESK_SMOKE_WINDOW_TIMEOUT:-120}

for candidate in "$dist/bertdesk" "$dist/bertdesk.exe" "$dist/bertdesk/bertdesk" "$dist/bertdesk/bertdesk.exe"; do
    if [[ -f $candidate && -x $candidate ]]; then app=$candidate; break; fi
done
[[ -n ${app:-} ]] || { echo "FAIL: no bertdesk executable in $dist" >&2; exit 1; }
app=$(cd "$(dirname "$app")" && pwd)/$(basename "$app")
bundle=$(dirname "$app")
mkdir -p "$out"
out=$(cd "$out" && pwd)

# A user's machine: no PYTHONPATH, no network models, settings and caches of its own.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
unset PYTHONPATH PYTHONHOME VIRTUAL_ENV
export BERTDESK_CONFIG_DIR=$work/config BERTDESK_DATA_DIR=$work/data BERTDESK_CACHE_DIR=$work/cache
export HF_HOME=$work/huggingface HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
export XDG_DATA_HOME=$work/xdg-data XDG_CONFIG_HOME=$work/xdg-config XDG_CACHE_HOME=$work/xdg-cache
cd "$work"

step() { printf '\n== %s\n' "$*"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
now() {  # seconds, to the microsecond where bash has EPOCHREALTIME (5.0 on), else Python's clock
    if [[ -n ${EPOCHREALTIME:-} ]]; then
        echo "${EPOCHREALTIME/,/.}"
    else
        python3 -c 'import time; print(time.time())'
    fi
}
seconds_since() { awk -v start="$1" -v end="$(now)" 'BEGIN { printf "%.2f", end - start }'; }

step "bundle"
size_mb=$(du -sk "$bundle" | awk '{ printf "%.0f", $1 / 1024 }')
files=$(find "$bundle" -type f | wc -l | tr -d ' ')
echo "$bundle: $size_mb MiB in $files files"
cuda=$(find "$bundle" \( -iname 'libcudart*' -o -iname 'libcublas*' -o -iname 'libcudnn*' -o -iname 'libnccl*' \
    -o -iname 'libtorch_cuda*' -o -iname 'cudart64*' -o -iname 'cublas64*' -o -iname 'cudnn*64*' \
    -o -iname 'torch_cuda*.dll' \) -print)
[[ -z $cuda ]] || fail "CUDA libraries in a CPU bundle: $cuda"
echo "no CUDA libraries"

step "--version (cold, then warm)"
for attempt in cold warm; do
    started=$(now)
    version=$("$app" --version)
    echo "$attempt: $version in $(seconds_since "$started") s"
done
[[ $version == "bertdesk "* ]] || fail "--version printed: $version"

step "--help"
"$app" --help > help.txt
grep -q "demo" help.txt && grep -q "train" help.txt || fail "--help lacks the commands: $(cat help.txt)"
head -3 help.txt

step "doctor"
# a problem it finds (no Chinese font on a CI machine) is the machine's, not the bundle's
"$app" doctor > doctor.txt || echo "(doctor found problems on this machine: exit status $?)"
cat doctor.txt
grep -q "Built-in model all-MiniLM-L6-v2" doctor.txt || fail "doctor does not list the English built-in model"

step "demo (English, quick preset, offline)"
started=$(now)
"$app" --quiet demo --language en --dir "$work" --preset quick | tee demo.txt
echo "demo: $(seconds_since "$started") s"
project=$work/demo-en.bertdesk
[[ -f $project ]] || fail "the demo wrote no project"
"$app" stats "$project"
"$app" --quiet predict "$project" --text "A wonderful film, I loved every minute." | tee predict.txt
[[ -s predict.txt ]] || fail "predict printed nothing"

step "the demo's model exported to int8 ONNX (scored beside PyTorch) and predicting from there"
"$app" --quiet export-model "$project" --format onnx-int8 --output "$work/onnx"
"$app" --quiet predict "$work/onnx" --text "The battery died after a week." | tee predict_onnx.txt
[[ -s predict_onnx.txt ]] || fail "predict with the ONNX model printed nothing"

# The window with the demo project open (as double-clicking it does). "bertdesk started" in the
# log comes after the window is shown and the project opened.
start_window() {  # name: shows the window, waits until it is up, screenshots it, closes it
    local name=$1 log=$BERTDESK_DATA_DIR/bertdesk.log pid started
    rm -f "$log"
    started=$(now)
    "$app" "$project" > "$out/window_$name.log" 2>&1 &
    pid=$!
    until grep -q "bertdesk started" "$log" 2>/dev/null; do
        kill -0 "$pid" 2>/dev/null || fail "the window ($name) ended early: $(tail -20 "$out/window_$name.log")"
        [[ $(seconds_since "$started" | cut -d. -f1) -lt $window_timeout_s ]] \
            || fail "no window ($name) in ${window_timeout_s} s"
        sleep 0.1
    done
    echo "window ($name) shown with the project open in $(seconds_since "$started") s"
    sleep 3  # let it paint the rows and the counts read on a worker
    if [[ -n ${DISPLAY:-} ]] && command -v import > /dev/null; then
        import -window root "$out/window_$name.png"
        echo "screenshot: $out/window_$name.png"
    fi
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    # killed, not closed: its "running" marker stays, and the next start would stop at the
    # "ended abnormally last time" dialog before it logs "bertdesk started"
    rm -rf "$BERTDESK_DATA_DIR/running"
    ! grep -q "Traceback" "$log" || fail "the window ($name) logged an error: $(cat "$log")"
}

step "window, English"
start_window en
step "window, Chinese (the language setting)"
mkdir -p "$BERTDESK_CONFIG_DIR"
printf '[General]\nlanguage=zh_CN\n' > "$BERTDESK_CONFIG_DIR/bertdesk.ini"
start_window zh
rm "$BERTDESK_CONFIG_DIR/bertdesk.ini"

if [[ $(uname -s) == Linux ]]; then
    step "desktop entry (into a temporary XDG_DATA_HOME)"
    "$app" install-desktop
    entry=$XDG_DATA_HOME/applications/bertdesk.desktop
    grep -qxF "Exec=$app %f" "$entry" || fail "the desktop entry does not start the bundle: $(grep '^Exec' "$entry")"
    echo "Exec line starts $app"
fi

step "passed"
echo "bundle $size_mb MiB; --version $version; outputs in $out"
