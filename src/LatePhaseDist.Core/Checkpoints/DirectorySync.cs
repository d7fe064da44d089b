using System.Runtime.InteropServices;

namespace LatePhaseDist.Core.Checkpoints;

/// <summary>
/// Flushes a directory's entries to disk, so that a rename inside it survives a power loss. On Unix a rename is
/// only durable once the directory itself is fsynced; .NET cannot open a directory as a file, hence libc.
/// </summary>
internal static class DirectorySync
{
    private const int ReadOnly = 0;

    /// <summary>Fsyncs <paramref name="directory"/>; false where impossible (Windows, no libc, EINVAL).</summary>
    public static bool TryFlush(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            // NTFS journals renames itself; there is no directory handle to flush.
            return false;
        }

        try
        {
            var descriptor = Open(directory, ReadOnly);
            if (descriptor < 0)
            {
                return false;
            }

            try
            {
                return Fsync(descriptor) == 0;
            }
            finally
            {
                _ = Close(descriptor);
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int Fsync(int descriptor);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int descriptor);
}
