namespace BaiQianWan.Assess.Store.Workflow;

/// <summary>
/// An input file was refused for passing a size bound (<see cref="Rules.Data.DataLimits"/>: bytes, unpacked bytes,
/// rows, cells, characters), not for its content: HTTP 413; exit code 2 on the CLI like any rejected input.
/// The errors name the file and where the bound was passed.
/// </summary>
public sealed class InputTooLargeException : InputRejectedException
{
    /// <summary>Creates the exception.</summary>
    public InputTooLargeException(string fileName, IReadOnlyList<InputError> errors) : base(fileName, errors)
    {
    }
}
