using System.Buffers.Binary;
using LatePhaseDist.Core.Data;

namespace LatePhaseDist.Core.Tests.Data;

public sealed class IdxReaderErrorTests : IDisposable
{
    private readonly TempDirectory dir = new();
    private readonly byte[] images = TestDataFiles.IdxImages(4, 3, 3);
    private readonly byte[] labels = TestDataFiles.IdxLabels([0, 1, 2, 3]);

    public void Dispose() => dir.Dispose();

    [Fact]
    public void Read_ImageFileWithForeignMagic_ThrowsNamingFileAndMagic()
    {
        BinaryPrimitives.WriteInt32BigEndian(images, 0x12345678);

        var (path, error) = ReadBroken(images, labels, brokenIsImages: true);

        AssertNames(error, path, "magic number 0x12345678");
    }

    [Fact]
    public void Read_LabelFileWithImageMagic_ThrowsNamingFileAndMagic()
    {
        BinaryPrimitives.WriteInt32BigEndian(labels, 0x00000803);

        var (path, error) = ReadBroken(images, labels, brokenIsImages: false);

        AssertNames(error, path, "magic number 0x00000803 is not an IDX label file");
    }

    [Fact]
    public void Read_ImageFileWithTwoDimensions_ThrowsNamingDimensions()
    {
        BinaryPrimitives.WriteInt32BigEndian(images, 0x00000802);

        var (path, error) = ReadBroken(images, labels, brokenIsImages: true);

        AssertNames(error, path, "declares 2 dimensions, not 3");
    }

    [Fact]
    public void Read_ImageFileOfFloats_ThrowsNamingElementType()
    {
        BinaryPrimitives.WriteInt32BigEndian(images, 0x00000D03);

        var (path, error) = ReadBroken(images, labels, brokenIsImages: true);

        AssertNames(error, path, "element type 0x0D");
    }

    [Fact]
    public void Read_TruncatedImageFile_ThrowsNamingTruncation()
    {
        var (path, error) = ReadBroken(images[..^5], labels, brokenIsImages: true);

        AssertNames(error, path, "truncated");
    }

    [Fact]
    public void Read_TruncatedGzippedImageFile_ThrowsNamingDecompressedLength()
    {
        var (path, error) = ReadBroken(TestDataFiles.Gzip(images[..^1]), labels, brokenIsImages: true);

        AssertNames(error, path, "truncated: decompressed length");
    }

    [Fact]
    public void Read_HeaderCutShort_ThrowsNamingTruncation()
    {
        var (path, error) = ReadBroken(images[..10], labels, brokenIsImages: true);

        AssertNames(error, path, "truncated");
    }

    [Fact]
    public void Read_LabelFileWithTrailingBytes_ThrowsNamingTrailingBytes()
    {
        var (path, error) = ReadBroken(images, [.. labels, 0, 0], brokenIsImages: false);

        AssertNames(error, path, "2 trailing bytes");
    }

    [Fact]
    public void Read_FewerLabelsThanImages_ThrowsNamingCountMismatch()
    {
        var (path, error) = ReadBroken(images, TestDataFiles.IdxLabels([0, 1, 2]), brokenIsImages: false);

        AssertNames(error, path, "count mismatch");
        Assert.Contains("3 labels", error.Message, StringComparison.Ordinal);
        Assert.Contains("4 images", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_LabelBeyondClassCount_ThrowsNamingRange()
    {
        var (path, error) = ReadBroken(images, TestDataFiles.IdxLabels([0, 1, 10, 3]), brokenIsImages: false);

        AssertNames(error, path, "label 10 at index 2 is out of range [0, 10)");
    }

    [Fact]
    public void Read_CorruptGzipStream_ThrowsNamingGzip()
    {
        byte[] corrupt = [0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0x03, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff];

        var (path, error) = ReadBroken(corrupt, labels, brokenIsImages: true);

        AssertNames(error, path, "corrupt gzip");
        Assert.NotNull(error.InnerException);
    }

    [Fact]
    public void Read_MissingLabelFile_ThrowsNamingMissingFile()
    {
        var imagesPath = dir.Write("images", images);
        var labelsPath = Path.Combine(dir.Path, "no-such-labels");

        var error = Assert.Throws<DataFormatException>(() => IdxReader.Read(imagesPath, labelsPath, 10, "broken"));

        AssertNames(error, labelsPath, "file not found");
    }

    [Fact]
    public void ReadFashionMnist_EmptyDirectory_ThrowsNamingStandardFile()
    {
        var error = Assert.Throws<DataFormatException>(() => IdxReader.ReadFashionMnist(dir.Path));

        AssertNames(error, Path.Combine(dir.Path, "train-images-idx3-ubyte.gz"), "file not found");
    }

    private static void AssertNames(DataFormatException error, string path, string problem)
    {
        Assert.StartsWith(path + ": ", error.Message, StringComparison.Ordinal);
        Assert.Equal(path, error.FilePath);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    private (string BrokenPath, DataFormatException Error) ReadBroken(
        byte[] imageBytes,
        byte[] labelBytes,
        bool brokenIsImages)
    {
        var imagesPath = dir.Write("images-idx3", imageBytes);
        var labelsPath = dir.Write("labels-idx1", labelBytes);

        var error = Assert.Throws<DataFormatException>(() => IdxReader.Read(imagesPath, labelsPath, 10, "broken"));

        return (brokenIsImages ? imagesPath : labelsPath, error);
    }
}
