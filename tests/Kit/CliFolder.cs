using System.Text;
using BaiQianWan.Assess.Cli;

namespace BaiQianWan.Assess.Tests.Kit;

/// <summary>
/// A temporary folder for CLI tests on a SQLite file (<see cref="Db"/>, <c>office.db</c>): files written into it as UTF-8
/// without BOM and with LF line ends, and <see cref="CliApp.Run"/> with <c>--store</c> that file, its outputs with LF line
/// ends. Disposing clears SQLite's pools (so the file is closed) and deletes the folder.
/// </summary>
public sealed class CliFolder(string prefix) : IDisposable
{
    /// <summary>The folder.</summary>
    public string Dir { get; } = Directory.CreateTempSubdirectory(prefix).FullName;

    /// <summary>The store file the commands use.</summary>
    public string Db => Path.Combine(Dir, "office.db");

    /// <summary>Writes <paramref name="text"/> (LF line ends, UTF-8 without BOM) to <paramref name="name"/> in the folder; returns its path.</summary>
    public string Write(string name, string text)
    {
        var path = Path.Combine(Dir, name);
        File.WriteAllText(path, text.Replace("\r\n", "\n"), new UTF8Encoding(false));
        return path;
    }

    /// <summary>Runs the CLI with <paramref name="args"/> and <c>--store</c> <see cref="Db"/>; its exit code and outputs (LF line ends).</summary>
    public (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = CliApp.Run([.. args, "--store", Db], stdout, stderr);
        return (code, stdout.ToString().ReplaceLineEndings("\n"), stderr.ToString().ReplaceLineEndings("\n"));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Dir, recursive: true);
    }
}
