using System.Text.Json.Serialization;

namespace LatePhaseDist.Core.Checkpoints;

/// <summary>Source-generated JSON for <see cref="CheckpointManifest"/>: camelCase, indented, nulls refused.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(CheckpointManifest))]
internal sealed partial class CheckpointJsonContext : JsonSerializerContext;
