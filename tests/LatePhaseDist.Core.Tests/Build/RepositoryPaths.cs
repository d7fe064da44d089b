using System.Reflection;

namespace LatePhaseDist.Core.Tests.Build;

/// <summary>Where the repository that built these tests lives.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = typeof(RepositoryPaths).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "RepositoryRoot").Value!;
}
