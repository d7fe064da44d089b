// Reads and edits the symbol-version requirements (.gnu.version_r) of a 64-bit little-endian ELF shared library.
// Used by the build (LibTorchSharpCompat.targets) and by the tests, so it references nothing but the BCL.
#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace LatePhaseDist.Build
{
    /// <summary>One version that a library requires from one of its dependencies.</summary>
    public sealed class ElfVersionNeed
    {
        /// <summary>Creates a requirement read from the table.</summary>
        public ElfVersionNeed(string file, string version, ushort flags, long flagsOffset)
        {
            File = file;
            Version = version;
            Flags = flags;
            FlagsOffset = flagsOffset;
        }

        /// <summary>The dependency's soname, e.g. libstdc++.so.6.</summary>
        public string File { get; }

        /// <summary>The required version, e.g. GLIBCXX_3.4.32.</summary>
        public string Version { get; }

        /// <summary>The vna_flags field.</summary>
        public ushort Flags { get; }

        /// <summary>Byte offset of the vna_flags field in the file.</summary>
        public long FlagsOffset { get; }

        /// <summary>VER_FLG_WEAK: the loader accepts the library even when the dependency lacks this version.</summary>
        public const ushort WeakFlag = 0x2;

        /// <summary>True when the requirement is weak.</summary>
        public bool IsWeak => (Flags & WeakFlag) != 0;
    }

    /// <summary>ELF version-need table reader and the one edit the build makes to it.</summary>
    public static class ElfVersionNeeds
    {
        private const uint ShtGnuVerneed = 0x6ffffffe;

        /// <summary>Lists every version requirement of the library at <paramref name="path"/>.</summary>
        public static IReadOnlyList<ElfVersionNeed> Read(string path)
        {
            byte[] elf = File.ReadAllBytes(path);
            return Read(elf, path);
        }

        /// <summary>
        /// Marks the requirement of <paramref name="version"/> from <paramref name="file"/> weak, in place.
        /// Returns true when the file changed, false when the requirement was already weak.
        /// Throws when the library does not require that version at all.
        /// </summary>
        public static bool MakeWeak(string path, string file, string version)
        {
            byte[] elf = File.ReadAllBytes(path);
            ElfVersionNeed? need = null;
            foreach (ElfVersionNeed candidate in Read(elf, path))
            {
                if (candidate.File == file && candidate.Version == version)
                {
                    need = candidate;
                }
            }

            if (need is null)
            {
                throw new InvalidDataException($"{path} does not require {version} from {file}.");
            }

            if (need.IsWeak)
            {
                return false;
            }

            ushort flags = (ushort)(need.Flags | ElfVersionNeed.WeakFlag);
            using (var stream = new FileStream(path, FileMode.Open, FileAccess.Write))
            {
                stream.Position = need.FlagsOffset;
                stream.WriteByte((byte)(flags & 0xff));
                stream.WriteByte((byte)(flags >> 8));
            }

            return true;
        }

        /// <summary>True when the shared library at <paramref name="path"/> defines symbol version <paramref name="version"/>.</summary>
        public static bool DefinesVersion(string path, string version)
        {
            byte[] elf = File.ReadAllBytes(path);
            byte[] needle = Encoding.ASCII.GetBytes(version + "\0");
            return IndexOf(elf, needle) >= 0;
        }

        private static IReadOnlyList<ElfVersionNeed> Read(byte[] elf, string path)
        {
            if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            {
                throw new InvalidDataException($"{path} is not an ELF file.");
            }

            if (elf[4] != 2 || elf[5] != 1)
            {
                throw new InvalidDataException($"{path} is not a 64-bit little-endian ELF file.");
            }

            long sectionTable = (long)U64(elf, 0x28, path);
            int sectionSize = U16(elf, 0x3a, path);
            int sectionCount = U16(elf, 0x3c, path);
            var needs = new List<ElfVersionNeed>();
            for (int i = 0; i < sectionCount; i++)
            {
                long header = sectionTable + (long)i * sectionSize;
                if (U32(elf, header + 4, path) != ShtGnuVerneed)
                {
                    continue;
                }

                long tableOffset = (long)U64(elf, header + 0x18, path);
                uint entryCount = U32(elf, header + 0x2c, path);
                uint linkedStrings = U32(elf, header + 0x28, path);
                long strings = (long)U64(elf, sectionTable + (long)linkedStrings * sectionSize + 0x18, path);
                ReadNeeds(elf, path, tableOffset, entryCount, strings, needs);
            }

            return needs;
        }

        private static void ReadNeeds(
            byte[] elf, string path, long entry, uint entryCount, long strings, List<ElfVersionNeed> needs)
        {
            for (uint n = 0; n < entryCount; n++)
            {
                int auxCount = U16(elf, entry + 2, path);
                string file = CString(elf, strings + U32(elf, entry + 4, path), path);
                long aux = entry + U32(elf, entry + 8, path);
                for (int a = 0; a < auxCount; a++)
                {
                    ushort flags = U16(elf, aux + 4, path);
                    string version = CString(elf, strings + U32(elf, aux + 8, path), path);
                    needs.Add(new ElfVersionNeed(file, version, flags, aux + 4));
                    aux += U32(elf, aux + 12, path);
                }

                uint next = U32(elf, entry + 12, path);
                if (next == 0)
                {
                    break;
                }

                entry += next;
            }
        }

        private static void Check(byte[] elf, long offset, int length, string path)
        {
            if (offset < 0 || offset + length > elf.Length)
            {
                throw new InvalidDataException($"{path} is truncated or malformed (offset {offset} out of range).");
            }
        }

        private static ushort U16(byte[] elf, long offset, string path)
        {
            Check(elf, offset, 2, path);
            return (ushort)(elf[offset] | (elf[offset + 1] << 8));
        }

        private static uint U32(byte[] elf, long offset, string path)
        {
            Check(elf, offset, 4, path);
            return BitConverter.ToUInt32(elf, (int)offset);
        }

        private static ulong U64(byte[] elf, long offset, string path)
        {
            Check(elf, offset, 8, path);
            return BitConverter.ToUInt64(elf, (int)offset);
        }

        private static string CString(byte[] elf, long offset, string path)
        {
            Check(elf, offset, 1, path);
            long end = offset;
            while (end < elf.Length && elf[end] != 0)
            {
                end++;
            }

            return Encoding.ASCII.GetString(elf, (int)offset, (int)(end - offset));
        }

        private static int IndexOf(byte[] haystack, byte[] needle)
        {
            for (int i = 0; i + needle.Length <= haystack.Length; i++)
            {
                if (haystack[i] != needle[0])
                {
                    continue;
                }

                int j = 1;
                while (j < needle.Length && haystack[i + j] == needle[j])
                {
                    j++;
                }

                if (j == needle.Length)
                {
                    return i;
                }
            }

            return -1;
        }
    }

#if !LATEPHASE_NO_BUILD_TASK
    /// <summary>
    /// MSBuild task: where the system libstdc++ lacks GLIBCXX_3.4.32 (GCC older than 13: Debian 12, Ubuntu 22.04),
    /// marks that one requirement of the copied libLibTorchSharp.so weak. TorchSharp 0.107.0 requires it only for
    /// std::ios_base_library_init(), a marker symbol that nothing relocates to, so the library then loads and runs.
    /// Where the system has that version the files are left exactly as shipped.
    /// </summary>
    public sealed class WeakenLibStdCxxNeed : Microsoft.Build.Utilities.Task
    {
        private static readonly string[] SystemLibraryPaths =
        {
            "/usr/lib/x86_64-linux-gnu/libstdc++.so.6",
            "/lib/x86_64-linux-gnu/libstdc++.so.6",
            "/usr/lib64/libstdc++.so.6",
            "/usr/lib/libstdc++.so.6",
        };

        /// <summary>The libLibTorchSharp.so files in the output folder.</summary>
        public Microsoft.Build.Framework.ITaskItem[] Libraries { get; set; } = Array.Empty<Microsoft.Build.Framework.ITaskItem>();

        /// <summary>The symbol version whose requirement is weakened.</summary>
        public string Version { get; set; } = "GLIBCXX_3.4.32";

        /// <inheritdoc/>
        public override bool Execute()
        {
            string? system = null;
            foreach (string candidate in SystemLibraryPaths)
            {
                if (File.Exists(candidate))
                {
                    system = candidate;
                    break;
                }
            }

            if (system is null || ElfVersionNeeds.DefinesVersion(system, Version))
            {
                Log.LogMessage("System libstdc++ provides {0} (or is absent); LibTorchSharp left as shipped.", Version);
                return true;
            }

            foreach (Microsoft.Build.Framework.ITaskItem item in Libraries)
            {
                string path = item.ItemSpec;
                bool needsIt = false;
                foreach (ElfVersionNeed need in ElfVersionNeeds.Read(path))
                {
                    needsIt |= need.File == "libstdc++.so.6" && need.Version == Version;
                }

                if (needsIt && ElfVersionNeeds.MakeWeak(path, "libstdc++.so.6", Version))
                {
                    Log.LogMessage(
                        Microsoft.Build.Framework.MessageImportance.High,
                        "{0}: requirement of {1} marked weak ({2} lacks it).", path, Version, system);
                }
            }

            return true;
        }
    }
#endif
}
