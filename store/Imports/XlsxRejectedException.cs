using BaiQianWan.Assess.Rules.Data;

namespace BaiQianWan.Assess.Store.Imports;

/// <summary>An XLSX file that cannot be read (not a package, malformed XML, a DTD) or passes a bound of <see cref="DataLimits"/>.</summary>
internal sealed class XlsxRejectedException(DataError error) : Exception(error.Message)
{
    public DataError Error { get; } = error;
}
