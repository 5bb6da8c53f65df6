using System.Collections.Immutable;

namespace BaiQianWan.Assess.Rules.Data;

/// <summary>The rows read from a data file, or every error; a file with any error yields no rows.</summary>
public sealed record DataFileResult<T>(ImmutableArray<T> Rows, ImmutableArray<DataError> Errors)
{
    /// <summary>True when the file had no error.</summary>
    public bool IsValid => Errors.IsEmpty;
}
