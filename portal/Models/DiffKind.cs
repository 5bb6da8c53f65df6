namespace BaiQianWan.Assess.Portal.Models;

/// <summary>What happened to a line between two versions.</summary>
public enum DiffKind
{
    /// <summary>In both.</summary>
    Same,

    /// <summary>Only in the older version.</summary>
    Removed,

    /// <summary>Only in the newer version.</summary>
    Added,
}
