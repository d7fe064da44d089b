#!/usr/bin/env bash
# The main job: baseline vs late-phase BatchNorm (K = 10) on the real Fashion-MNIST, about 20 minutes on 2 cores.
# Extra arguments go to `latephase train`, e.g. --set training.seed=2.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh data
dotnet build src/LatePhaseDist.Cli -c Release -v quiet -nologo
exec dotnet src/LatePhaseDist.Cli/bin/Release/net10.0/latephase.dll train --config configs/fashion-mnist-demo.json "$@"
