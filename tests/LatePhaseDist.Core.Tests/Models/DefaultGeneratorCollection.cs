namespace LatePhaseDist.Core.Tests.Models;

/// <summary>
/// Tests that seed torch's process-wide default generator and then draw from it run alone, so no test in
/// another class draws in between.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DefaultGeneratorCollection
{
    public const string Name = "Models: torch default generator";
}
