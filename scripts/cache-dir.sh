# Sourced by the other scripts: the per-user cache that holds the Temporal servers outside the
# repository, so a fresh clone (as in CI) reuses what an earlier install built; and the one pin of the
# Temporal CLI that scripts/obtain-temporal-cli.sh builds. v1.5.1 is the newest release that
# `go install` accepts: v1.6.0 and later carry a `replace` directive in go.mod, which
# `go install pkg@version` refuses.
ZHENGWU_CACHE_DIR="${ZHENGWU_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/zhengwu-flow}"
mkdir -p "$ZHENGWU_CACHE_DIR"
export ZHENGWU_CACHE_DIR
TEMPORAL_CLI_VERSION="${TEMPORAL_CLI_VERSION:-v1.5.1}"
