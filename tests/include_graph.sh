#!/usr/bin/env bash
# The include graph of the library (host/), folder by folder, kept a tree
# that core stands at the bottom of. Fails, naming the files, when:
#   - an include climbs out of its folder with "../" (the convention is
#     "core/x.h" for another folder's header, "x.h" for one's own);
#   - a file outside a backend's folder includes one of that backend's
#     headers (the backend seam: only the table in core/backend.h joins
#     them; a backend's folder is one that defines a tessel_backend_ops);
#   - the folders include one another in a circle.
# On success prints the folder graph, one "folder -> folders" line each.
#
#   include_graph.sh [HOST_DIR]      (default: the host/ beside tests/)
set -euo pipefail

host=${1:-$(dirname "${BASH_SOURCE[0]}")/../host}
cd "$host"
fail=0

# "file<TAB>included" for every quoted include of every source.
includes=$(grep -rHo --include='*.c' --include='*.h' '^#include "[^"]*"' . |
           sed -E 's|^\./||; s|:#include "|\t|; s|"$||')

climbing=$(awk -F'\t' '$2 ~ /^\.\.\//' <<<"$includes")
if [[ -n $climbing ]]; then
    echo "include_graph: includes that climb out of their folder (write \"core/x.h\"):" >&2
    sed 's/^/  /' <<<"$climbing" >&2
    fail=1
fi

# Folder of the including file, folder of the included header (own folder
# for a bare name; none for the public tessel/ headers).
edges=$(awk -F'\t' '{
    split($1, from, "/"); to = from[1]
    if ($2 ~ /\//) { split($2, inc, "/"); to = inc[1] }
    if (to == "tessel" || to == "..") next
    print from[1] "\t" to "\t" $1 "\t" $2
}' <<<"$includes")

backends=$(grep -rlE --include='*.c' '^const tessel_backend_ops tessel_[a-z0-9_]+ = \{' . |
           sed -E 's|^\./||; s|/.*||' | sort -u)
[[ -n $backends ]] || { echo "include_graph: no backend table found under $host" >&2; exit 1; }
for b in $backends; do
    reaching=$(awk -F'\t' -v b="$b" '$2 == b && $1 != b { print "  " $3 " includes " $4 }' \
               <<<"$edges")
    if [[ -n $reaching ]]; then
        echo "include_graph: files outside $b/ include its headers (use the table in core/backend.h):" >&2
        echo "$reaching" >&2
        fail=1
    fi
done

pairs=$(awk -F'\t' '$1 != $2 { print $1 " " $2 }' <<<"$edges" | sort -u)
if ! order=$(tsort <<<"$pairs" 2>&1); then
    echo "include_graph: the folders include one another in a circle:" >&2
    grep '^tsort' <<<"$order" | sed 's/^tsort: /  /' >&2
    echo "  the edges:" >&2
    awk '{ print "    " $1 " -> " $2 }' <<<"$pairs" >&2
    fail=1
fi

if [[ $fail -ne 0 ]]; then exit 1; fi
awk '{ out[$1] = out[$1] (out[$1] ? ", " : "") $2 } END { for (f in out) print f " -> " out[f] }' \
    <<<"$pairs" | sort
echo "include_graph: no circle among the folders of $(pwd) ($(wc -w <<<"$order") folders)"
