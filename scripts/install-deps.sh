#!/usr/bin/env bash
# Installs the Debian packages LatePhaseDist needs on this machine, only those missing.
#   scripts/install-deps.sh data   the real Fashion-MNIST (dataset-fashion-mnist)
#   scripts/install-deps.sh test   what the tests use: Fashion-MNIST and Debian's PyTorch as an independent reference
set -euo pipefail

packages=(dataset-fashion-mnist)
if [[ "${1:-data}" == "test" ]]; then
  packages+=(python3-torch python3-torchvision)
fi

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if ((${#missing[@]} > 0)); then
  echo "Installing Debian packages: ${missing[*]}"
  sudo_cmd=()
  if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi
