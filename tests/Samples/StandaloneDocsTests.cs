using System.Text.RegularExpressions;
using BaiQianWan.Assess.Tests.Functions;

namespace BaiQianWan.Assess.Tests.Samples;

/// <summary>
/// The product's own docs stand alone (issue 22 item 17): a clone of the repository has no <c>shared/</c> folder, so
/// neither the README nor any page under docs/ may send a reader there.
/// </summary>
public sealed class StandaloneDocsTests
{
    [Fact]
    public void Neither_the_readme_nor_the_docs_point_outside_the_repository()
    {
        var pages = new[] { Repository.Path("README.md") }
            .Concat(Directory.EnumerateFiles(Repository.Path("docs"), "*.md", SearchOption.AllDirectories));
        var hits = pages
            .SelectMany(p => File.ReadLines(p).Select((line, i) => (File: System.IO.Path.GetFileName(p), Line: i + 1, Text: line)))
            .Where(l => Regex.IsMatch(l.Text, @"(^|[\s`(/.])shared/(spec|docs)\b"))
            .Select(l => $"{l.File}:{l.Line}: {l.Text.Trim()}")
            .ToList();
        Assert.Empty(hits);
    }
}
