using LatePhaseDist.Core.Models;

namespace LatePhaseDist.Cli.Bench;

/// <summary>Settings of the step-overhead benchmark.</summary>
/// <param name="Model">The network (input shape and classes come from <paramref name="Data"/>).</param>
/// <param name="Data">A synthetic data kind: synthetic-28, synthetic-32 or synthetic-32-100.</param>
/// <param name="BatchSize">Minibatch size.</param>
/// <param name="Members">K, late-phase BatchNorm and head members.</param>
/// <param name="Minibatches">Minibatches per block and variant, rounded up to whole cycles of K.</param>
/// <param name="Blocks">Timed blocks per variant, after one untimed warm-up block of each.</param>
/// <param name="Threads">Torch threads; 0 for every core.</param>
internal sealed record StepOverheadOptions(
    ModelSpec Model, string Data, int BatchSize, int Members, int Minibatches, int Blocks, int Threads);
