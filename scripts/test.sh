#!/usr/bin/env bash
# Runs every test. Installs what the tests need first (Fashion-MNIST, Debian's PyTorch as a reference).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh test
dotnet build LatePhaseDist.sln -c Release -v quiet -nologo
dotnet test LatePhaseDist.sln -c Release --no-build --logger "console;verbosity=normal" "$@"
