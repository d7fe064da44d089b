using System.Text.Json.Nodes;
using LatePhaseDist.Core.Data;
using LatePhaseDist.Core.LatePhase;
using LatePhaseDist.Core.Models;
using LatePhaseDist.Core.Tests.Reference;
using LatePhaseDist.Core.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace LatePhaseDist.Core.Tests.Training;

public sealed class AlgorithmOneReferenceTests
{
    private const int Members = 3;
    private const int Hidden = 6;
    private const int Classes = 3;
    private const int BatchSize = 4;
    private const int Epochs = 3;
    private const int ReleaseEpoch = 1;
    private const long Seed = 7;

    [Theory]
    [InlineData(GammaTheta.Sum, false)]
    [InlineData(GammaTheta.Mean, false)]
    [InlineData(GammaTheta.Sum, true)]
    public void Trainer_TinyMlp_MatchesPyTorchReference(GammaTheta gamma, bool copyTiedState)
    {
        using var scope = NewDisposeScope();
        using ImageDataset data = ImageDataset.Synthetic(count: 50, channels: 1, size: 4, classes: Classes, seed: 3);
        AugmentationOptions augmentation = AugmentationOptions.Plain(1);
        var options = new TrainingOptions
        {
            Epochs = Epochs,
            BatchSize = BatchSize,
            Seed = Seed,
            ReleaseEpoch = ReleaseEpoch,
            GammaTheta = gamma,
            CopyTiedOptimizerState = copyTiedState,
            Threads = 1,
            Optimizer = new OptimizerOptions
            {
                LearningRate = 0.1, Momentum = 0.9, Nesterov = true, WeightDecay = 5e-4, MemberWeightDecay = 1e-3,
            },
            Schedule = new ScheduleOptions { Kind = "step", Milestones = [2], Gamma = 0.5 },
        };
        torch.manual_seed(11);
        LatePhaseModel model = LatePhaseConverter.Convert(
            ModelZoo.Create(new ModelSpec("mlp", 1, 4, Classes) { Hidden = [Hidden] }),
            new LatePhaseOptions { Members = Members });
        JsonNode problem = Problem(data, augmentation, options, model);

        JsonNode expected = PyTorchReference.Run("algorithm1_reference.py", problem);
        TrainingThread.Run(1, () =>
        {
            using var trainer = new Trainer(model, data, augmentation, options, SingleProcessCollective.Instance,
                store: null, configHash: "test");
            return trainer.Run();
        });

        Dictionary<string, Tensor> shared = model.SharedState();
        AssertClose(Floats(expected["linear"]), shared["hidden.0.linear.weight"], "linear");
        for (int k = 0; k < Members; k++)
        {
            Dictionary<string, Tensor> member = model.MemberState(k);
            JsonNode reference = expected["members"]![k]!;
            AssertClose(Floats(reference["bnWeight"]), member["hidden.0.bn.weight"], $"member {k} γ");
            AssertClose(Floats(reference["bnBias"]), member["hidden.0.bn.bias"], $"member {k} β");
            AssertClose(Floats(reference["bnMean"]), member["hidden.0.bn.running_mean"], $"member {k} μ");
            AssertClose(Floats(reference["bnVar"]), member["hidden.0.bn.running_var"], $"member {k} σ²");
            AssertClose(Floats(reference["fcWeight"]), member["fc.weight"], $"member {k} head W");
            AssertClose(Floats(reference["fcBias"]), member["fc.bias"], $"member {k} head b");
        }
    }

    private static JsonNode Problem(
        ImageDataset data, AugmentationOptions augmentation, TrainingOptions options, LatePhaseModel model)
    {
        int[] all = Enumerable.Range(0, data.Count).ToArray();
        using Batch inputs = BatchBuilder.Build(data, all, augmentation, Seed, 0, train: false);
        Dictionary<string, Tensor> shared = model.SharedState();
        Dictionary<string, Tensor> tied = model.MemberState(0);
        int minibatches = data.Count / BatchSize;
        var epochs = new JsonArray();
        for (int epoch = 0; epoch < Epochs; epoch++)
        {
            int[] order = DataOrder.Permutation(data.Count, Seed, epoch);
            int used = epoch < ReleaseEpoch ? minibatches : minibatches / Members * Members;
            var batches = new JsonArray(Enumerable.Range(0, used)
                .Select(j => (JsonNode)new JsonArray(order[(j * BatchSize)..((j + 1) * BatchSize)]
                    .Select(i => (JsonNode)i).ToArray()))
                .ToArray());
            epochs.Add(new JsonObject
            {
                ["factor"] = options.Schedule.Factor(epoch, Epochs),
                ["minibatches"] = batches,
            });
        }

        return new JsonObject
        {
            ["inputs"] = Array(inputs.Inputs.data<float>().ToArray()),
            ["inputShape"] = new JsonArray(inputs.Inputs.shape.Select(d => (JsonNode)d).ToArray()),
            ["targets"] = new JsonArray(inputs.Targets.data<long>().ToArray().Select(t => (JsonNode)t).ToArray()),
            ["hidden"] = Hidden,
            ["classes"] = Classes,
            ["members"] = Members,
            ["releaseEpoch"] = ReleaseEpoch,
            ["gamma"] = options.GammaTheta == GammaTheta.Mean ? "mean" : "sum",
            ["lr"] = options.Optimizer.LearningRate,
            ["momentum"] = options.Optimizer.Momentum,
            ["nesterov"] = options.Optimizer.Nesterov,
            ["weightDecay"] = options.Optimizer.WeightDecay,
            ["memberWeightDecay"] = options.Optimizer.MemberWeightDecay,
            ["copyTiedState"] = options.CopyTiedOptimizerState,
            ["epochs"] = epochs,
            ["init"] = new JsonObject
            {
                ["linear"] = Values(shared["hidden.0.linear.weight"]),
                ["bnWeight"] = Values(tied["hidden.0.bn.weight"]),
                ["bnBias"] = Values(tied["hidden.0.bn.bias"]),
                ["bnMean"] = Values(tied["hidden.0.bn.running_mean"]),
                ["bnVar"] = Values(tied["hidden.0.bn.running_var"]),
                ["fcWeight"] = Values(tied["fc.weight"]),
                ["fcBias"] = Values(tied["fc.bias"]),
            },
        };
    }

    private static JsonArray Array(IEnumerable<float> values) => new(values.Select(v => (JsonNode)v).ToArray());

    private static float[] Floats(JsonNode? node) => node!.AsArray().Select(v => v!.GetValue<float>()).ToArray();

    private static JsonArray Values(Tensor t) => Array(t.detach().flatten().data<float>().ToArray());

    private static void AssertClose(float[] expected, Tensor actual, string what)
    {
        float[] values = actual.detach().flatten().data<float>().ToArray();
        Assert.Equal(expected.Length, values.Length);
        double worst = expected.Zip(values, (e, a) => Math.Abs(e - a) / Math.Max(1.0, Math.Abs(e))).Max();
        Assert.True(worst <= 2e-5, $"{what}: largest relative difference {worst:G3} from PyTorch");
    }
}
