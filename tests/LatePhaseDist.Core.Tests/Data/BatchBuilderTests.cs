using LatePhaseDist.Core.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace LatePhaseDist.Core.Tests.Data;

public sealed class BatchBuilderTests
{
    // Maps pixel v to v / 255 exactly as a float32 division.
    private static readonly AugmentationOptions Identity = new() { Mean = [0f], Std = [1f] };

    [Fact]
    public void Build_KnownPixels_NormalisesPerChannel()
    {
        using var scope = torch.NewDisposeScope();
        using var data = Dataset(1, 2, 2, 2, [0, 51, 255, 128, 10, 20, 30, 40]);
        var aug = new AugmentationOptions { Mean = [0.2f, 0.5f], Std = [0.5f, 0.25f] };

        using var batch = BatchBuilder.Build(data, [0], aug, seed: 1, epoch: 0, train: false);

        var values = batch.Inputs.data<float>().ToArray();
        Assert.Equal(new long[] { 1, 2, 2, 2 }, batch.Inputs.shape);
        Assert.Equal(torch.float32, batch.Inputs.dtype);
        Assert.Equal(-0.4f, values[0], 6);
        Assert.Equal(0f, values[1], 6);
        Assert.Equal(1.6f, values[2], 6);
        Assert.Equal((128f / 255f - 0.2f) / 0.5f, values[3]);
        Assert.Equal((40f / 255f - 0.5f) / 0.25f, values[7]);
    }

    [Fact]
    public void Build_Indices_GathersSamplesAndTargetsInBatchOrder()
    {
        using var scope = torch.NewDisposeScope();
        using var data = ImageDataset.Synthetic(20, 1, 6, 10, seed: 4);

        using var batch = BatchBuilder.Build(data, [7, 2, 7], Identity, seed: 1, epoch: 0, train: false);

        Assert.Equal([7, 2, 7], batch.SampleIndices);
        var expectedTargets = data.Labels.index(new long[] { 7, 2, 7 }).data<long>().ToArray();
        Assert.Equal(expectedTargets, batch.Targets.data<long>().ToArray());
        var expectedInputs = data.Images[2].data<byte>().ToArray().Select(v => v / 255f);
        Assert.Equal(expectedInputs, batch.Inputs[1].data<float>().ToArray());
    }

    [Fact]
    public void Build_FlipDrawn_MirrorsColumns()
    {
        using var scope = torch.NewDisposeScope();
        using var data = Dataset(1, 1, 4, 4, Enumerable.Range(0, 16).Select(v => (byte)(v * 10)).ToArray());
        var aug = Identity with { HorizontalFlip = true };
        var flipEpoch = FirstEpoch(e => SampleRandom.Draw(5, e, 0, 0, true).Flip);
        var keepEpoch = FirstEpoch(e => !SampleRandom.Draw(5, e, 0, 0, true).Flip);
        using var plain = BatchBuilder.Build(data, [0], aug, 5, 0, train: false);

        using var flipped = BatchBuilder.Build(data, [0], aug, 5, flipEpoch, train: true);
        using var kept = BatchBuilder.Build(data, [0], aug, 5, keepEpoch, train: true);

        Assert.True(flipped.Inputs.equal(plain.Inputs.flip(3)).all().item<bool>());
        Assert.True(kept.Inputs.equal(plain.Inputs).all().item<bool>());
    }

