namespace LatePhaseDist.Core.Data;

/// <summary>Which CIFAR binary record layout a file uses.</summary>
public enum CifarVariant
{
    /// <summary>CIFAR-10: one label byte in [0, 10) then 3072 pixel bytes (3073 per record).</summary>
    Cifar10,

    /// <summary>CIFAR-100: a coarse label byte in [0, 20), a fine label byte in [0, 100), then 3072 pixel bytes
    /// (3074 per record); the fine label is the class.</summary>
    Cifar100,
}
