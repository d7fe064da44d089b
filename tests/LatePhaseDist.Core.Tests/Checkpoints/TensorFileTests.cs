using LatePhaseDist.Core.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace LatePhaseDist.Core.Tests.Checkpoints;

public sealed class TensorFileTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    public static TheoryData<ScalarType> DTypes() =>
    [
        ScalarType.Float32, ScalarType.Float64, ScalarType.Float16, ScalarType.BFloat16, ScalarType.Int64,
        ScalarType.Int32, ScalarType.Int16, ScalarType.Int8, ScalarType.Byte, ScalarType.Bool,
    ];

    [Theory]
    [MemberData(nameof(DTypes))]
    public void TensorFile_RoundTripOfEachDType_IsBitExact(ScalarType dtype)
    {
        var path = _temp.Combine("t.lpdt");
        using var matrix = RandomBits(dtype, [3, 5], seed: 1);
        using var scalar = RandomBits(dtype, [], seed: 2);
        using var none = RandomBits(dtype, [0, 4], seed: 3);

        TensorFile.Write(path, new Dictionary<string, Tensor> { ["m"] = matrix, ["s"] = scalar, ["e"] = none });
        var read = TensorFile.Read(path);

        Assert.Equal(["e", "m", "s"], read.Keys.Order(StringComparer.Ordinal));
        AssertBitEqual(matrix, read["m"]);
        AssertBitEqual(scalar, read["s"]);
        AssertBitEqual(none, read["e"]);
        DisposeAll(read);
    }

    [Fact]
    public void TensorFile_RoundTripOfNaNPayloadsAndNegativeZero_IsBitExact()
    {
        var path = _temp.Combine("special.lpdt");
        uint[] singles = [0x7FC00001, 0xFFC12345, 0x7F800001, 0x80000000, 0x00000001, 0xFF800000];
        ulong[] doubles = [0x7FF8000000000001, 0xFFF0000000000123, 0x8000000000000000, 0x0000000000000001];
        using var f32 = FromBytes(ScalarType.Float32, [singles.Length], ToBytes(singles));
        using var f64 = FromBytes(ScalarType.Float64, [doubles.Length], ToBytes(doubles));

        TensorFile.Write(path, new Dictionary<string, Tensor> { ["f32"] = f32, ["f64"] = f64 });
        var read = TensorFile.Read(path);

        Assert.Equal(ToBytes(singles), read["f32"].bytes.ToArray());
        Assert.Equal(ToBytes(doubles), read["f64"].bytes.ToArray());
        DisposeAll(read);
    }

    [Fact]
    public void TensorFile_NonContiguousTensor_IsWrittenInLogicalOrder()
    {
        var path = _temp.Combine("t.lpdt");
        using var source = arange(12, dtype: ScalarType.Float32).reshape(3, 4);
        using var transposed = source.t();

        TensorFile.Write(path, new Dictionary<string, Tensor> { ["t"] = transposed });
        var read = TensorFile.Read(path);

        Assert.Equal([4L, 3L], read["t"].shape);
        using var expected = transposed.contiguous();
        AssertBitEqual(expected, read["t"]);
        DisposeAll(read);
    }

    [Fact]
    public void TensorFile_ParameterThatRequiresGrad_IsReadBackAsPlainTensor()
    {
        var path = _temp.Combine("t.lpdt");
        using var weight = new TorchSharp.Modules.Parameter(randn(2, 3));

        TensorFile.Write(path, new Dictionary<string, Tensor> { ["w"] = weight });
        var read = TensorFile.Read(path);

        Assert.False(read["w"].requires_grad);
        AssertBitEqual(weight, read["w"]);
        Assert.True(weight.requires_grad);
        DisposeAll(read);
    }

    [Fact]
    public void TensorFile_SameTensorsInAnotherInsertionOrder_WritesTheSameBytes()
    {
        using var a = ones(3);
        using var b = zeros(2, dtype: ScalarType.Int64);

        TensorFile.Write(_temp.Combine("ab"), new Dictionary<string, Tensor> { ["a"] = a, ["b"] = b });
        TensorFile.Write(_temp.Combine("ba"), new Dictionary<string, Tensor> { ["b"] = b, ["a"] = a });

        Assert.Equal(File.ReadAllBytes(_temp.Combine("ab")), File.ReadAllBytes(_temp.Combine("ba")));
    }

    [Fact]
    public void TensorFile_Overwrite_LeavesOnlyTheTargetFile()
    {
        var path = _temp.Combine("t.lpdt");
        using var a = ones(3);
        using var b = zeros(5);

        TensorFile.Write(path, new Dictionary<string, Tensor> { ["x"] = a });
        TensorFile.Write(path, new Dictionary<string, Tensor> { ["x"] = b });
        var read = TensorFile.Read(path);

        Assert.Equal([path], Directory.GetFiles(_temp.Path));
        Assert.Equal([5L], read["x"].shape);
        DisposeAll(read);
    }

    [Fact]
    public void TensorFile_BadMagic_ThrowsInvalidDataNamingThePath()
    {
        var path = _temp.Combine("bad.lpdt");
        File.WriteAllBytes(path, "NOPE and some more bytes"u8.ToArray());

        var error = Assert.Throws<InvalidDataException>(() => TensorFile.Read(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("magic", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TensorFile_TruncatedAtAnyLength_ThrowsInvalidDataNamingThePath()
    {
        var path = _temp.Combine("t.lpdt");
        var cut = _temp.Combine("cut.lpdt");
        using var a = arange(10, dtype: ScalarType.Float64);
        TensorFile.Write(path, new Dictionary<string, Tensor> { ["alpha"] = a, ["beta"] = a });
        var whole = File.ReadAllBytes(path);

        for (var length = 0; length < whole.Length; length++)
        {
            File.WriteAllBytes(cut, whole[..length]);

            var error = Assert.Throws<InvalidDataException>(() => TensorFile.Read(cut));

            Assert.Contains(cut, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void TensorFile_TrailingBytes_ThrowsInvalidData()
    {
        var path = _temp.Combine("t.lpdt");
        using var a = ones(2);
        TensorFile.Write(path, new Dictionary<string, Tensor> { ["a"] = a });
        File.AppendAllText(path, "x");

        var error = Assert.Throws<InvalidDataException>(() => TensorFile.Read(path));

        Assert.Contains("after the last", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TensorFile_UnsupportedDType_ThrowsArgumentAndWritesNothing()
    {
        var path = _temp.Combine("t.lpdt");
        using var complex = zeros(2, dtype: ScalarType.ComplexFloat32);

        var error = Assert.Throws<ArgumentException>(
            () => TensorFile.Write(path, new Dictionary<string, Tensor> { ["c"] = complex }));

        Assert.Contains("'c'", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(_temp.Path));
    }

    [Fact]
    public void TensorFile_DirectoryIsAFile_ThrowsIOExceptionNamingThePath()
    {
        var blocker = _temp.Combine("blocker");
        File.WriteAllText(blocker, "not a directory");
        var path = Path.Combine(blocker, "t.lpdt");
        using var a = ones(2);

        var error = Assert.Throws<IOException>(
            () => TensorFile.Write(path, new Dictionary<string, Tensor> { ["a"] = a }));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    internal static Tensor RandomBits(ScalarType dtype, long[] shape, int seed)
    {
        var tensor = empty(shape, dtype);
        var raw = new byte[tensor.bytes.Length];
        new Random(seed).NextBytes(raw);
        if (dtype == ScalarType.Bool)
        {
            for (var i = 0; i < raw.Length; i++)
            {
                raw[i] &= 1;
            }
        }

        tensor.bytes = raw;
        return tensor;
    }

    internal static void AssertBitEqual(Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.dtype, actual.dtype);
        Assert.Equal(expected.shape, actual.shape);
        Assert.Equal(DeviceType.CPU, actual.device_type);
        Assert.Equal(expected.bytes.ToArray(), actual.bytes.ToArray());
    }

    internal static void DisposeAll(Dictionary<string, Tensor> tensors)
    {
        foreach (var tensor in tensors.Values)
        {
            tensor.Dispose();
        }
    }

    private static Tensor FromBytes(ScalarType dtype, long[] shape, byte[] raw)
    {
        var tensor = empty(shape, dtype);
        tensor.bytes = raw;
        return tensor;
    }

    private static byte[] ToBytes<T>(T[] values)
        where T : unmanaged => System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
}
