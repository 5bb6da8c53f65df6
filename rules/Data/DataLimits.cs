namespace BaiQianWan.Assess.Rules.Data;

/// <summary>
/// Bounds on a data file (units or observations, CSV or XLSX), checked while it is read so that no file of any
/// size or shape can exhaust the memory of the process. A file past any of them is refused as a whole with a
/// <see cref="DataError"/> marked <see cref="DataError.TooLarge"/> (hosts answer 413), naming the file and the row
/// (and column) where the bound was passed. A province's quarter (26,500 villages × 20 items) is well inside them.
/// </summary>
public static class DataLimits
{
    /// <summary>Most bytes of a file as uploaded (64 MiB).</summary>
    public const int MaxFileBytes = 64 << 20;

    /// <summary>Most bytes of one XML part of an XLSX file once unpacked (256 MiB): a zip bomb stops here.</summary>
    public const long MaxXlsxPartBytes = 256L << 20;

    /// <summary>Most bytes of all the XML parts an XLSX import reads, unpacked (512 MiB).</summary>
    public const long MaxXlsxUnpackedBytes = 512L << 20;

    /// <summary>Most rows, the header included.</summary>
    public const int MaxRows = 1_000_000;

    /// <summary>Most cells in one row (columns A to IV in a spreadsheet).</summary>
    public const int MaxColumns = 256;

    /// <summary>Most non-empty cells in a file.</summary>
    public const int MaxCells = 10_000_000;

    /// <summary>Most characters in one cell.</summary>
    public const int MaxCellCharacters = 4_000;

    /// <summary>Most characters in all the cells of a file together.</summary>
    public const long MaxTotalCharacters = 128L << 20;

    /// <summary>Largest magnitude of a reported number (actual, target, baseline): below 10¹².</summary>
    public const decimal MaxMagnitude = 999_999_999_999.999999m;

    /// <summary>Most decimal places of a reported number.</summary>
    public const int MaxDecimalPlaces = 6;
}
