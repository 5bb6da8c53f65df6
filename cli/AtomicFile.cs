namespace BaiQianWan.Assess.Cli;

/// <summary>Writes a file so that readers see the old content or the whole new content, never a part.</summary>
internal static class AtomicFile
{
    public static void Write(string path, ReadOnlySpan<byte> bytes)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = full + ".tmp-" + Environment.ProcessId;
        File.WriteAllBytes(temp, bytes.ToArray());
        File.Move(temp, full, overwrite: true);
    }
}
