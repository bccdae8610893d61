# Sourced by the other scripts: the per-user cache that holds the Temporal servers outside the
# repository, so a fresh clone (as in CI) reuses what an earlier install built.
ZHENGWU_CACHE_DIR="${ZHENGWU_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/zhengwu-flow}"
mkdir -p "$ZHENGWU_CACHE_DIR"
export ZHENGWU_CACHE_DIR
