using LatePhaseDist.Core.LatePhase;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LatePhaseDist.Core.Tests.LatePhase;

public sealed class LatePhaseConverterTests
{
    private static readonly LatePhaseOptions ThreeMembers = new() { Members = 3 };

    [Fact]
    public void Convert_ConvNetWithBatchNorm2d_PreservesOutputsInTrainAndEval()
    {
        using var scope = NewDisposeScope();
        manual_seed(11);
        var reference = new ConvBnNet().to(float64);
        var converted = new ConvBnNet().to(float64);
        converted.load_state_dict(reference.state_dict());
        Tensor input = randn(4, 3, 5, 5, float64);

        AssertSameOutputs(reference, converted, input);
    }

    [Fact]
    public void Convert_MlpWithBatchNorm1d_PreservesOutputsInTrainAndEval()
    {
        using var scope = NewDisposeScope();
        manual_seed(12);
        var reference = new MlpBnNet().to(float64);
        var converted = new MlpBnNet().to(float64);
        converted.load_state_dict(reference.state_dict());
        Tensor input = randn(6, 8, float64);

        AssertSameOutputs(reference, converted, input);
    }

    [Fact]
    public void Convert_ConvNet_SwapsEveryBatchNormAndTheHead()
    {
        using var scope = NewDisposeScope();
        manual_seed(13);
        var network = new ConvBnNet();

        LatePhaseModel model = LatePhaseConverter.Convert(network, ThreeMembers);

        Assert.Equal(["bn1", "bn2", "fc"], model.Layers.Select(l => l.Path));
        Assert.IsType<LatePhaseBatchNorm>(model.Layers[0].Layer);
        Assert.IsType<LatePhaseLinear>(model.Layers[2].Layer);
        Assert.All(model.Layers, l => Assert.Equal(3, l.Layer.MemberCount));
        Assert.Equal(3, model.MemberCount);
    }

    [Fact]
    public void Convert_StateDict_HoldsSeparateTensorsPerMember()
    {
        using var scope = NewDisposeScope();
        manual_seed(14);
        var network = new ConvBnNet();
        Dictionary<string, Tensor> plain = new ConvBnNet().state_dict();

        LatePhaseModel model = LatePhaseConverter.Convert(network, ThreeMembers);
        Dictionary<string, Tensor> state = network.state_dict();

        foreach ((string path, _) in model.Layers)
        {
            var baseKeys = plain.Keys.Where(key => key.StartsWith(path + ".", StringComparison.Ordinal)).ToList();
            Assert.NotEmpty(baseKeys);
            foreach (string baseKey in baseKeys)
            {
                string leaf = baseKey[(path.Length + 1)..];
                var memberTensors = Enumerable.Range(0, 3).Select(k => state[$"{path}.members.{k}.{leaf}"]).ToList();
                Assert.All(memberTensors, t => Assert.Equal(plain[baseKey].shape, t.shape));
                AssertNoSharedStorage(memberTensors);
            }
        }

        Assert.DoesNotContain(state.Keys, key => key is "bn1.weight" or "fc.weight");
    }

    [Fact]
    public void SharedAndMemberParameters_ConvertedNetwork_PartitionAllParameters()
    {
        using var scope = NewDisposeScope();
        manual_seed(15);
        var network = new ConvBnNet();

        LatePhaseModel model = LatePhaseConverter.Convert(network, ThreeMembers);
        var all = network.parameters().ToList();
        var parts = model.SharedParameters()
            .Concat(Enumerable.Range(0, 3).SelectMany(model.MemberParameters))
            .ToList();

        Assert.Equal(all.Count, parts.Count);
        Assert.Equal(all.Count, parts.Distinct(ReferenceEqualityComparer.Instance).Count());
        Assert.All(all, p => Assert.Contains(p, parts, ReferenceEqualityComparer.Instance));
        Assert.Equal(4, model.SharedParameters().Count);
        Assert.All(Enumerable.Range(0, 3), k => Assert.Equal(6, model.MemberParameters(k).Count));
    }

    [Fact]
    public void Convert_Float64Network_MembersKeepTheElementType()
    {
        using var scope = NewDisposeScope();
        manual_seed(16);
        var network = new ConvBnNet().to(float64);

        LatePhaseModel model = LatePhaseConverter.Convert(network, ThreeMembers);

        Assert.All(network.parameters(), p => Assert.Equal(float64, p.dtype));
        var batchNorm = (LatePhaseBatchNorm)model.Layers[0].Layer;
        Assert.Equal(int64, batchNorm.BatchNormMember(2).num_batches_tracked!.dtype);
        Assert.Equal(float64, batchNorm.BatchNormMember(2).running_var!.dtype);
    }

    private static void AssertNoSharedStorage(IReadOnlyList<Tensor> memberTensors)
    {
        using var noGrad = no_grad();
        var before = memberTensors.Select(t => t.clone()).ToList();

        memberTensors[0].add_(1);

        Assert.False(LatePhaseTestData.Same(before[0], memberTensors[0]));
        Assert.True(LatePhaseTestData.Same(before[1], memberTensors[1]));
        Assert.True(LatePhaseTestData.Same(before[2], memberTensors[2]));
        memberTensors[0].sub_(1);
    }

    private static void AssertSameOutputs(
        nn.Module<Tensor, Tensor> reference, nn.Module<Tensor, Tensor> converted, Tensor input)
    {
        foreach (NormBase norm in reference.modules().OfType<NormBase>())
        {
            LatePhaseTestData.RandomiseBatchNorm(norm);
        }

        converted.load_state_dict(reference.state_dict());
        LatePhaseModel model = LatePhaseConverter.Convert(converted, ThreeMembers);
        model.Release(0, seed: 1);
        model.SetActiveMember(1);

        reference.eval();
        converted.eval();
        Tensor expectedEval = reference.forward(input);
        Tensor actualEval = converted.forward(input);
        reference.train();
        converted.train();
        Tensor expectedTrain = reference.forward(input);
        Tensor actualTrain = converted.forward(input);

        Assert.Equal(0, LatePhaseTestData.MaxAbsDiff(expectedEval, actualEval), 12);
        Assert.Equal(0, LatePhaseTestData.MaxAbsDiff(expectedTrain, actualTrain), 12);
        Assert.True(LatePhaseTestData.MaxAbsDiff(expectedEval, expectedTrain) > 1e-3, "eval and train must differ");
        var updated = reference.modules().OfType<NormBase>().ToList();
        var member = model.Layers.Select(l => l.Layer.Member(1)).OfType<NormBase>().ToList();
        Assert.Equal(updated.Count, member.Count);
        for (int i = 0; i < updated.Count; i++)
        {
            Assert.Equal(0, LatePhaseTestData.MaxAbsDiff(updated[i].running_mean!, member[i].running_mean!), 12);
            Assert.Equal(0, LatePhaseTestData.MaxAbsDiff(updated[i].running_var!, member[i].running_var!), 12);
        }
    }
}
