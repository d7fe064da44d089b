using LatePhaseDist.Core;
using LatePhaseDist.Core.Data;
using LatePhaseDist.Core.LatePhase;
using LatePhaseDist.Core.Models;

namespace LatePhaseDist.Cli.Configuration;

/// <summary>
/// Validates a <see cref="RunConfig"/> with Core's own checks where Core has them, fills in every default, and builds
/// the Core objects. Every refusal names the config key.
/// </summary>
internal static class ConfigResolver
{
    /// <summary>
    /// Validates and resolves; <paramref name="defaultName"/> names a run whose config gives no name.
    /// </summary>
    /// <exception cref="ConfigException">A value cannot be used.</exception>
    /// <exception cref="OptionException">A value is out of the range Core accepts.</exception>
    public static ResolvedConfig Resolve(RunConfig config, string defaultName)
    {
        string name = config.Name ?? defaultName;
        OptionException.Require(
            name.Length > 0 && name.IndexOfAny(Path.GetInvalidFileNameChars()) < 0 && name is not ("." or ".."),
            "name", name, "a non-empty name that can be a directory name");
        string output = Path.GetFullPath(config.Output ?? Path.Combine("runs", name));

        DataConfig data = config.Data;
        DataShape shape = DataShape.Of(data.Kind)
            ?? throw new OptionException("data.kind", data.Kind, $"one of {Quoted(DatasetSource.Kinds)}");
        OptionException.Require(
            !DataShape.IsSynthetic(data.Kind) || data.SyntheticCount >= 1,
            "data.syntheticCount", data.SyntheticCount, "an integer >= 1");
        OptionException.Require(
            data.Kind == "fashion-mnist" || DataShape.IsSynthetic(data.Kind) || !string.IsNullOrEmpty(data.Path),
            "data.path", data.Path, $"the directory that holds the {data.Kind} files ({data.Kind} has no default)");

        AugmentationOptions augmentation = Augmentation(data, shape);
        ModelSpec model = Model(config.Model, shape);
        LatePhaseOptions? latePhase = LatePhase(config.LatePhase);
        OptionException.Require(
            latePhase is null || latePhase.Head || HasBatchNorm(model), "latePhase.head", false,
            "true for an MLP without BatchNorm (model.mlpBatchNorm = false): it has no BatchNorm layers to replicate");

        config.Training.Validate("training");
        OptionException.Require(
            config.Evaluation.BatchSize >= 1, "evaluation.batchSize", config.Evaluation.BatchSize, "an integer >= 1");
        OptionException.Require(
            !config.Baseline || latePhase is not null, "baseline", config.Baseline,
            "false when latePhase.enabled is false (the main run is then already the plain network)");

        RunConfig resolved = config with
        {
            Name = name,
            Output = output,
            Data = data with
            {
                Path = data.Path is null ? null : Path.GetFullPath(data.Path),
                Augment = new AugmentConfig { PadCrop = augmentation.PadCrop, Flip = augmentation.HorizontalFlip },
            },
            Model = config.Model with
            {
                Depth = model.ResolvedDepth,
                Width = model.ResolvedWidth,
                Hidden = model.Kind == ModelSpec.MlpKind ? model.Hidden : config.Model.Hidden,
            },
        };
        return new ResolvedConfig(resolved, shape, model, augmentation, latePhase);
    }

    private static AugmentationOptions Augmentation(DataConfig data, DataShape shape)
    {
        AugmentationOptions preset = DatasetSource.Augmentation(data.Kind);
        AugmentationOptions augmentation = preset with
        {
            PadCrop = data.Augment.PadCrop ?? preset.PadCrop,
            HorizontalFlip = data.Augment.Flip ?? preset.HorizontalFlip,
        };
        try
        {
            augmentation.Validate(shape.Channels);
        }
        catch (ArgumentException ex)
        {
            string key = ex.ParamName == nameof(AugmentationOptions.PadCrop) ? "data.augment.padCrop" : "data.augment";
            throw new ConfigException(key, $"{key}: {Strip(ex)}");
        }

        return augmentation;
    }

    private static ModelSpec Model(ModelConfig model, DataShape shape)
    {
        var spec = new ModelSpec(
            model.Kind, shape.Channels, shape.Size, shape.Classes, model.Depth, model.Width, model.Hidden,
            model.MlpBatchNorm);
        try
        {
            spec.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new ConfigException(ex.ParamName ?? "model", Strip(ex));
        }

        return spec;
    }

    private static LatePhaseOptions? LatePhase(LatePhaseConfig latePhase)
    {
        if (!latePhase.Enabled)
        {
            return null;
        }

        OptionException.Require(latePhase.Members >= 1, "latePhase.members", latePhase.Members, "an integer >= 1");
        OptionException.Require(
            latePhase.BatchNorm || latePhase.Head, "latePhase.head", latePhase.Head,
            "true when latePhase.batchNorm is false (otherwise there are no late-phase weights; " +
            "set latePhase.enabled = false for a plain run)");
        return new LatePhaseOptions
        {
            Members = latePhase.Members,
            BatchNorm = latePhase.BatchNorm,
            Head = latePhase.Head,
        };
    }

    private static bool HasBatchNorm(ModelSpec model) => model.Kind != ModelSpec.MlpKind || model.MlpBatchNorm;

    private static string Quoted(IEnumerable<string> values) => string.Join(", ", values.Select(v => $"\"{v}\""));

    // ArgumentException appends " (Parameter 'x')" to its message; the key is already in the text.
    private static string Strip(ArgumentException ex) =>
        ex.ParamName is null
            ? ex.Message
            : ex.Message.Replace($" (Parameter '{ex.ParamName}')", "", StringComparison.Ordinal);
}
