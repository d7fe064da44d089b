using static TorchSharp.torch;

namespace LatePhaseDist.Core.Tests.LatePhase;

/// <summary>conv → BN → relu → conv → BN → relu → global average pool → fc, with BatchNorm2d.</summary>
/// <remarks>Fields are declared Module&lt;Tensor, Tensor&gt; so that the converter can swap them; the head is "fc".
/// The PyTorch reference scripts build the same network with the same state-dict keys.</remarks>
internal sealed class ConvBnNet : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> conv1;
    private readonly nn.Module<Tensor, Tensor> bn1;
    private readonly nn.Module<Tensor, Tensor> conv2;
    private readonly nn.Module<Tensor, Tensor> bn2;
    private readonly nn.Module<Tensor, Tensor> fc;

    public ConvBnNet(long inputChannels = 3, long width1 = 4, long width2 = 6, long classes = 5)
        : base(nameof(ConvBnNet))
    {
        conv1 = nn.Conv2d(inputChannels, width1, 3, padding: 1);
        bn1 = nn.BatchNorm2d(width1);
        conv2 = nn.Conv2d(width1, width2, 3, padding: 1);
        bn2 = nn.BatchNorm2d(width2);
        fc = nn.Linear(width2, classes);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        Tensor x = nn.functional.relu(bn1.forward(conv1.forward(input)));
        x = nn.functional.relu(bn2.forward(conv2.forward(x)));
        return fc.forward(x.mean([2L, 3L])).MoveToOuterDisposeScope();
    }
}

/// <summary>fc1 → BN → relu → fc2 → BN → relu → fc, with BatchNorm1d.</summary>
internal sealed class MlpBnNet : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> fc1;
    private readonly nn.Module<Tensor, Tensor> bn1;
    private readonly nn.Module<Tensor, Tensor> fc2;
    private readonly nn.Module<Tensor, Tensor> bn2;
    private readonly nn.Module<Tensor, Tensor> fc;

    public MlpBnNet(long inputs = 8, long hidden = 16, long classes = 4)
        : base(nameof(MlpBnNet))
    {
        fc1 = nn.Linear(inputs, hidden);
        bn1 = nn.BatchNorm1d(hidden);
        fc2 = nn.Linear(hidden, hidden);
        bn2 = nn.BatchNorm1d(hidden);
        fc = nn.Linear(hidden, classes);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        Tensor x = nn.functional.relu(bn1.forward(fc1.forward(input)));
        x = nn.functional.relu(bn2.forward(fc2.forward(x)));
        return fc.forward(x).MoveToOuterDisposeScope();
    }
}
