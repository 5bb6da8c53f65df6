namespace BaiQianWan.Assess.Store;

/// <summary>Where an import came from: the original file (kept with the batch), who imported it and when.</summary>
/// <param name="FileName">File name as the user gave it (no directory).</param>
/// <param name="Content">The file's bytes exactly as received; the store keeps them and hashes them.</param>
/// <param name="Actor">Who imported it.</param>
/// <param name="At">When (supplied by the caller).</param>
public sealed record ImportSource(string FileName, byte[] Content, string Actor, DateTimeOffset At);
