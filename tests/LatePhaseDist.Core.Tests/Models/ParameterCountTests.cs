using LatePhaseDist.Core.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LatePhaseDist.Core.Tests.Models;

public sealed class ParameterCountTests
{
    // Pre-activation ResNet-20, w = 16, n = 3 blocks per stage, 3×32×32 input, 10 classes. A BN layer of c
    // channels holds 2c parameters (γ, β); convs have no bias; a block holds bn1, conv1, bn2, conv2 (+ shortcut).
    //   stem conv 3→16, 3×3                                   3·16·9 =       432
    //   stage 1 (16→16), 3 blocks × (32 + 2304 + 32 + 2304)     3·4,672 =   14,016
    //   stage 2 block 1: bn 16 (32) + conv 16→32 (4,608) + bn 32 (64) + conv 32→32 (9,216)
    //                    + 1×1 shortcut 16→32 (512)                          14,432
    //           blocks 2–3: 2 × (64 + 9,216 + 64 + 9,216)        2·18,560 =   37,120
    //   stage 3 block 1: bn 32 (64) + conv 32→64 (18,432) + bn 64 (128) + conv 64→64 (36,864)
    //                    + 1×1 shortcut 32→64 (2,048)                        57,536
    //           blocks 2–3: 2 × (128 + 36,864 + 128 + 36,864)    2·73,984 =  147,968
    //   final bn 64                                                          128
    //   fc 64→10 + bias                                        640 + 10 =       650
    //   total                                                               272,282
    // With one input channel the stem is 1·16·9 = 144, so 272,282 − 288 = 271,994.
    [Theory]
    [InlineData(3, 272_282)]
    [InlineData(1, 271_994)]
    public void ResNet20_Width16_HasHandCountedParameters(int channels, long expected)
    {
        using var model = ModelZoo.Create(new ModelSpec(ModelSpec.ResNetKind, channels, 32, 10));

        Assert.IsType<PreActResNet>(model);
        Assert.Equal(expected, ModelTree.CountParameters(model));
        Assert.Equal(19, ModelTree.ModulesOf<BatchNorm2d>(model).Count);
    }

    // WRN-28-10, n = (28 − 4)/6 = 4 blocks per stage, widths 160, 320, 640, 3×32×32 input, 10 classes.
    //   stem conv 3→16, 3×3                                                      432
    //   stage 1 block 1: bn 16 (32) + conv 16→160 (23,040) + bn 160 (320) + conv 160→160 (230,400)
    //                    + 1×1 shortcut 16→160 (2,560)                       256,352
    //           blocks 2–4: 3 × (320 + 230,400 + 320 + 230,400)  3·461,440 = 1,384,320
    //   stage 2 block 1: bn 160 (320) + conv 160→320 (460,800) + bn 320 (640) + conv 320→320 (921,600)
    //                    + shortcut 160→320 (51,200)                        1,434,560
    //           blocks 2–4: 3 × (640 + 921,600 + 640 + 921,600)  3·1,844,480 = 5,533,440
    //   stage 3 block 1: bn 320 (640) + conv 320→640 (1,843,200) + bn 640 (1,280) + conv 640→640 (3,686,400)
    //                    + shortcut 320→640 (204,800)                       5,736,320
    //           blocks 2–4: 3 × (1,280 + 3,686,400 + 1,280 + 3,686,400) 3·7,375,360 = 22,126,080
    //   final bn 640                                                            1,280
    //   fc 640→10 + bias                                                        6,410
    //   total: 432 + 1,640,672 + 6,968,000 + 27,862,400 + 1,280 + 6,410    = 36,479,194
    // BatchNorm layers: 2 per block × 12 blocks + the final one = 25. Channels:
    //   stage 1: 16 + 160 + 3·(160 + 160) = 1,136; stage 2: 160 + 320 + 3·640 = 2,400;
    //   stage 3: 320 + 640 + 3·1,280 = 4,800; final 640; total 8,976 (17,952 γ/β parameters).
    [Fact]
    public void WideResNet28x10_Cifar10_HasHandCountedParametersAndBatchNorms()
    {
        using var model = ModelZoo.Create(new ModelSpec(ModelSpec.WideResNetKind, 3, 32, 10));
        var batchNorms = ModelTree.ModulesOf<BatchNorm2d>(model);

        Assert.IsType<WideResNet>(model);
        Assert.Equal(36_479_194, ModelTree.CountParameters(model));
        Assert.Equal(25, batchNorms.Count);
        Assert.Equal(8_976, batchNorms.Sum(bn => bn.num_features));
        Assert.Equal(17_952, batchNorms.Sum(bn => bn.weight.numel() + bn.bias!.numel()));
    }

    [Fact]
    public void WideResNet28x10_ForwardAtBatchOne_GivesTenLogits()
    {
        using var model = new WideResNet(inputChannels: 3, classes: 10);
        model.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();

        var logits = model.call(randn(1, 3, 32, 32));

        Assert.Equal([1L, 10L], logits.shape);
    }

    // Mlp 784 → 256 → 256 → 10 with BatchNorm1d: hidden linears have no bias (the BN shift replaces it).
    //   784·256 + 2·256 + 256·256 + 2·256 + 256·10 + 10 = 200,704 + 512 + 65,536 + 512 + 2,570 = 269,834
    // Without BatchNorm: 784·256 + 256 + 256·256 + 256 + 2,570 = 269,322.
    [Theory]
    [InlineData(true, 269_834)]
    [InlineData(false, 269_322)]
    public void Mlp_DefaultHidden_HasHandCountedParameters(bool batchNorm, long expected)
    {
        using var model = ModelZoo.Create(new ModelSpec(ModelSpec.MlpKind, MlpBatchNorm: batchNorm));

        Assert.IsType<Mlp>(model);
        Assert.Equal(expected, ModelTree.CountParameters(model));
    }
}
