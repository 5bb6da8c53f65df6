using System.Collections.Immutable;
using BaiQianWan.Assess.Rules.Data;

namespace BaiQianWan.Assess.Workflow.Imports;

/// <summary>
/// A data file (CSV or XLSX) split into rows of named cells, before any row is checked: the header mapped
/// to the expected columns, note columns (header starting with <c>#</c>) left out, row numbers as the file
/// shows them (the header is row 1).
/// </summary>
/// <param name="FileName">File name used in error messages.</param>
/// <param name="Rows">Data rows with their row numbers, in file order.</param>
/// <param name="Errors">Problems with the file as a whole or its header (no rows when there is any).</param>
public sealed record DataTable(string FileName, ImmutableArray<(int Row, IReadOnlyDictionary<string, string> Cells)> Rows, ImmutableArray<DataError> Errors);
