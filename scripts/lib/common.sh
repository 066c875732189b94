# Sourced by the scripts in scripts/: repository paths and the project's own Node.
# The machine's Node may be older than the LTS we target, so the project carries its
# own Node 24 from the npm registry in .tooling/ and never touches the system's.
set -euo pipefail

L2O_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
L2O_TOOLING="$L2O_ROOT/.tooling"
L2O_DATA="$L2O_ROOT/.data"
L2O_NODE_MAJOR=24
L2O_PNPM_VERSION=10.34.9

log() { printf '\033[1m[%s]\033[0m %s\n' "$(basename "$0")" "$*" >&2; }
die() { printf '\033[31m[%s] %s\033[0m\n' "$(basename "$0")" "$*" >&2; exit 1; }

node_platform_package() {
  local arch
  case "$(uname -m)" in
    x86_64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) die "no Node build for $(uname -m); install Node $L2O_NODE_MAJOR yourself and put it on PATH" ;;
  esac
  echo "node-$(uname -s | tr '[:upper:]' '[:lower:]')-$arch"
}

use_project_node() {
  local bin="$L2O_TOOLING/node_modules/$(node_platform_package)/bin"
  export PATH="$bin:$L2O_TOOLING/node_modules/.bin:$L2O_ROOT/node_modules/.bin:$PATH"
  # kafkajs (unmaintained) computes a negative timer on Node 24; Node clamps it to 1 ms, so the warning is noise.
  export NODE_OPTIONS="--disable-warning=TimeoutNegativeWarning ${NODE_OPTIONS:-}"
}
