using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace LatePhaseDist.Core.Models;

/// <summary>
/// Builds the zoo's layers with their initialisation. Every layer is returned as
/// <see cref="Module{T, TResult}"/> so that the late-phase conversion can swap it for a member-aware one.
/// All random draws use torch's default generator; callers seed it.
/// </summary>
internal static class Layers
{
    /// <summary>3×3 convolution, padding 1, no bias (BN follows); Kaiming-normal (fan_out, ReLU gain).</summary>
    public static Module<Tensor, Tensor> Conv3x3(long inChannels, long outChannels, long stride = 1) =>
        Conv(inChannels, outChannels, kernelSize: 3, stride, padding: 1);

    /// <summary>1×1 convolution, no bias; Kaiming-normal (fan_out, ReLU gain).</summary>
    public static Module<Tensor, Tensor> Conv1x1(long inChannels, long outChannels, long stride = 1) =>
        Conv(inChannels, outChannels, kernelSize: 1, stride, padding: 0);

    /// <summary>BatchNorm2d with weight 1 and bias 0 (PyTorch's defaults, set explicitly).</summary>
    public static Module<Tensor, Tensor> BatchNorm2d(long features)
    {
        var bn = nn.BatchNorm2d(features);
        ResetAffine(bn.weight, bn.bias);
        return bn;
    }

    /// <summary>BatchNorm1d with weight 1 and bias 0 (PyTorch's defaults, set explicitly).</summary>
    public static Module<Tensor, Tensor> BatchNorm1d(long features)
    {
        var bn = nn.BatchNorm1d(features);
        ResetAffine(bn.weight, bn.bias);
        return bn;
    }

    /// <summary>
    /// Linear layer with Kaiming-normal weights (fan_in, ReLU gain) and a zero bias, as the authors' code
    /// initialises the classifier head. Used for hidden MLP layers too, without a bias when a BatchNorm follows.
    /// </summary>
    public static Module<Tensor, Tensor> Linear(long inFeatures, long outFeatures, bool bias = true)
    {
        var linear = nn.Linear(inFeatures, outFeatures, hasBias: bias);
        using (no_grad())
        {
            init.kaiming_normal_(linear.weight, mode: init.FanInOut.FanIn, nonlinearity: init.NonlinearityType.ReLU);
            linear.bias?.zero_();
        }

        return linear;
    }

    private static Module<Tensor, Tensor> Conv(
        long inChannels,
        long outChannels,
        long kernelSize,
        long stride,
        long padding)
    {
        var conv = nn.Conv2d(inChannels, outChannels, kernelSize, stride: stride, padding: padding, bias: false);
        using (no_grad())
        {
            init.kaiming_normal_(conv.weight, mode: init.FanInOut.FanOut, nonlinearity: init.NonlinearityType.ReLU);
        }

        return conv;
    }

    private static void ResetAffine(Tensor? weight, Tensor? bias)
    {
        using (no_grad())
        {
            weight?.fill_(1.0);
            bias?.zero_();
        }
    }
}
