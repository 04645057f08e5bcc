#!/usr/bin/env bash
# Installs the Debian 12 packages DeepStack builds and tests with, only those missing.
# Idempotent: when everything is present it prints one line and touches nothing.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config
  antlr4 libantlr4-runtime-dev default-jre-headless
  llvm-14-dev llvm-14-tools clang-14 libclang-rt-14-dev
  libfmt-dev libgraphviz-dev graphviz
  libgtest-dev libgmock-dev libbenchmark-dev
  python3 libxml2-utils
  libopenmpi-dev openmpi-bin
)

missing=()
for pkg in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done"
