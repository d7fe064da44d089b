using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LatePhaseDist.Core.Training;

/// <summary>Creates TorchSharp optimizers from <see cref="OptimizerOptions"/> and sets their learning rate.</summary>
public static class OptimizerFactory
{
    /// <summary>An optimizer over <paramref name="parameters"/> with the given weight decay.</summary>
    public static optim.Optimizer Create(
        IEnumerable<Parameter> parameters, OptimizerOptions options, double weightDecay) => options.Kind switch
        {
            "adam" => optim.Adam(
                parameters, options.LearningRate, options.Beta1, options.Beta2, options.Epsilon, weightDecay),
            _ => optim.SGD(
                parameters, options.LearningRate, options.Momentum, 0.0, weightDecay, options.Nesterov),
        };

    /// <summary>Sets every parameter group's learning rate.</summary>
    public static void SetLearningRate(optim.Optimizer optimizer, double learningRate)
    {
        foreach (optim.ILearningRateController group in optimizer.ParamGroups)
        {
            group.LearningRate = learningRate;
        }
    }

    /// <summary>The optimizer's state (momentum buffers, Adam moments, step counts) as bytes.</summary>
    public static byte[] SaveState(optim.Optimizer optimizer)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            ((OptimizerHelper)optimizer).save_state_dict(writer);
        }

        return stream.ToArray();
    }

    /// <summary>
    /// Restores state written by <see cref="SaveState"/> into an optimizer over parameters of the same shapes, then
    /// sets the hyper-parameters again from <paramref name="options"/> and <paramref name="weightDecay"/>: TorchSharp's
    /// state carries the writer's settings, which differ when members start from the tied copy's state.
    /// </summary>
    public static void LoadState(optim.Optimizer optimizer, byte[] state, OptimizerOptions options, double weightDecay)
    {
        using (var stream = new MemoryStream(state))
        using (var reader = new BinaryReader(stream))
        {
            ((OptimizerHelper)optimizer).load_state_dict(reader);
        }

        foreach (optim.ILearningRateController group in optimizer.ParamGroups)
        {
            switch (((ParamGroup)group).Options)
            {
                case SGD.Options sgd:
                    sgd.momentum = options.Momentum;
                    sgd.nesterov = options.Nesterov;
                    sgd.weight_decay = weightDecay;
                    break;
                case Adam.Options adam:
                    adam.beta1 = options.Beta1;
                    adam.beta2 = options.Beta2;
                    adam.eps = options.Epsilon;
                    adam.weight_decay = weightDecay;
                    break;
            }
        }
    }
}
