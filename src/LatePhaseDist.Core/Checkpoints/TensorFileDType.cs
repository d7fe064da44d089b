using TorchSharp;

namespace LatePhaseDist.Core.Checkpoints;

/// <summary>
/// The element types a tensor file can hold, with the code each one has on disk. The codes are part of the file
/// format and never change meaning; a new type gets a new code.
/// </summary>
internal static class TensorFileDType
{
    private static readonly (byte Code, torch.ScalarType Type, int Size)[] Table =
    [
        (1, torch.ScalarType.Float32, 4),
        (2, torch.ScalarType.Float64, 8),
        (3, torch.ScalarType.Float16, 2),
        (4, torch.ScalarType.BFloat16, 2),
        (5, torch.ScalarType.Int64, 8),
        (6, torch.ScalarType.Int32, 4),
        (7, torch.ScalarType.Int16, 2),
        (8, torch.ScalarType.Int8, 1),
        (9, torch.ScalarType.Byte, 1),
        (10, torch.ScalarType.Bool, 1),
    ];

    /// <summary>The code and element size in bytes of <paramref name="type"/>, or false when it has none.</summary>
    public static bool TryEncode(torch.ScalarType type, out byte code, out int elementSize)
    {
        foreach (var entry in Table)
        {
            if (entry.Type == type)
            {
                code = entry.Code;
                elementSize = entry.Size;
                return true;
            }
        }

        code = 0;
        elementSize = 0;
        return false;
    }

    /// <summary>The element type and size in bytes that <paramref name="code"/> stands for, or false.</summary>
    public static bool TryDecode(byte code, out torch.ScalarType type, out int elementSize)
    {
        foreach (var entry in Table)
        {
            if (entry.Code == code)
            {
                type = entry.Type;
                elementSize = entry.Size;
                return true;
            }
        }

        type = default;
        elementSize = 0;
        return false;
    }

    /// <summary>The supported types, for error messages.</summary>
    public static string Supported => string.Join(", ", Table.Select(e => e.Type));
}