    [Fact]
    public void Build_CropDrawn_ShiftsContentAndPadsWithZero()
    {
        using var scope = torch.NewDisposeScope();
        var pixels = new byte[64];
        pixels[3 * 8 + 4] = 255;
        using var data = Dataset(1, 1, 8, 8, pixels);
        var aug = Identity with { PadCrop = 2 };
        var shifted = 0;

        for (var epoch = 0; epoch < 8; epoch++)
        {
            var draw = SampleRandom.Draw(3, epoch, 0, 2, false);
            using var batch = BatchBuilder.Build(data, [0], aug, 3, epoch, train: true);
            var (y, x) = (3 - (draw.OffsetY - 2), 4 - (draw.OffsetX - 2));

            Assert.Equal(1f, batch.Inputs[0, 0, y, x].item<float>());
            Assert.Equal(1f, batch.Inputs.sum().item<float>());
            shifted += draw.OffsetY != 2 || draw.OffsetX != 2 ? 1 : 0;
        }

        Assert.True(shifted > 0);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(11)]
    public void Build_CropAndFlip_MatchesDocumentedFormula(int pad)
    {
        using var scope = torch.NewDisposeScope();
        using var data = ImageDataset.Synthetic(6, 3, 8, 10, seed: 8);
        var aug = AugmentationOptions.Plain(3) with { PadCrop = pad, HorizontalFlip = true };
        int[] indices = [5, 0, 3, 1, 2, 4, 5, 0];

        using var batch = BatchBuilder.Build(data, indices, aug, seed: 2, epoch: 6, train: true);

        var actual = batch.Inputs.data<float>().ToArray();
        var pixels = data.Images.data<byte>().ToArray();
        var position = 0;
        foreach (var index in indices)
        {
            var draw = SampleRandom.Draw(2, 6, index, pad, true);
            for (var c = 0; c < 3; c++)
            {
                for (var y = 0; y < 8; y++)
                {
                    for (var x = 0; x < 8; x++)
                    {
                        var (sy, sx) = (y + draw.OffsetY - pad, (draw.Flip ? 7 - x : x) + draw.OffsetX - pad);
                        var inside = sy is >= 0 and < 8 && sx is >= 0 and < 8;
                        var value = inside ? pixels[((index * 3 + c) * 8 + sy) * 8 + sx] : 0;
                        Assert.Equal((value / 255f - 0.5f) / 0.5f, actual[position++]);
                    }
                }
            }
        }
    }

    [Fact]
    public void Build_SameArgumentsTwice_IsBitIdenticalAndOtherEpochDiffers()
    {
        using var scope = torch.NewDisposeScope();
        using var data = ImageDataset.Synthetic(64, 3, 16, 10, seed: 1);
        var indices = Enumerable.Range(0, 64).ToArray();

        using var first = BatchBuilder.Build(data, indices, AugmentationOptions.Cifar10, 7, 1, train: true);
        using var second = BatchBuilder.Build(data, indices, AugmentationOptions.Cifar10, 7, 1, train: true);
        using var nextEpoch = BatchBuilder.Build(data, indices, AugmentationOptions.Cifar10, 7, 2, train: true);

        Assert.True(first.Inputs.bytes.SequenceEqual(second.Inputs.bytes));
        Assert.False(first.Inputs.bytes.SequenceEqual(nextEpoch.Inputs.bytes));
    }

    [Fact]
    public void Build_OnAnotherThread_IsBitIdenticalToTestThread()
    {
        using var scope = torch.NewDisposeScope();
        using var data = ImageDataset.Synthetic(40, 3, 32, 10, seed: 2);
        var indices = DataOrder.Permutation(40, 3, 0)[..32];
        byte[]? otherThread = null;
        var thread = new Thread(() =>
        {
            using var batch = BatchBuilder.Build(data, indices, AugmentationOptions.Cifar10, 3, 5, train: true);
            otherThread = batch.Inputs.bytes.ToArray();
        });

        thread.Start();
        thread.Join();
        using var here = BatchBuilder.Build(data, indices, AugmentationOptions.Cifar10, 3, 5, train: true);

        Assert.NotNull(otherThread);
        Assert.True(here.Inputs.bytes.SequenceEqual(otherThread));
    }

    [Fact]
    public void Build_IndexOutsideDataset_ThrowsArgumentOutOfRange()
    {
        using var scope = torch.NewDisposeScope();
        using var data = ImageDataset.Synthetic(4, 1, 4, 2, seed: 1);

        var error = Assert.Throws<ArgumentOutOfRangeException>(
            () => BatchBuilder.Build(data, [0, 4], Identity, 1, 0, train: false));

        Assert.Contains("sample index 4", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_MeanOfWrongLength_ThrowsNamingSetting()
    {
        using var scope = torch.NewDisposeScope();
        using var data = ImageDataset.Synthetic(4, 3, 4, 2, seed: 1);

        var error = Assert.Throws<ArgumentException>(
            () => BatchBuilder.Build(data, [0], AugmentationOptions.FashionMnist, 1, 0, train: false));

        Assert.Equal("Mean", error.ParamName);
    }

    private static ImageDataset Dataset(int count, int channels, int height, int width, byte[] pixels) =>
        new(
            torch.tensor(pixels, new long[] { count, channels, height, width }),
            torch.zeros(count, dtype: ScalarType.Int64),
            classes: 1,
            name: "handmade");

    private static int FirstEpoch(Func<int, bool> predicate) =>
        Enumerable.Range(0, 64).First(predicate);
}
