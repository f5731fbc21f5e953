#!/usr/bin/env bash
# Tests of the `tessel` command: runs the built binary on files made here
# (random arrays and images from cli_check, the sample photograph), and
# checks every result the command writes with cli_check against the library
# and the double-precision reference.
#
#   test_cli.sh TESSEL CLI_CHECK SOURCE_DIR SCRATCH_DIR
#
# SCRATCH_DIR is emptied first and removed when every case passed. Each
# failing case prints its name and what went wrong; the exit status is the
# number of failures (capped at 100), 0 when all passed.
set -u

if [[ $# -ne 4 ]]; then
    echo "usage: $0 TESSEL CLI_CHECK SOURCE_DIR SCRATCH_DIR" >&2
    exit 2
fi
absolute() { [[ $1 == /* ]] && echo "$1" || echo "$PWD/$1"; }
tessel=$(absolute "$1")
check=$(absolute "$2")
source_dir=$(absolute "$3")
scratch=$(absolute "$4")
rm -rf "$scratch"
mkdir -p "$scratch"
cd "$scratch" || exit 2

cases=0
failures=0
rc=0

fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

# run ARGS...: runs tessel (at most 60 s); stdout in out.txt, stderr in
# err.txt, the exit status in $rc.
run() {
    timeout 60 "$tessel" "$@" >out.txt 2>err.txt
    rc=$?
}

# ok NAME ARGS...: tessel ARGS must succeed.
ok() {
    local name=$1
    shift
    cases=$((cases + 1))
    run "$@"
    if ((rc != 0)); then
        fail "$name: exit $rc, expected 0; stderr: $(cat err.txt)"
        return 1
    fi
}

# bad NAME WANT OUTPUT ARGS...: tessel ARGS must exit with WANT (1: a file
# failed, 2: usage; "1|2": either) without crashing, print "tessel: error"
# on stderr, leave no OUTPUT, and leave the output's folder as it was when
# it existed before (no partial or temporary file).
bad() {
    local name=$1 want=$2 output=$3
    shift 3
    cases=$((cases + 1))
    local folder
    folder=$(dirname "$output")
    local before=""
    [[ -d $folder ]] && before="$(ls -A "$folder") "
    run "$@"
    if ! [[ $rc =~ ^($want)$ ]]; then
        fail "$name: exit $rc, expected $want; stderr: $(cat err.txt)"
    elif ! grep -q "^tessel: error: " err.txt; then
        fail "$name: no 'tessel: error: ' message on stderr: $(cat err.txt)"
    elif [[ -e $output ]]; then
        fail "$name: the output $output was written"
    elif [[ -n $before && "$(ls -A "$folder") " != "$before" ]]; then
        fail "$name: the folder $folder changed: $(ls -A "$folder" | tr '\n' ' ')"
    fi
}

# has NAME FILE PATTERN: FILE (out.txt or err.txt) must match the ERE.
has() {
    cases=$((cases + 1))
    grep -Eq -- "$3" "$2" || fail "$1: $2 does not match /$3/: $(head -c 600 "$2")"
}

# lacks NAME FILE PATTERN: FILE must not match the ERE.
lacks() {
    cases=$((cases + 1))
    ! grep -Eq -- "$3" "$2" || fail "$1: $2 matches /$3/: $(head -c 600 "$2")"
}

# checked NAME CHECK_ARGS...: cli_check CHECK_ARGS must pass.
checked() {
    local name=$1
    shift
    cases=$((cases + 1))
    "$check" "$@" 2>check.txt || fail "$name: $(cat check.txt)"
}

# fcase INPUT 'TESSEL OPTIONS' 'CHECK WORDS': filters INPUT into a new .npy
# and checks it. Options are split at spaces (no value holds one).
serial=0
fcase() {
    local input=$1 options=$2 words=$3
    serial=$((serial + 1))
    local output=f$serial.npy
    # shellcheck disable=SC2086
    ok "filter $input $options" filter "$input" $options -o "$output" || return
    # shellcheck disable=SC2086
    checked "filter $input $options" filter "$input" "$output" $words
}

make() {
    "$check" "$@" 2>check.txt || { echo "cannot make inputs: $(cat check.txt)" >&2; exit 2; }
}

photo=$source_dir/examples/data/astronaut.png
[[ -f $photo ]] || { echo "missing $photo" >&2; exit 2; }

# ------------------------------------------------------------------ inputs
make random g32.npy 41 29 1 f32 1
make random rgb8.npy 37 23 3 u8 2
make random rgba8.npy 30 20 4 u8 3
make random ga16.npy 19 31 2 u16 4
make random g8.npy 33 17 1 u8 5
make random k54.npy 5 4 1 f32 6
printf '0.5,-1,0.25\n1,2,-0.5\n' >k32.csv
printf '# a 2x3 matrix\n0.5 1\n-1 2\n0.25 0.75\n' >k23.txt
make series daily.csv 120 7

# ------------------------------------------------- help, version, commands
for c in filter signal kernels devices version; do
    ok "$c --help" "$c" --help && has "$c --help" out.txt "^Usage: tessel $c"
    [[ $c == version ]] || has "$c --help examples" out.txt "^Examples:"
    ok "help $c" help "$c" && has "help $c" out.txt "^Usage: tessel $c"
done
ok "--help" --help && has "--help lists commands" out.txt "filter .*signal|signal"
has "--help lists every command" out.txt "devices"
ok "version" version && has "version" out.txt "^tessel [0-9]+\.[0-9]+\.[0-9]+ \(library "
ok "--version" --version && has "--version" out.txt "^tessel [0-9]"
ok "version -v" version -v
has "version -v names PNG's codec" out.txt "^  png +(libspng|stb_image)"
has "version -v names JPEG's codec" out.txt "^  jpeg +(libjpeg-turbo|stb_image)"
has "version -v: GIF is read only" out.txt "^  gif +stb_image / -$"
bad "no command" 2 none.npy
bad "unknown command" 2 none.npy transmogrify
has "unknown command named" err.txt "transmogrify"
bad "version with an argument" 2 none.npy version extra

# ---------------------------------------------------------------- kernels
ok "kernels" kernels
for name in identity box gaussian sobel laplacian log sharpen unsharp; do
    has "kernels lists $name" out.txt "^  $name:"
done
ok "kernels sobel:x" kernels sobel:x
has "sobel:x matrix" out.txt "^ +1 +0 +-1$"
has "sobel:x factors" out.txt "^separable: column \(3 taps\) x row \(3 taps\)"
has "sobel:x column" out.txt "column: 1 2 1$"
ok "kernels laplacian" kernels laplacian
has "laplacian" out.txt "^not separable"
ok "kernels file" kernels k32.csv
has "kernels file matrix" out.txt "^ +1 +2 +-0.5$"
bad "kernels unknown" 2 none.npy kernels nosuch:3
has "kernels unknown named" err.txt "nosuch"

# ---------------------------------------------------------------- devices
ok "devices" devices
has "devices: cpu" out.txt "^[* ] +cpu +cpu"
has "devices: auto marked" out.txt "^\* "
has "devices: auto line" out.txt "^auto picks: "
TESSEL_DEVICE=cpu ok "devices TESSEL_DEVICE=cpu" devices
has "devices TESSEL_DEVICE" out.txt "TESSEL_DEVICE=cpu"
bad "devices with an argument" 2 none.npy devices extra

# --------------------------------------- filter: modes x borders, channels
for input in g32.npy rgb8.npy rgba8.npy ga16.npy; do
    for mode in same full valid; do
        for border in reflect constant nearest mirror wrap; do
            fcase "$input" "-k box:4x3 --mode $mode --border $border" \
                "kernel=box:4x3 mode=$mode border=$border"
        done
    done
    fcase "$input" "-k k54.npy --correlate" "kernel=k54.npy correlate=1"
    fcase "$input" "-k k32.csv --stride 2 --mode full" "kernel=k32.csv stride=2 mode=full"
    fcase "$input" "-k k23.txt --stride 3,2" "kernel=k23.txt stride=3,2"
    fcase "$input" "-k sobel:x -k sobel:y" "kernel=sobel:x kernel=sobel:y"
    fcase "$input" "-k gaussian:sigma=1.2 --filter-alpha" "kernel=gaussian:sigma=1.2 filter-alpha=1"
done

# ------------------------------------------------- filter: each option
fcase g8.npy "-k box:4x2 --anchor 0,1 --border constant --cval 40" \
    "kernel=box:4x2 anchor=0,1 border=constant cval=40"
fcase rgba8.npy "-k box:4x2 --anchor 3,0 --stride 2" "kernel=box:4x2 anchor=3,0 stride=2"
fcase g8.npy "-k sobel:x --abs --scale 0.25 --offset 3" "kernel=sobel:x abs=1 scale=0.25 offset=3"
fcase g8.npy "-k sobel:x -k sobel:y --scale 0.5 --offset -2 --abs" \
    "kernel=sobel:x kernel=sobel:y scale=0.5 offset=-2 abs=1"
fcase g8.npy "-k laplacian --dtype f32" "kernel=laplacian dtype=f32"
fcase g8.npy "-k gaussian:sigma=2 --dtype u16 --scale 200" "kernel=gaussian:sigma=2 dtype=u16 scale=200"
fcase g32.npy "-k log:sigma=1.4 --dtype u8 --scale 100 --offset 128" \
    "kernel=log:sigma=1.4 dtype=u8 scale=100 offset=128"
fcase g32.npy "-k box:3 --dtype keep" "kernel=box:3"
fcase rgb8.npy "-k gaussian:sigma=1 --method direct" "kernel=gaussian:sigma=1 method=direct"
fcase rgb8.npy "-k gaussian:sigma=1 --method separable" "kernel=gaussian:sigma=1 method=separable"
fcase rgb8.npy "-k unsharp:sigma=2,amount=1.5 --method auto --threads 1" \
    "kernel=unsharp:sigma=2,amount=1.5"
fcase rgb8.npy "-k sharpen --device cpu" "kernel=sharpen"
fcase rgb8.npy "-k box:3 --border replicate" "kernel=box:3 border=nearest"
fcase rgb8.npy "-k box:4 --border reflect101" "kernel=box:4 border=mirror"
fcase rgb8.npy "-k box:4 --border=reflect_101 --mode=full" "kernel=box:4 border=mirror mode=full"
fcase g32.npy "--kernel=k54.npy --correlate --border wrap" "kernel=k54.npy correlate=1 border=wrap"
TESSEL_DEVICE=cpu fcase g8.npy "-k box:5" "kernel=box:5"
TESSEL_DEVICE=cpu fcase g8.npy "-k box:5 -q" "kernel=box:5"

ok "method separable on a dense kernel (reported)" filter g8.npy -k sobel:x -o sep.npy --method separable
bad "method separable on laplacian" 1 sep_l.npy filter g8.npy -k laplacian --method separable -o sep_l.npy
has "method separable message" err.txt "rank|separable"
fcase g8.npy "-k box:9 --method running" "kernel=box:9 method=running"
fcase g32.npy "-k box:5x3 --method running --border constant --cval 2" \
    "kernel=box:5x3 method=running border=constant cval=2"
bad "method running on a Gaussian" 1 run_g.npy filter g8.npy -k gaussian:sigma=1 --method running \
    -o run_g.npy
has "method running message" err.txt "box-like"
# FFT: done and checked where the library has it, else a clear refusal.
run filter g32.npy -k gaussian:sigma=2 --method fft -o fft.npy
cases=$((cases + 1))
if ((rc == 0)); then
    checked "method fft" filter g32.npy fft.npy kernel=gaussian:sigma=2 method=fft
elif ((rc != 1)) || ! grep -qi "fft" err.txt || [[ -e fft.npy ]]; then
    fail "method fft: exit $rc without a clear message: $(cat err.txt)"
fi

# --device: the library judges it (a string it cannot read is a usage
# error, a device it cannot find a failure).
bad "device bogus" "1|2" dev.npy filter g8.npy -k box:3 --device bogus -o dev.npy
has "device bogus named" err.txt "--device"
TESSEL_DEVICE=bogus bad "TESSEL_DEVICE bogus" "1|2" dev.npy filter g8.npy -k box:3 -o dev.npy
has "TESSEL_DEVICE named" err.txt "TESSEL_DEVICE"
run filter g8.npy -k box:3 --device opencl -o dev_cl.npy
cases=$((cases + 1))
if ((rc == 0)); then
    [[ -f dev_cl.npy ]] || fail "device opencl: no output"
elif ! grep -q "^tessel: error: " err.txt || [[ -e dev_cl.npy ]]; then
    fail "device opencl: exit $rc without a message: $(cat err.txt)"
fi

# ------------------------------------------------------- verbose and quiet
ok "verbose" filter rgb8.npy -k gaussian:sigma=1 -o verbose.npy -v
has "verbose sizes" err.txt "\"rgb8.npy\": 37x23, 3 channels, u8 -> \"verbose.npy\": 37x23, u8"
has "verbose backend" err.txt "backend, device .*method separable \(.+\)"
has "verbose time" err.txt "plan new, [0-9.]+ ms"
mkdir -p reuse
cp g8.npy reuse/a.npy
cp g8.npy reuse/b.npy
cp rgb8.npy reuse/c.npy
cp g8.npy reuse/d.npy
# One device queue and one I/O thread keep the order; plans are kept per shape.
ok "plan reuse" filter reuse/a.npy reuse/b.npy reuse/c.npy reuse/d.npy -k box:3 -o reused/ --verbose \
    --devices cpu --jobs 1
[[ $(grep -Eo "plan (new|reused)" err.txt | tr '\n' ' ') == "plan new plan reused plan new plan reused " ]] ||
    fail "plan reuse: $(grep -Eo "plan (new|reused)" err.txt | tr '\n' ' ')"
for f in a b c d; do checked "plan reuse $f" filter reuse/$f.npy reused/$f.npy kernel=box:3; done
ok "quiet batch" filter reuse/a.npy reuse/c.npy -k box:3 -o quiet/ -q
[[ -s err.txt ]] && fail "quiet batch printed: $(cat err.txt)"
ok "batch summary" filter reuse/a.npy reuse/c.npy -k box:3 -o summary/
has "batch summary" err.txt "^tessel: 2 files written in"

# ------------------------------------------------------------ progress bar
if command -v script >/dev/null; then
    cases=$((cases + 1))
    script -qec "'$tessel' filter reuse/a.npy reuse/b.npy reuse/c.npy -k box:3 -o tty/" \
        /dev/null >tty.txt 2>&1
    if ! grep -q "3/3" tty.txt || ! grep -q "images/s  ETA" tty.txt; then
        fail "progress bar on a terminal: $(cat -v tty.txt)"
    fi
    script -qec "'$tessel' filter reuse/a.npy reuse/b.npy -k box:3 -q -o tty_q/" \
        /dev/null >tty.txt 2>&1
    grep -q "ETA" tty.txt && fail "progress bar despite -q: $(cat -v tty.txt)"
    script -qec "'$tessel' filter reuse/a.npy -k box:3 -o tty_one.npy" /dev/null >tty.txt 2>&1
    grep -q "ETA" tty.txt && fail "progress bar for one input: $(cat -v tty.txt)"
else
    echo "note: no 'script' command, the progress bar on a terminal is not tested" >&2
fi
ok "no bar when stderr is a file" filter reuse/a.npy reuse/b.npy -k box:3 -o notty/
lacks "no bar when stderr is a file" err.txt "ETA"

# ------------------------------------------------ outputs: names, --force
ok "first write" filter g8.npy -k box:3 -o once.npy
cp once.npy once_copy.npy
bad "existing output" 1 none.npy filter g32.npy -k box:3 -o once.npy
has "existing output message" err.txt "exists.*--force"
checked "existing output untouched" same once.npy once_copy.npy
ok "--force" filter g32.npy -k box:5 -o once.npy --force
checked "--force overwrote" filter g32.npy once.npy kernel=box:5
ok "folder by slash" filter g8.npy -k box:3 -o byslash/
[[ -f byslash/g8.npy ]] || fail "folder by slash: no byslash/g8.npy"
ok "folder that exists" filter rgb8.npy -k box:3 -o byslash
[[ -f byslash/rgb8.npy ]] || fail "existing folder: no byslash/rgb8.npy"
ok "nested folder created" filter g8.npy rgb8.npy -k box:3 -o deep/er/folder
[[ -f deep/er/folder/rgb8.npy ]] || fail "nested folder: no deep/er/folder/rgb8.npy"
ok "--format in a folder" filter g8.npy rgb8.npy -k box:3 --format png -o asformat/
[[ -f asformat/g8.png && -f asformat/rgb8.png ]] || fail "--format: $(ls asformat)"
checked "--format png content" filter rgb8.npy asformat/rgb8.png kernel=box:3
mkdir -p one two
cp g8.npy one/same.npy
cp g32.npy two/same.npy
bad "two inputs, one name" 1 clash/none.npy filter one/same.npy two/same.npy -k box:3 -o clash/
has "two inputs, one name" err.txt "earlier input"
checked "two inputs, one name: first written" filter one/same.npy clash/same.npy kernel=box:3
bad "unwritable extension" 2 out.xyz filter g8.npy -k box:3 -o out.xyz
has "unwritable extension lists formats" err.txt "png"
ok "--format with an odd name" filter g8.npy -k box:3 --format npy -o odd.name
checked "--format with an odd name" filter g8.npy odd.name kernel=box:3

# ------------------------------------------ round trips through each format
roundtrip() { # NAME ARRAY EXT MAXDIFF [TESSEL OPTIONS]
    local name=$1 array=$2 ext=$3 maxdiff=$4
    shift 4
    ok "$name: write" filter "$array" -k identity -o "rt_$name.$ext" "$@" &&
        ok "$name: read" filter "rt_$name.$ext" -k identity -o "rt_$name.back.npy" &&
        checked "$name: samples" same "$array" "rt_$name.back.npy" maxdiff="$maxdiff"
}
make random rt_g8.npy 23 17 1 u8 11
make random rt_ga8.npy 23 17 2 u8 12
make random rt_rgb8.npy 23 17 3 u8 13
make random rt_rgba8.npy 23 17 4 u8 14
make random rt_g16.npy 23 17 1 u16 15
make random rt_rgb16.npy 23 17 3 u16 16
make random rt_g32.npy 23 17 1 f32 17
for c in g8 ga8 rgb8 rgba8 g16 rgb16; do roundtrip "png_$c" "rt_$c.npy" png 0; done
for c in g8 rgb8 rgba8; do roundtrip "tga_$c" "rt_$c.npy" tga 0; done
for c in rgb8 rgba8; do roundtrip "bmp_$c" "rt_$c.npy" bmp 0; done
for c in g8 rgb8 rgba8 g16 rgb16 g32; do roundtrip "npy_$c" "rt_$c.npy" npy 0; done
for c in g8 ga8 rgb8 rgba8 g16 rgb16 g32; do roundtrip "tiff_$c" "rt_$c.npy" tif 0; done
roundtrip tiff_long_ext rt_rgba8.npy tiff 0
ok "tiff in, tiff out" filter rt_tiff_rgb16.tif -k box:3 -o boxed.tif
checked "tiff in, tiff out" filter rt_tiff_rgb16.tif boxed.tif kernel=box:3
head -c 200 rt_tiff_rgb16.tif >truncated.tif
bad "truncated tiff" 1 trunc_tif.npy filter truncated.tif -k box:3 -o trunc_tif.npy
has "truncated tiff named" err.txt "truncated.tif"

# ------------------------------ one TIFF into a TIFF: streamed band by band
# 3000 x 1500 u8 is two bands of the default size (16 MiB of window, the
# second moved up to end at the last row); the streamed output must equal
# the whole-image path's (an .npy output reads the image whole).
make random st.npy 3000 1500 1 u8 21
ok "stream: the tiff input" filter st.npy -k identity -o st.tif
ok "stream" filter st.tif -k gaussian:sigma=1.5 -o st_s.tif --verbose
has "stream: --verbose says so" err.txt "streamed in 2 bands of [0-9]+ rows"
ok "stream: whole-image output" filter st.tif -k gaussian:sigma=1.5 -o st_w.npy
checked "stream = whole image" same st_s.tif st_w.npy
ok "stream: valid, stride, wrap, f32" filter st.tif -k box:5 --mode valid --stride 2 \
    --border wrap --dtype f32 -o st_v.tif
checked "stream: valid, stride, wrap, f32" filter st.tif st_v.tif kernel=box:5 mode=valid \
    stride=2 border=wrap dtype=f32
ok "stream: --format tiff" filter st.tif -k box:3 --format tiff -o st_odd.name --verbose
has "stream: --format tiff" err.txt "streamed in"
checked "stream: --format tiff" filter st.tif st_odd.name kernel=box:3
# Alpha is carried through beside the plan in mode same (each output pixel
# has its input pixel's alpha; cli_check checks it exactly), over bands here.
make random st_rgba.npy 1000 1500 4 u8 22
ok "stream: the rgba input" filter st_rgba.npy -k identity -o st_rgba.tif
ok "stream: alpha" filter st_rgba.tif -k gaussian:sigma=1.5 -o st_a.tif --verbose
has "stream: alpha" err.txt "streamed in 2 bands of [0-9]+ rows, alpha carried through"
checked "stream: alpha" filter st_rgba.tif st_a.tif kernel=gaussian:sigma=1.5
ok "stream: grey+alpha, stride, anchor" filter rt_tiff_ga8.tif -k box:4x3 --stride 3,2 \
    --anchor 0,2 --correlate -o st_ga.tif --verbose
has "stream: grey+alpha, stride, anchor" err.txt "alpha carried through"
checked "stream: grey+alpha, stride, anchor" filter rt_tiff_ga8.tif st_ga.tif kernel=box:4x3 \
    stride=3,2 anchor=0,2 correlate=1
ok "stream: --filter-alpha" filter rt_tiff_rgba8.tif -k box:3 --filter-alpha -o st_fa.tif \
    --verbose
has "stream: --filter-alpha" err.txt "streamed in 1 band of [0-9]+ rows,"
checked "stream: --filter-alpha" filter rt_tiff_rgba8.tif st_fa.tif kernel=box:3 filter-alpha=1
# A magnitude of several kernels, and alpha outside mode same, need the
# whole image: read whole, and --verbose says why.
ok "stream: magnitude read whole" filter st.tif -k sobel:x -k sobel:y -o st_m.tif --verbose
has "stream: magnitude read whole" err.txt "read whole, not streamed: the magnitude"
checked "stream: magnitude read whole" filter st.tif st_m.tif kernel=sobel:x kernel=sobel:y
ok "stream: alpha in mode full read whole" filter rt_tiff_rgba8.tif -k box:3 --mode full \
    -o st_af.tif --verbose
has "stream: alpha in mode full read whole" err.txt "read whole, not streamed: its alpha"
checked "stream: alpha in mode full read whole" filter rt_tiff_rgba8.tif st_af.tif kernel=box:3 \
    mode=full
if command -v script >/dev/null; then
    script -qec "'$tessel' filter st.tif -k box:3 -o st_tty.tif" /dev/null >tty.txt 2>&1
    grep -q "100% of 1500 rows, .* Mpix/s" tty.txt || fail "stream: progress line: $(cat -v tty.txt)"
    script -qec "'$tessel' filter st.tif -k box:3 -q -o st_tty_q.tif" /dev/null >tty.txt 2>&1
    grep -q "rows, " tty.txt && fail "stream: progress line despite -q: $(cat -v tty.txt)"
fi
ok "stream: no progress line when stderr is a file" filter st.tif -k box:3 -o st_notty.tif
lacks "stream: no progress line when stderr is a file" err.txt "rows, "
# An existing output is refused and kept; a strip that fails to decode
# half-way stops the stream and leaves no output.
cp st_s.tif st_s_copy.tif
bad "stream: existing output" 1 none.tif filter st.tif -k box:3 -o st_s.tif
has "stream: existing output" err.txt "exists.*--force"
checked "stream: existing output untouched" same st_s.tif st_s_copy.tif
ok "stream: --force" filter st.tif -k box:3 -o st_s.tif --force
checked "stream: --force" filter st.tif st_s.tif kernel=box:3
cp st.tif st_bad.tif
dd if=/dev/zero of=st_bad.tif bs=4096 seek=$(($(stat -c %s st.tif) / 8192)) count=16 \
    conv=notrunc 2>/dev/null
bad "stream: corrupt strip" 1 st_bad_out.tif filter st_bad.tif -k box:3 -o st_bad_out.tif
has "stream: corrupt strip" err.txt "^tessel: error: \"st_bad.tif\": cannot decode row"

# ------------------------------------ TIFF output options, on both paths
# Each option shows in the file's own tags (read by cli_check from the
# bytes), and the samples equal the uncompressed output's. st.tif streams;
# an .npy input is read whole and written by the batch engine.
ok "tiff: none" filter st.tif -k box:3 -o to_none.tif --compression none
checked "tiff: none" tiff to_none.tif compression=none tile=strips bigtiff=0
checked "tiff: deflate by default" tiff st_s.tif compression=deflate tile=strips bigtiff=0
ok "tiff: lzw" filter st.tif -k box:3 -o to_lzw.tif --compression lzw
checked "tiff: lzw" tiff to_lzw.tif compression=lzw tile=strips bigtiff=0
checked "tiff: lzw samples" same to_lzw.tif to_none.tif
ok "tiff: tiles" filter st.tif -k box:3 -o to_tile.tif --tile 64x32 --compression deflate
checked "tiff: tiles" tiff to_tile.tif compression=deflate tile=64x32 bigtiff=0
checked "tiff: tiles samples" same to_tile.tif to_none.tif
ok "tiff: bigtiff" filter st.tif -k box:3 -o to_big.tif --bigtiff --tile 48 --compression=none
checked "tiff: bigtiff" tiff to_big.tif compression=none tile=48x48 bigtiff=1
checked "tiff: bigtiff samples" same to_big.tif to_none.tif
ok "tiff whole: none" filter rt_rgb16.npy -k box:3 -o tw_none.tif --compression none
ok "tiff whole: options" filter rt_rgb16.npy -k box:3 -o tw_opts.tif --compression lzw \
    --tile 16x48 --bigtiff --verbose
lacks "tiff whole: options" err.txt "streamed"
checked "tiff whole: options" tiff tw_opts.tif compression=lzw tile=16x48 bigtiff=1
checked "tiff whole: samples" same tw_opts.tif tw_none.tif
ok "tiff batch: options" filter rt_tiff_g8.tif rt_tiff_g16.tif -k box:3 -o tdir/ --tile 16 \
    --compression lzw
checked "tiff batch: options g8" tiff tdir/rt_tiff_g8.tif compression=lzw tile=16x16
checked "tiff batch: options g16" tiff tdir/rt_tiff_g16.tif compression=lzw tile=16x16
ok "tiff deconvolve: options" deconvolve rt_g8.npy --psf gaussian:sigma=1 -o dc.tif --tile 32 \
    --compression none
checked "tiff deconvolve: options" tiff dc.tif compression=none tile=32x32 bigtiff=0
# Wrong values are usage errors naming the option; other formats refuse them.
bad "tiff: unknown compression" 2 tb1.tif filter st.tif -k box:3 -o tb1.tif --compression zip
has "tiff: unknown compression" err.txt "--compression.*none, deflate, lzw"
for t in 20 0 16x 16x8 8192 axb; do
    bad "tiff: --tile $t" 2 tb2.tif filter st.tif -k box:3 -o tb2.tif --tile "$t"
    has "tiff: --tile $t" err.txt "--tile.*multiples of 16"
done
bad "tiff: --bigtiff takes no value" 2 tb3.tif filter st.tif -k box:3 -o tb3.tif --bigtiff=1
bad "tiff options on a png" 2 tb.png filter st.tif -k box:3 -o tb.png --compression none
has "tiff options on a png" err.txt "--compression applies to TIFF outputs only.*tb.png"
bad "tiff options with --format png" 2 tbdir/none filter st.tif -k box:3 -o tbdir/ --bigtiff \
    --format png
has "tiff options with --format png" err.txt "--bigtiff applies to TIFF outputs only"
bad "tiff options, a batch with an npy" 2 tbdir/none filter rt_tiff_g8.tif rt_g8.npy -k box:3 \
    -o tbdir/ --tile 16
has "tiff options, a batch with an npy" err.txt "--tile .*rt_g8.npy.*--format tif"
bad "tiff options, deconvolve to npy" 2 dc.npy deconvolve rt_g8.npy --psf gaussian:sigma=1 \
    -o dc.npy --tile 16
has "tiff options, deconvolve to npy" err.txt "--tile applies to TIFF outputs only"
ok "filter --help lists --compression" filter --help
has "filter --help lists --compression" out.txt "--compression NAME"
roundtrip csv_g32 rt_g32.npy csv 0
roundtrip csv_g8 rt_g8.npy csv 0
# JPEG is lossy: a smooth picture comes back within a few levels.
ok "jpeg source" filter "$photo" -k gaussian:sigma=6 --stride 4 -o smooth.npy
roundtrip jpeg_rgb smooth.npy jpg 10 --quality 95 --subsampling 444
ok "jpeg quality 10" filter smooth.npy -k identity -o q10.jpg --quality 10
cases=$((cases + 1))
if ! [[ -f q10.jpg && -f rt_jpeg_rgb.jpg ]] ||
    (($(stat -c %s q10.jpg) >= $(stat -c %s rt_jpeg_rgb.jpg))); then
    fail "--quality 10 is not smaller than 95"
fi
ok "jpeg extension" filter smooth.npy -k identity -o smooth.jpeg
# Reading the photograph itself (PNG) and a float result into an 8-bit file.
fcase "$photo" "-k gaussian:sigma=1.5 --stride 3" "kernel=gaussian:sigma=1.5 stride=3"
ok "float to png" filter g32.npy -k box:3 --scale 100 --offset 100 -o f2png.png
checked "float to png" filter g32.npy f2png.png kernel=box:3 scale=100 offset=100 dtype=u8
ok "pgm input" filter "$source_dir/examples/data/camera.pgm" -k box:3 --stride 4 -o cam.png
bad "pgm in a folder needs --format" 1 pgmdir/camera.pgm filter \
    "$source_dir/examples/data/camera.pgm" g8.npy -k box:3 -o pgmdir/
has "pgm needs --format" err.txt "camera.pgm.*--format"

# ---------------------------------------------------------------- signal
ok "signal by name" signal daily.csv --column temperature -k box:7x1 --border nearest -o avg.csv
checked "signal by name" signal daily.csv avg.csv column=temperature kernel=box:7x1 border=nearest
has "signal csv header" avg.csv "^value$"
ok "signal by index" signal daily.csv --column 2 -k gaussian:sigma=2,size=13x1 --mode full \
    --border constant -o rain.npy
checked "signal by index" signal daily.csv rain.npy column=2 kernel=gaussian:sigma=2,size=13x1 \
    mode=full border=constant
ok "signal npy input" signal rain.npy -k box:5x1 --border wrap -o rain2.csv
checked "signal npy input" signal rain.npy rain2.csv kernel=box:5x1 border=wrap
printf '0.2\n0.5\n0.3\n' >col.csv
ok "signal column kernel file" signal rain.npy -k col.csv --mode valid --stride 3 --correlate \
    -o rain3.csv
checked "signal column kernel file" signal rain.npy rain3.csv kernel=col.csv mode=valid stride=3 \
    correlate=1
ok "signal anchor cval method" signal daily.csv --column 1 -k box:4x1 --anchor 0 --border constant \
    --cval 10 --method direct --device cpu --threads 1 -o anchored.csv -v
checked "signal anchor" signal daily.csv anchored.csv column=1 kernel=box:4x1 anchor=0,0 \
    border=constant cval=10 method=direct
has "signal verbose" err.txt "120 samples.*backend"
ok "signal moving average, running sums" signal daily.csv --column 1 -k box:7x1 --method running \
    -o running.csv -v
checked "signal moving average, running sums" signal daily.csv running.csv column=1 \
    kernel=box:7x1 method=running
has "signal running verbose" err.txt "method running"
ok "signal scale offset abs" signal daily.csv --column 1 -k col.csv --scale -2 --offset 5 --abs \
    -o sabs.csv
checked "signal scale offset abs" signal daily.csv sabs.csv column=1 kernel=col.csv scale=-2 \
    offset=5 abs=1
ok "signal --dtype" signal daily.csv --column 1 -k box:3x1 --dtype u8 -o s8.npy -q
[[ -s err.txt ]] && fail "signal -q printed: $(cat err.txt)"
checked "signal --dtype" signal daily.csv s8.npy column=1 kernel=box:3x1 dtype=u8
bad "signal existing output" 1 none.csv signal daily.csv -k box:3x1 -o avg.csv
ok "signal --force" signal daily.csv -k box:3x1 -o avg.csv --force
bad "signal 2-D kernel" 2 sig2d.csv signal daily.csv -k box:3 -o sig2d.csv
has "signal 2-D kernel" err.txt "1-D kernel"
bad "signal two inputs" 2 sig2.csv signal daily.csv daily.csv -k box:3x1 -o sig2.csv
bad "signal image output" 2 sig.png signal daily.csv -k box:3x1 -o sig.png
bad "signal unknown column" 1 nocol.csv signal daily.csv --column nosuch -k box:3x1 -o nocol.csv
bad "signal --filter-alpha" 2 sfa.csv signal daily.csv -k box:3x1 --filter-alpha -o sfa.csv
# numpy.convolve's rule: a kernel longer than the signal swaps the two
ok "signal valid, kernel longer (numpy)" signal col.csv -k box:9x1 --mode valid -o long.csv \
    && has "signal valid, kernel longer: 9 - 3 + 1 samples" long.csv "^value$" \
    && [[ $(wc -l <long.csv) -eq 8 ]] || fail "signal valid, kernel longer: $(wc -l <long.csv) lines"

# ------------------------------------------------ usage errors (exit 2)
bad "no kernel" 2 u.npy filter g8.npy -o u.npy
has "no kernel" err.txt "-k"
bad "no output" 2 u.npy filter g8.npy -k box:3
bad "no input" 2 u.npy filter -k box:3 -o u.npy
bad "unknown option" 2 u.npy filter g8.npy -k box:3 -o u.npy --blur
has "unknown option named" err.txt "--blur"
bad "missing value" 2 u.npy filter g8.npy -o u.npy -k
bad "flag with a value" 2 u.npy filter g8.npy -k box:3 -o u.npy --abs=1
bad "option of another command" 2 u.npy filter g8.npy -k box:3 -o u.npy --column 2
bad "unknown kernel" 2 u.npy filter g8.npy -k nosuch -o u.npy
has "unknown kernel named" err.txt "nosuch"
bad "bad kernel parameter" 2 u.npy filter g8.npy -k gaussian:sigma=-1 -o u.npy
bad "unknown border" 2 u.npy filter g8.npy -k box:3 --border sideways -o u.npy
has "unknown border lists" err.txt "--border.*sideways.*constant, nearest, reflect, mirror, wrap"
bad "unknown mode" 2 u.npy filter g8.npy -k box:3 --mode half -o u.npy
has "unknown mode lists" err.txt "same, full, valid"
bad "unknown method" 2 u.npy filter g8.npy -k box:3 --method magic -o u.npy
bad "unknown dtype" 2 u.npy filter g8.npy -k box:3 --dtype f64 -o u.npy
has "unknown dtype lists" err.txt "keep, u8, u16, f32"
bad "unknown format" 2 u.npy filter g8.npy -k box:3 --format webp -o u.npy
bad "stride 0" 2 u.npy filter g8.npy -k box:3 --stride 0 -o u.npy
has "stride 0 named" err.txt "--stride"
bad "stride 2,0" 2 u.npy filter g8.npy -k box:3 --stride 2,0 -o u.npy
bad "stride text" 2 u.npy filter g8.npy -k box:3 --stride two -o u.npy
bad "anchor outside" 2 u.npy filter g8.npy -k box:3 --anchor 3,0 -o u.npy
bad "anchor in full mode" 2 u.npy filter g8.npy -k box:3 --anchor 1,1 --mode full -o u.npy
bad "cval not a number" 2 u.npy filter g8.npy -k box:3 --cval x -o u.npy
bad "cval nan" 2 u.npy filter g8.npy -k box:3 --cval nan -o u.npy
bad "scale 0" 2 u.npy filter g8.npy -k box:3 --scale 0 -o u.npy
bad "threads 0" 2 u.npy filter g8.npy -k box:3 --threads 0 -o u.npy
bad "quality 101" 2 u.jpg filter g8.npy -k box:3 --quality 101 -o u.jpg
bad "magnitude of different sizes" 2 u.npy filter g8.npy -k box:3 -k box:5 -o u.npy
bad "--format disagrees with -o" 2 fx.png filter g8.npy -k box:3 --format jpg -o fx.png
has "--format disagrees named" err.txt '--format jpg writes jpeg, but -o "fx.png" names a png file'
bad "--quality for a PNG" 2 q.png filter g8.npy -k box:3 --quality 80 -o q.png
has "--quality for a PNG named" err.txt "--quality applies to JPEG outputs only"
bad "--quality in a folder of .npy" 2 qdir/g8.npy filter g8.npy rgb8.npy -k box:3 --quality 80 -o qdir/
has "--quality in a folder named" err.txt '"g8.npy" is not one \(choose a format for all with --format jpg\)'
bad "deconvolve --quality for a PNG" 2 dq.png deconvolve g8.npy --psf box:3 --quality 80 -o dq.png
ok "--format with an extension it does not name" filter g8.npy -k box:3 --format npy -o fmt.out
checked "--format npy into fmt.out" filter g8.npy fmt.out kernel=box:3
# A dangling symbolic link at the output is something there: not replaced
# without --force (the command that made it may mean to fill it later).
ln -s nowhere/target dangling.npy
bad "dangling symlink output" 1 none.npy filter g8.npy -k box:3 -o dangling.npy
[[ -L dangling.npy ]] || fail "dangling symlink output: the link was replaced"
bad "signal: dangling symlink output" 1 none.csv signal daily.csv -k box:3x1 -o dangling.npy
[[ -L dangling.npy ]] || fail "signal: dangling symlink output: the link was replaced"
ok "dangling symlink output with --force" filter g8.npy -k box:3 -o dangling.npy --force
[[ -f dangling.npy && ! -L dangling.npy ]] || fail "--force: the link is still there"

# ------------------------------------------ bad files (exit 1, no output)
head -c 300 "$photo" >truncated.png
make noise random.png 4000 21
make noise random.npy 4000 22
make lying-npy lying.npy
make nan-kernel nan_kernel.npy
printf '0.25,0.5,0.25\n1,nan,-1\n' >nan_kernel.csv
printf '0.25 0.5\nNaN 1\n' >nan_kernel.txt
touch somefile
make random tiny.npy 3 4 1 f32 23
bad "missing file" 1 missing.npy filter nothere.png -k box:3 -o missing.npy
has "missing file named" err.txt "nothere.png"
bad "truncated png" 1 trunc.npy filter truncated.png -k box:3 -o trunc.npy
has "truncated png named" err.txt "truncated.png"
bad "random bytes .png" 1 rnd.npy filter random.png -k box:3 -o rnd.npy
has "random bytes named" err.txt "random.png"
bad "random bytes .npy" 1 rnd2.npy filter random.npy -k box:3 -o rnd2.npy
bad "lying npy" 1 lie.npy filter lying.npy -k box:3 -o lie.npy
has "lying npy named" err.txt "lying.npy"
bad "lying npy as a signal" 1 lie.csv signal lying.npy -k box:3x1 -o lie.csv
bad "lying npy as a kernel" 2 lie2.npy filter g8.npy -k lying.npy -o lie2.npy
for f in nan_kernel.npy nan_kernel.csv nan_kernel.txt; do
    bad "NaN in $f" 2 nan.npy filter g8.npy -k "$f" -o nan.npy
    has "NaN in $f named" err.txt "$f.*NaN"
done
bad "missing kernel file" 2 nk.npy filter g8.npy -k nothere.csv -o nk.npy
bad "valid, kernel larger than the image" 1 big.npy filter tiny.npy -k box:5 --mode valid -o big.npy
has "valid, kernel larger" err.txt "tiny.npy.*larger"
bad "unwritable folder" 1 somefile/out/g8.npy filter g8.npy rgb8.npy -k box:3 -o somefile/out/
has "unwritable folder named" err.txt "somefile/out"
bad "unwritable file path" 1 somefile/out.npy filter g8.npy -k box:3 -o somefile/out.npy
has "unwritable file path named" err.txt "somefile/out.npy"
bad "signal unwritable" 1 somefile/s.csv signal daily.csv -k box:3x1 -o somefile/s.csv
bad "signal missing file" 1 sm.csv signal nothere.csv -k box:3x1 -o sm.csv
# A FIFO (no writer) as an input is refused at once, alone or in a batch,
# where the other files are written and the command ends.
mkfifo pipe.npy pipe.csv
bad "FIFO input" 1 fifo_out.npy filter pipe.npy -k box:3 -o fifo_out.npy
has "FIFO input named" err.txt '"pipe.npy": is not a regular file'
bad "FIFO in a batch" 1 fifo_batch/pipe.npy filter g8.npy pipe.npy rgb8.npy -k box:3 -o fifo_batch/
has "FIFO in a batch: summary" err.txt "^tessel: 1 of 3 files failed, 2 written"
bad "FIFO as a signal" 1 fifo_sig.csv signal pipe.csv -k box:3x1 -o fifo_sig.csv
bad "FIFO as a kernel" 2 fifo_k.npy filter g8.npy -k pipe.csv -o fifo_k.npy
rm -f pipe.npy pipe.csv

# An output format's limits are met when the output is planned, from the
# input's header, before its pixels are read and filtered: a 33000x33000
# .npy (sparse: its pixels take no disk) into PNG, a 70000-wide row into
# JPEG (whose header cannot say 70000) alone and in a batch.
npy_header() { printf '\x93NUMPY\x01\x00\x76\x00%s%*s\n' "$1" $((117 - ${#1})) ''; }
npy_header "{'descr': '|u1', 'fortran_order': False, 'shape': (33000, 33000), }" >huge.npy
truncate -s $((128 + 33000 * 33000)) huge.npy
npy_header "{'descr': '|u1', 'fortran_order': False, 'shape': (1, 70000), }" >wide.npy
head -c 70000 /dev/zero | tr '\0' '\7' >>wide.npy
# stb's deflate takes about 1 GiB; libdeflate far more (the fallback build's run checks this)
if ! "$tessel" version -v | grep -q "^  png .*libdeflate"; then
    bad "PNG limit at planning" 1 huge.png filter huge.npy -k box:3 -o huge.png
    has "PNG limit in terms of the image" err.txt '"huge.png": a 33000x33000 grey image is too large for PNG output'
fi
bad "JPEG side limit" 1 wide.jpg filter wide.npy -k box:3 -o wide.jpg
has "JPEG side limit named" err.txt "sides are at most 65535"
bad "JPEG side limit in a batch" 1 wide_batch/wide.jpg filter wide.npy g8.npy -k box:3 \
    -o wide_batch/ --format jpg
has "JPEG side limit in a batch: the other written" err.txt "^tessel: 1 of 2 files failed, 1 written"
ok "TIFF has no such limit" filter wide.npy -k box:3 -o wide.tif
npy_header "{'descr': '|u1', 'fortran_order': False, 'shape': (3, 70000), }" >wide3.npy
head -c 210000 /dev/zero | tr '\0' '\7' >>wide3.npy
bad "deconvolve: JPEG side limit" 1 wide_dc.jpg deconvolve wide3.npy --psf box:3 -o wide_dc.jpg
has "deconvolve: JPEG side limit named" err.txt "sides are at most 65535"
rm -f huge.npy

# --------------------------- batch: one bad file among good ones goes on
mkdir -p batch
cp g8.npy batch/a.npy
cp rgb8.npy batch/b.npy
cp random.npy batch/c.npy
cp rgba8.npy batch/d.npy
bad "batch with a bad file" 1 batch_out/c.npy filter batch/a.npy batch/b.npy batch/c.npy \
    batch/d.npy -k gaussian:sigma=1 -o batch_out/
has "batch names the bad file" err.txt "\"batch/c.npy\""
has "batch summary" err.txt "^tessel: 1 of 4 files failed, 3 written"
for f in a b d; do
    checked "batch good $f written" filter batch/$f.npy batch_out/$f.npy kernel=gaussian:sigma=1
done
has "batch summary lists the failure" err.txt '^tessel:   failed: .*"batch/c.npy"'
has "batch summary per device" err.txt "^tessel:   [a-z]+(:[0-9]+)? \(.*\): 3 images, [0-9]+ queues?"

# ------------------------------ codecs: PNG level, JPEG subsampling, orientation
golden=$source_dir/tests/golden/codecs
ok "--compression-level 9" filter "$photo" -k identity -o level9.png --compression-level 9
ok "--compression-level 1" filter "$photo" -k identity -o level1.png --compression-level 1
# Only libdeflate has levels (stb_image_write's deflate, the fallback, has one).
if "$tessel" version -v | grep -q "^  png .*libdeflate"; then
    cases=$((cases + 1))
    (($(stat -c %s level9.png) < $(stat -c %s level1.png))) || fail "level 9 is not smaller than 1"
fi
checked "--compression-level 9 is lossless" filter "$photo" level9.png kernel=identity
bad "--compression-level 10" 2 level10.png filter "$photo" -k identity -o level10.png \
    --compression-level 10
ok "--subsampling 444" filter "$photo" -k identity -o s444.jpg --subsampling 444
ok "--subsampling 4:2:0" filter "$photo" -k identity -o s420.jpg --subsampling 4:2:0
bad "--subsampling 411" 2 s411.jpg filter "$photo" -k identity -o s411.jpg --subsampling 411
# The JPEG and deflate options, like --quality and the TIFF ones, only with
# outputs of the formats they apply to.
bad "--subsampling for a PNG" 2 s.png filter g8.npy -k box:3 -o s.png --subsampling 444
has "--subsampling for a PNG named" err.txt \
    '--subsampling applies to JPEG outputs only, and -o "s.png" is not one \(.jpg, .jpeg\)'
bad "--subsampling with --format npy" 2 s.npy filter g8.npy -k box:3 -o s.npy --format npy \
    --subsampling 420
has "--subsampling with --format npy named" err.txt \
    "--subsampling applies to JPEG outputs only, not --format npy"
bad "--compression-level for a JPEG" 2 l.jpg filter g8.npy -k box:3 -o l.jpg --compression-level 3
has "--compression-level for a JPEG named" err.txt \
    '--compression-level applies to PNG and TIFF outputs only, and -o "l.jpg" is not one'
bad "--compression-level in a folder of .npy" 2 ldir/g8.npy filter g8.npy rgb8.npy -k box:3 \
    -o ldir/ --compression-level 3
has "--compression-level in a folder named" err.txt \
    'the output of "g8.npy" is not one \(choose a format for all with --format png or tif\)'
bad "--compression-level with lzw" 2 l.tif filter g8.npy -k box:3 -o l.tif --compression lzw \
    --compression-level 3
has "--compression-level with lzw named" err.txt \
    "--compression-level sets deflate's level, and --compression lzw has none"
bad "deconvolve --subsampling for a TIFF" 2 ds.tif deconvolve g8.npy --psf box:3 -o ds.tif \
    --subsampling 422
ok "--compression-level for a TIFF" filter g8.npy -k box:3 -o l9.tif --compression-level 9
checked "--compression-level for a TIFF" filter g8.npy l9.tif kernel=box:3
ok "--compression-level in a folder of PNG and TIFF" filter "$photo" l9.tif -k box:3 -o ldir2/ \
    --compression-level 9
# EXIF orientation 6: upright by default (61x43 stored, 43x61 read), as stored on request
ok "EXIF orientation applied" filter "$golden/jpeg_exif6.jpg" -k identity -o exif6.npy -v
has "EXIF orientation applied" err.txt "jpeg_exif6.jpg\": 43x61, 3 channels"
ok "--keep-orientation" filter "$golden/jpeg_exif6.jpg" -k identity -o exif6s.npy -v \
    --keep-orientation
has "--keep-orientation" err.txt "jpeg_exif6.jpg\": 61x43, 3 channels"
ok "grey JPEG stays grey" filter "$golden/jpeg_grey.jpg" -k box:3 -o grey.jpg -v
has "grey JPEG stays grey" err.txt "jpeg_grey.jpg\": 61x43, 1 channel"
ok "CMYK JPEG as RGB" filter "$golden/jpeg_cmyk.jpg" -k identity -o cmyk.png -v
has "CMYK JPEG as RGB" err.txt "jpeg_cmyk.jpg\": 61x43, 3 channels"

# ------------------------------ batch: devices, jobs, resume and --force
ok "batch -v: devices and why" filter reuse/a.npy reuse/c.npy -k box:3 -o devs_v/ -v
has "batch -v: devices and why" err.txt "^tessel: device [a-z]+(:[0-9]+)? \(.*\), [0-9]+ queues?: (auto|an OpenCL GPU)"
has "batch summary: why" err.txt "^tessel:   [a-z]+(:[0-9]+)? \(.*\): 2 images, .* busy \((auto|an OpenCL GPU)"
ok "--devices cpu" filter reuse/a.npy reuse/c.npy -k box:3 -o devs_cpu/ --devices cpu --jobs 3
has "--devices cpu summary" err.txt "^tessel:   cpu \(cpu .*\): 2 images, 1 queue"
for f in a c; do checked "--devices cpu $f" filter reuse/$f.npy devs_cpu/$f.npy kernel=box:3; done
ok "--devices all,cpu" filter batch/a.npy batch/b.npy batch/d.npy -k sobel:x -k sobel:y \
    -o devs_all/ --devices all,cpu
has "--devices all,cpu lists the cpu" err.txt "^tessel:   cpu \(cpu "
for f in a b d; do
    checked "--devices all,cpu $f" filter batch/$f.npy devs_all/$f.npy kernel=sobel:x kernel=sobel:y
done
bad "--devices bogus" "1|2" devs_bad/a.npy filter reuse/a.npy reuse/c.npy -k box:3 -o devs_bad/ \
    --devices cpu,bogus
has "--devices bogus named" err.txt "--devices.*bogus"
bad "--devices empty entry" 2 devs_bad/a.npy filter reuse/a.npy reuse/c.npy -k box:3 -o devs_bad/ \
    --devices cpu,,cpu
bad "--device and --devices" 2 devs_bad/a.npy filter reuse/a.npy reuse/c.npy -k box:3 -o devs_bad/ \
    --device cpu --devices cpu
bad "--jobs 0" 2 devs_bad/a.npy filter reuse/a.npy reuse/c.npy -k box:3 -o devs_bad/ --jobs 0
bad "--jobs for signal" 2 sj.csv signal daily.csv -k box:3x1 -o sj.csv --jobs 2

mkdir -p resume_in
cp g8.npy resume_in/a.npy
cp rgb8.npy resume_in/b.npy
cp rgba8.npy resume_in/c.npy
ok "resume: first run" filter resume_in/*.npy -k box:3 -o resume_out/
has "resume: first run writes all" err.txt "^tessel: 3 files written in"
stamps() { stat -c %Y.%y resume_out/*.npy | tr '\n' ' '; }
before=$(stamps)
ok "resume: second run" filter resume_in/*.npy -k box:3 -o resume_out/ -v
has "resume: all skipped" err.txt "^tessel: 0 files written in .*3 skipped"
has "resume: verbose names a skipped input" err.txt '"resume_in/b.npy": skipped'
[[ $(stamps) == "$before" ]] || fail "resume: outputs rewritten: $before -> $(stamps)"
touch -d "+2 seconds" resume_in/b.npy
ok "resume: touched input" filter resume_in/*.npy -k box:3 -o resume_out/
has "resume: touched input runs again" err.txt "^tessel: 1 files written in .*2 skipped"
checked "resume: touched input" filter resume_in/b.npy resume_out/b.npy kernel=box:3
# Outputs made by another filter are redone, however new they are: another
# kernel, another option, another kernel file's contents under one name.
touch -d "-1 hour" resume_in/*.npy
ok "resume: another kernel" filter resume_in/*.npy -k box:5 -o resume_out/
has "resume: another kernel writes all" err.txt "^tessel: 3 files written in"
for f in a b c; do checked "resume: another kernel $f" filter resume_in/$f.npy resume_out/$f.npy kernel=box:5; done
ok "resume: that kernel again" filter resume_in/*.npy -k box:5 -o resume_out/
has "resume: that kernel again skips all" err.txt "^tessel: 0 files written in .*3 skipped"
ok "resume: another border" filter resume_in/*.npy -k box:5 --border wrap -o resume_out/
has "resume: another border writes all" err.txt "^tessel: 3 files written in"
printf '1,2,1\n' >resume_k.csv
ok "resume: a kernel file" filter resume_in/*.npy -k resume_k.csv -o resume_out/
printf '1,3,1\n' >resume_k.csv
ok "resume: the kernel file changed" filter resume_in/*.npy -k resume_k.csv -o resume_out/
has "resume: the kernel file changed writes all" err.txt "^tessel: 3 files written in"
checked "resume: the kernel file changed" filter resume_in/a.npy resume_out/a.npy kernel=resume_k.csv
ok "resume: --force" filter resume_in/*.npy -k box:5 -o resume_out/ --force
has "resume: --force writes all" err.txt "^tessel: 3 files written in"
lacks "resume: --force skips none" err.txt "skipped"
for f in a b c; do checked "resume: --force $f" filter resume_in/$f.npy resume_out/$f.npy kernel=box:5; done
cp resume_in/a.npy resume_in/a_copy.npy
bad "batch output is its input" 1 resume_in/none.npy filter resume_in/a.npy resume_in/b.npy -k box:3 \
    -o resume_in/
has "batch output is its input: message" err.txt '"resume_in/a.npy": the output is the input file itself'
checked "batch output is its input: untouched" same resume_in/a.npy resume_in/a_copy.npy

# ------------------------------- interrupted runs and their temporary files
# A streamed filter (its output's temporary file open from start to end),
# slow on purpose (a 61x61 kernel, direct, one thread) so that it is still
# writing when the signal comes. Job control on: background jobs then take
# SIGINT as a terminal's Ctrl-C would send it.
make random sigbig.npy 1500 1500 1 u8 31
ok "a TIFF to stream" filter sigbig.npy -k identity -o sigbig.tif
mkdir -p sigdir
# start_slow: starts the streamed filter into sigdir/out.tif in the
# background ($slow is its pid) and waits for its temporary file.
start_slow() {
    rm -f sigdir/out.tif
    set -m
    "$tessel" filter sigbig.tif -k log:sigma=10 --method direct --device cpu --threads 1 \
        -o sigdir/out.tif -q 2>sig_err.txt &
    slow=$!
    set +m
    local i
    for ((i = 0; i < 600; ++i)); do
        compgen -G "sigdir/.out.tif.tessel-*" >/dev/null && return
        sleep 0.05
    done
}
for sig in INT:130 TERM:143 HUP:129; do
    cases=$((cases + 1))
    start_slow
    kill -"${sig%:*}" "$slow"
    wait "$slow"
    got=$?
    if ((got != ${sig#*:})); then
        fail "SIG${sig%:*} mid-write: exit $got, expected ${sig#*:}: $(cat sig_err.txt)"
    elif [[ -n $(ls -A sigdir) ]]; then
        fail "SIG${sig%:*} mid-write: left $(ls -A sigdir | tr '\n' ' ')"
    fi
done
# SIGKILL leaves the temporary file; the next command writing into that
# folder removes it, and says so with -v.
start_slow
kill -KILL "$slow"
wait "$slow"
cases=$((cases + 1))
compgen -G "sigdir/.out.tif.tessel-*" >/dev/null || fail "SIGKILL: no temporary file left to clean"
touch sigdir/.notes.tessel-mine
ok "stale temporary removed" filter g8.npy -k box:3 -o sigdir/after.npy -v
has "stale temporary said" err.txt 'removed "sigdir/\.out\.tif\.tessel-[0-9]+-[0-9a-f]{8}", a temporary file its killed writer left'
cases=$((cases + 1))
# (without extended attributes the fingerprints' manifest is there too)
[[ $(ls -A sigdir | grep -Fvx .tessel_fingerprints | tr '\n' ' ') == ".notes.tessel-mine after.npy " ]] ||
    fail "stale temporary removed: sigdir holds $(ls -A sigdir | tr '\n' ' ')"
rm -f sigbig.npy sigbig.tif
# A legal name of 255 bytes: the temporary name is cut short to fit.
long_name=$(printf 'n%.0s' {1..251}).npy
ok "a 255-byte output name" filter g8.npy -k box:3 -o "$long_name"
checked "a 255-byte output name" filter g8.npy "$long_name" kernel=box:3
rm -f "$long_name"

# ------------------------------------------------------------------ match
# A 40x30 random picture (awk, no Python) and a 10x9 piece of it cut at
# x=7, y=11 (CSV rows 12..20, columns 8..17); a 6x5 random template.
awk 'BEGIN { srand(7); for (y = 0; y < 30; ++y) { line = ""
    for (x = 0; x < 40; ++x) line = line (x ? "," : "") int(rand() * 256); print line } }' >scene.csv
awk -F, 'NR >= 12 && NR <= 20 { line = ""
    for (x = 8; x <= 17; ++x) line = line (x > 8 ? "," : "") $x; print line }' scene.csv >piece.csv
awk 'BEGIN { srand(9); for (y = 0; y < 5; ++y) { line = ""
    for (x = 0; x < 6; ++x) line = line (x ? "," : "") int(rand() * 256); print line } }' >noise.csv
exact_hit="^x=7 y=11 score=(1\.000000|0\.99999[0-9]) width=10 height=9$"
ok "match --help" match --help && has "match --help" out.txt "^Usage: tessel match"
has "match --help examples" out.txt "^Examples:"
ok "help match" help match && has "help match" out.txt "^Usage: tessel match"
ok "--help lists match" --help && has "--help lists match" out.txt "^  match "
ok "match" match scene.csv --template piece.csv
has "match: the piece's place" out.txt "$exact_hit"
[[ $(wc -l <out.txt) -eq 1 ]] || fail "match: $(wc -l <out.txt) lines, want 1"
ok "match -n 4" match scene.csv -t piece.csv -n 4 --min-distance 3
[[ $(wc -l <out.txt) -eq 4 ]] || fail "match -n 4: $(wc -l <out.txt) lines, want 4"
head -n 1 out.txt | grep -Eq "$exact_hit" || fail "match -n 4: first line $(head -n 1 out.txt)"
awk -F'score=' '{ split($2, a, " "); if (NR > 1 && a[1] > last) bad = 1; last = a[1] }
    END { exit bad }' out.txt || fail "match -n 4: not best first: $(cat out.txt)"
awk '{ split($1, x, "="); split($2, y, "="); xs[NR] = x[2]; ys[NR] = y[2] }
    END { for (i = 1; i <= NR; ++i) for (j = 1; j < i; ++j) {
        dx = xs[i] - xs[j]; dy = ys[i] - ys[j]; if (dx < 0) dx = -dx; if (dy < 0) dy = -dy
        if (dx < 3 && dy < 3) exit 1 } }' out.txt || fail "match -n 4: closer than 3: $(cat out.txt)"
ok "match --min-score" match scene.csv -t piece.csv -n 5 --min-score 0.999
[[ $(wc -l <out.txt) -eq 1 ]] || fail "match --min-score 0.999: $(cat out.txt)"
ok "match --json" match scene.csv -t piece.csv -n 2 --json
has "match --json opens" out.txt '^\[$'
has "match --json entry" out.txt '^  \{"x": 7, "y": 11, "score": (1\.000000|0\.99999[0-9]), "width": 10, "height": 9\},$'
has "match --json closes" out.txt '^\]$'
ok "match nothing good enough" match scene.csv -t noise.csv --min-score 0.99
[[ -s out.txt ]] && fail "match nothing good enough printed: $(cat out.txt)"
has "match nothing good enough says so" err.txt "no match scored at least 0.99"
ok "match --json, nothing" match scene.csv -t noise.csv --min-score 0.99 --json -q
[[ $(cat out.txt) == "[]" ]] || fail "match --json, nothing: $(cat out.txt)"
[[ -s err.txt ]] && fail "match -q printed: $(cat err.txt)"
ok "match -o npy" match scene.csv -t piece.csv -o match_scores.npy
grep -aq "'descr': '<f4', 'fortran_order': False, 'shape': (22, 31)" match_scores.npy ||
    fail "match -o npy: not a 31x22 f32 array: $(head -c 100 match_scores.npy | tr -cd '[:print:]')"
has "match -o npy still prints" out.txt "$exact_hit"
ok "match -o png" match scene.csv -t piece.csv -o match_scores.png
[[ $(head -c 4 match_scores.png | tail -c 3) == PNG ]] || fail "match -o png: not a PNG"
ok "match -o png, back as an array" filter match_scores.png -k identity -o match_png.npy
grep -aq "'descr': '|u1', 'fortran_order': False, 'shape': (22, 31)" match_png.npy ||
    fail "match -o png: not 31x22 8-bit: $(head -c 100 match_png.npy | tr -cd '[:print:]')"
ok "match rgb" match rgb8.npy -t rgb8.npy --device cpu --threads 1 -v
has "match rgb: the whole image at 0,0" out.txt "^x=0 y=0 score=(1\.000000|0\.99999[0-9]) width=37 height=23$"
has "match verbose" err.txt "rgb8.npy.*37x23.*template.*backend"
run match scene.csv -t piece.csv --device opencl
cases=$((cases + 1))
if ((rc == 0)); then
    grep -Eq "$exact_hit" out.txt || fail "match --device opencl: $(cat out.txt)"
elif ! grep -q "^tessel: error: " err.txt; then
    fail "match --device opencl: exit $rc without a message: $(cat err.txt)"
fi
bad "match without a template" 2 none.npy match scene.csv
has "match without a template" err.txt "--template"
bad "match without an input" 2 none.npy match -t piece.csv
bad "match two inputs" 2 none.npy match scene.csv scene.csv -t piece.csv
bad "match template larger" 1 m_big.npy match piece.csv -t scene.csv -o m_big.npy
has "match template larger named" err.txt "piece.csv.*larger"
bad "match channels differ" 1 m_ch.npy match rgb8.npy -t piece.csv -o m_ch.npy
has "match channels differ named" err.txt "rgb8.npy.*channels"
bad "match missing template" 1 m_miss.npy match scene.csv -t nothere.csv -o m_miss.npy
has "match missing template named" err.txt "nothere.csv"
bad "match existing output" 1 none.npy match scene.csv -t piece.csv -o match_scores.npy
has "match existing output" err.txt "exists.*--force"
ok "match --force" match scene.csv -t piece.csv -o match_scores.npy --force
bad "match unwritable extension" 2 m.xyz match scene.csv -t piece.csv -o m.xyz
bad "match -n 0" 2 none.npy match scene.csv -t piece.csv -n 0
bad "match --min-score 1.5" 2 none.npy match scene.csv -t piece.csv --min-score 1.5
bad "match --min-distance -1" 2 none.npy match scene.csv -t piece.csv --min-distance -1
bad "match -k" 2 none.npy match scene.csv -t piece.csv -k box:3
bad "--template for filter" 2 u.npy filter g8.npy -k box:3 -t piece.csv -o u.npy

# ------------------------------------------------------------- deconvolve
ok "deconvolve --help" deconvolve --help && has "deconvolve --help" out.txt "^Usage: tessel deconvolve"
has "deconvolve --help options" out.txt "--psf SPEC\|FILE"
has "deconvolve --help methods" out.txt "wiener \(default\), tikhonov, rl"
ok "--help lists deconvolve" --help && has "--help lists deconvolve" out.txt "^  deconvolve "
# Richardson-Lucy with a 1x1 PSF changes nothing: the command's geometry,
# channels, dtype and alpha handling, exactly.
for input in g8.npy rgb8.npy rgba8.npy ga16.npy; do
    ok "deconvolve rl identity $input" deconvolve "$input" --psf identity --method rl \
        --iterations 3 -o "dc_id_$input" &&
        checked "deconvolve rl identity $input" same "$input" "dc_id_$input"
done
# Each method on the photograph: written, the input's size, any dtype.
ok "deconvolve wiener" deconvolve smooth.npy --psf gaussian:sigma=1.5 --nsr 0.005 -o dc_w.png -v
has "deconvolve verbose" err.txt "method wiener; (cpu|opencl) backend"
ok "deconvolve tikhonov" deconvolve smooth.npy --psf gaussian:sigma=1.5 --method tikhonov \
    --lambda 0.002 --taper 8 --dtype f32 -o dc_t.npy
ok "deconvolve rl damped" deconvolve smooth.npy --psf box:3 --method rl --iterations 10 \
    --damping 2 --dtype u16 -o dc_rl.npy --threads 1 --device cpu
ok "deconvolve periodic" deconvolve g32.npy --psf k32.csv --taper -1 -o dc_p.npy
ok "deconvolve into a folder" deconvolve rgb8.npy --psf box:3 -o dc_dir/ --format png
[[ -f dc_dir/rgb8.png ]] || fail "deconvolve into a folder: no dc_dir/rgb8.png"
ok "deconvolve rl identity into png" deconvolve rgba8.npy --psf identity --method rl -o dc_id.png
checked "deconvolve rl identity into png" same rgba8.npy dc_id.png
# OpenCL, where there is a device, agrees with the CPU backend.
ok "deconvolve on cpu" deconvolve g32.npy --psf gaussian:sigma=1 --device cpu -o dc_cpu.npy
run deconvolve g32.npy --psf gaussian:sigma=1 --device opencl -o dc_cl.npy
cases=$((cases + 1))
if ((rc == 0)); then
    checked "deconvolve opencl = cpu" same dc_cpu.npy dc_cl.npy maxdiff=0.01
elif ! grep -q "^tessel: error: " err.txt || [[ -e dc_cl.npy ]]; then
    fail "deconvolve opencl: exit $rc without a message: $(cat err.txt)"
fi
# Usage errors (exit 2) and failures (exit 1), each named.
bad "deconvolve without --psf" 2 dc_u.npy deconvolve g8.npy -o dc_u.npy
has "deconvolve without --psf" err.txt "--psf"
bad "deconvolve unknown method" 2 dc_u.npy deconvolve g8.npy --psf box:3 --method blind -o dc_u.npy
has "deconvolve unknown method" err.txt "--method.*blind.*wiener, tikhonov, rl"
bad "deconvolve nsr for rl" 2 dc_u.npy deconvolve g8.npy --psf box:3 --method rl --nsr 0.1 -o dc_u.npy
has "deconvolve nsr for rl" err.txt "--nsr applies to --method wiener"
bad "deconvolve iterations 0" 2 dc_u.npy deconvolve g8.npy --psf box:3 --method rl --iterations 0 -o dc_u.npy
has "deconvolve iterations 0" err.txt "--iterations"
bad "deconvolve nsr negative" 2 dc_u.npy deconvolve g8.npy --psf box:3 --nsr -1 -o dc_u.npy
bad "deconvolve taper 0" 2 dc_u.npy deconvolve g8.npy --psf box:3 --taper 0 -o dc_u.npy
has "deconvolve taper 0" err.txt "--taper"
bad "deconvolve two inputs" 2 dc_u.npy deconvolve g8.npy g32.npy --psf box:3 -o dc_u.npy
bad "deconvolve unknown psf" 2 dc_u.npy deconvolve g8.npy --psf nosuch:3 -o dc_u.npy
has "deconvolve unknown psf" err.txt "nosuch"
bad "deconvolve option of filter" 2 dc_u.npy deconvolve g8.npy --psf box:3 --mode full -o dc_u.npy
bad "deconvolve psf summing to 0" 1 dc_u.npy deconvolve g8.npy --psf laplacian -o dc_u.npy
has "deconvolve psf summing to 0" err.txt "g8.npy.*sums to 0"
bad "deconvolve psf larger than the image" 1 dc_u.npy deconvolve tiny.npy --psf box:5 -o dc_u.npy
has "deconvolve psf larger" err.txt "tiny.npy.*larger than the 3x4 image"
bad "deconvolve rl negative psf" 1 dc_u.npy deconvolve g8.npy --psf sharpen --method rl -o dc_u.npy
has "deconvolve rl negative psf" err.txt "negative"
bad "deconvolve missing file" 1 dc_u.npy deconvolve nothere.png --psf box:3 -o dc_u.npy
has "deconvolve missing file" err.txt "nothere.png"
bad "deconvolve existing output" 1 none.npy deconvolve g8.npy --psf box:3 -o dc_p.npy
has "deconvolve existing output" err.txt "exists.*--force"
ok "deconvolve --force" deconvolve g8.npy --psf box:3 -o dc_p.npy --force

# ------------------------------------------------------------------ tune
# A quick tune (seconds) into a fresh cache folder: the fitted constants
# and the profile's path are printed, the file is there, and method auto
# then chooses by it (and still computes the right result).
mkdir -p tune_cache
TESSEL_CACHE_DIR=$PWD/tune_cache ok "tune --quick" tune --quick --threads 1
has "tune: constants" out.txt "^direct +[0-9.e+-]+ s/run [0-9.e+-]+ s/sample"
has "tune: fit" out.txt "^[0-9]+ cases in [0-9.]+ s; model error"
has "tune: profile named" out.txt "^profile: .*/tune_cache/cost-cpu(-unoptimised)?-[0-9a-f]{16}\.profile$"
cases=$((cases + 1))
compgen -G "tune_cache/cost-cpu-*.profile" >/dev/null || fail "tune: no profile in tune_cache"
if grep -q "^fft-block .*s/point" out.txt; then
    # With FFTW the plans it measured are kept as wisdom for later runs.
    cases=$((cases + 1))
    compgen -G "tune_cache/fftw3f-*.wisdom" >/dev/null || fail "tune: no FFTW wisdom in tune_cache"
fi
TESSEL_CACHE_DIR=$PWD/tune_cache ok "auto after tune" filter g32.npy -k box:5 --threads 1 \
    -o tuned.npy -v
has "auto after tune: the profile's estimates" err.txt "cost model \(tuned profile\): [a-z-]+ [0-9.]+ [mu]?s"
# The method auto picked may differ from what cli_check's own context picks:
# compared with direct within the frequency domain's tolerance.
ok "direct to compare with" filter g32.npy -k box:5 --method direct -o tuned_direct.npy
checked "auto after tune = direct" same tuned.npy tuned_direct.npy maxdiff=0.001
ok "tune --help" tune --help
has "tune --help" out.txt "^Usage: tessel tune"
bad "tune: unknown option" 2 none.txt tune --bogus
has "tune: unknown option named" err.txt "--bogus"
bad "tune: threads 0" 2 none.txt tune --threads 0
has "tune: threads named" err.txt "--threads"
TESSEL_CACHE_DIR= bad "tune: no cache folder" 1 none.txt tune --quick
has "tune: no cache folder said" err.txt "cache folder"

echo "test_cli: $cases checks, $failures failed"
if ((failures == 0)); then
    cd / && rm -rf "$scratch"
fi
exit $((failures > 100 ? 100 : failures))
