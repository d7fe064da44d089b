using System.Text.Json.Nodes;
using LatePhaseDist.Core.LatePhase;
using LatePhaseDist.Core.Tests.Reference;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LatePhaseDist.Core.Tests.LatePhase;

/// <summary>Compares the merge paths with values computed by real PyTorch (Reference/*.py).</summary>
public sealed class PyTorchGoldenTests
{
    [Fact]
    public void FoldMerge_AgainstPyTorchMeanOfMemberBatchNorms_Agrees()
    {
        using var scope = NewDisposeScope();
        manual_seed(61);
        const double eps = 1e-3;
        var network = new ConvBnNet(width1: 4).to(float64);
        network.modules().OfType<BatchNorm2d>().First().eps = eps;
        LatePhaseModel model = LatePhaseConverter.Convert(network, new LatePhaseOptions { Members = 3 });
        model.Release(0, seed: 1);
        LatePhaseTestData.MakeMembersDiffer(model);
        var layer = (LatePhaseBatchNorm)model.Layers[0].Layer;
        Tensor input = (randn(3, 4, 5, 5, float64) * 1.5) + 0.3;
        var problem = new JsonObject
        {
            ["eps"] = eps,
            ["members"] = new JsonArray(
                Enumerable.Range(0, 3).Select(k => (JsonNode)EncodeMember(layer.BatchNormMember(k))).ToArray()),
            ["input"] = PyTorchReference.Encode(input),
        };

        Tensor expected = PyTorchReference.Decode(PyTorchReference.Run("fold_merge_reference.py", problem)["output"]!);
        var merged = (NormBase)layer.Merge(MergePolicy.Fold);
        merged.eval();
        Tensor actual = merged.forward(input);

        Assert.Equal(input.shape, expected.shape);
        Assert.Equal(eps, merged.eps);
        Assert.InRange(LatePhaseTestData.MaxAbsDiff(expected, actual), 0, 1e-10);
    }

    [Fact]
    public void Recompute_AgainstPyTorchUpdateBn_Agrees()
    {
        using var scope = NewDisposeScope();
        manual_seed(62);
        const double momentum = 0.2;
        var network = new ConvBnNet().to(float64);
        foreach (NormBase norm in network.modules().OfType<NormBase>())
        {
            LatePhaseTestData.RandomiseBatchNorm(norm);
            norm.momentum = momentum;
        }

        network.eval();
        List<Tensor> batches = RecomputeTests.Batches(float64, 5, 3, 4);
        var state = new JsonObject();
        foreach ((string key, Tensor value) in network.state_dict())
        {
            state[key] = PyTorchReference.Encode(value);
        }

        var problem = new JsonObject
        {
            ["architecture"] = new JsonObject
            {
                ["input_channels"] = 3, ["width1"] = 4, ["width2"] = 6, ["classes"] = 5,
            },
            ["state"] = state,
            ["momentum"] = momentum,
            ["batches"] = new JsonArray(batches.Select(b => (JsonNode)PyTorchReference.Encode(b)).ToArray()),
        };

        JsonNode reference = PyTorchReference.Run("recompute_reference.py", problem);
        BatchNormStatistics.Recompute(network, batches);
        Dictionary<string, Tensor> actual = network.state_dict();

        JsonObject expected = reference["state"]!.AsObject();
        Assert.Equal(10, expected.Count);
        foreach ((string key, JsonNode? value) in expected)
        {
            Assert.InRange(LatePhaseTestData.MaxAbsDiff(PyTorchReference.Decode(value!), actual[key]), 0, 1e-10);
        }

        Assert.Equal([momentum, momentum], reference["momenta"]!.AsArray().Select(m => m!.GetValue<double>()));
        Assert.All(network.modules().OfType<NormBase>(), n => Assert.Equal(momentum, n.momentum));
        Assert.False(reference["training"]!.GetValue<bool>());
        Assert.False(network.training);
    }

    private static JsonObject EncodeMember(NormBase member) => new()
    {
        ["weight"] = PyTorchReference.Encode(member.weight!),
        ["bias"] = PyTorchReference.Encode(member.bias!),
        ["running_mean"] = PyTorchReference.Encode(member.running_mean!),
        ["running_var"] = PyTorchReference.Encode(member.running_var!),
    };
}
