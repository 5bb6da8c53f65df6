using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Loading;
using BaiQianWan.Assess.Store;

namespace BaiQianWan.Assess.Workflow;

/// <summary>One problem in an input file, at a row (data) or line (YAML) and a column.</summary>
/// <param name="File">File name as given.</param>
/// <param name="Row">Row (data files; the header is row 1) or line (YAML), from 1.</param>
/// <param name="Column">Column name (data files), column number (YAML), or <c>-</c> for the whole row.</param>
/// <param name="Message">What is wrong, in Chinese.</param>
/// <param name="TooLarge">True when the file passed a size bound (<see cref="DataLimits"/>) rather than having bad content.</param>
public sealed record InputError(string File, int Row, string Column, string Message, bool TooLarge = false)
{
    /// <summary>What is wrong (spaces between Chinese words taken out: <see cref="TextRules.TidySpaces"/>).</summary>
    public string Message { get; init; } = TextRules.TidySpaces(Message);

    /// <summary>A ruleset error's stable code (e.g. <c>RS1037</c>); null for data files.</summary>
    public string? Code { get; init; }

    /// <summary>A ruleset error's span: how many characters from the column, on that line (<see cref="RulesetDiagnostic.Length"/>).</summary>
    public int? Length { get; init; }

    /// <summary>A data file error.</summary>
    public static InputError Of(DataError e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new(e.File, e.Row, e.Column, e.Message, e.TooLarge);
    }

    /// <summary>A ruleset validation error.</summary>
    public static InputError Of(string file, RulesetDiagnostic d) =>
        new(file, d.Position.Line, d.Position.Column.ToString(System.Globalization.CultureInfo.InvariantCulture), d.Message)
        {
            Code = d.Code,
            Length = d.Length,
        };

    /// <inheritdoc />
    public override string ToString() => $"{File}:{Row}:{Column}: {Message}";
}

/// <summary>
/// An input file (units, observations, ruleset) was rejected: nothing was written, and <see cref="Errors"/>
/// names every problem with its position. Hosts map it to exit code 2 / HTTP 422 (and the subclass
/// <see cref="InputTooLargeException"/>, a file past a size bound, to HTTP 413).
/// </summary>
public class InputRejectedException : Exception
{
    /// <summary>The exception for these errors: <see cref="InputTooLargeException"/> when any is a size bound.</summary>
    public static InputRejectedException For(string fileName, IReadOnlyList<InputError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return errors.Any(e => e.TooLarge) ? new InputTooLargeException(fileName, errors) : new InputRejectedException(fileName, errors);
    }

    /// <summary>Creates the exception.</summary>
    public InputRejectedException(string fileName, IReadOnlyList<InputError> errors)
        : base($"{fileName}：{errors.Count} 处错误，未写入任何数据" + Environment.NewLine + string.Join(Environment.NewLine, errors.Take(50)))
    {
        FileName = fileName;
        Errors = errors;
    }

    /// <summary>The rejected file's name.</summary>
    public string FileName { get; }

    /// <summary>Every problem found, in file order.</summary>
    public IReadOnlyList<InputError> Errors { get; }
}
