using System.Text;

namespace BaiQianWan.Assess.Tests.Kit;

/// <summary>
/// The tests' one ruleset builder: the YAML text of a small ruleset, laid out the way the tests have always written it, so
/// that the line and column a test expects stay where they were:
/// <code>
/// id: t                      1
/// name: 测试                  2
/// level: county              3
/// classes: [创先]             4
/// (decimals: 2, top blocks)
/// dimensions:                5
///   - id: d                  6
///     name: 维度              7
///     indicators:            8
///       - { id: x, … }       9   (Indicator(flow)), or
///       - id: x              9   (Indicator(id, name, keys): the keys from line 11, indented by 8)
///         name: 指标         10
/// (Then blocks)
/// grades: …                     (rankShare 好 0.5 / 一般 unless told)
/// (Last blocks)
/// </code>
/// <c>RulesetYaml.County().Class("创先").Indicator("{ id: x, name: 指标, weight: 10, method: completion }").Build()</c>.
/// The text is only text: nothing here loads or checks it.
/// </summary>
public sealed class RulesetYaml
{
    /// <summary>The grades most tests use: the better half 好, the rest 一般.</summary>
    public const string HalfGood = """
        grades:
          by: rankShare
          levels:
            - { name: 好, share: 0.5 }
            - { name: 一般 }
        """;

    private readonly string _level;
    private readonly string _id;
    private string _name = "测试";
    private readonly List<string> _classes = [];
    private int? _decimals;
    private readonly List<string> _top = [];
    private readonly List<(string Head, List<string> Indicators)> _dimensions = [];
    private readonly List<string> _then = [];
    private string? _grades = HalfGood;
    private readonly List<string> _last = [];

    private RulesetYaml(string level, string id) => (_level, _id) = (level, id);

    /// <summary>A county ruleset with this id.</summary>
    public static RulesetYaml County(string id = "t") => new("county", id);

    /// <summary>A town ruleset with this id.</summary>
    public static RulesetYaml Town(string id = "t") => new("town", id);

    /// <summary>Its name (default 测试).</summary>
    public RulesetYaml Named(string name)
    {
        _name = name;
        return this;
    }

    /// <summary>Adds classes, in order.</summary>
    public RulesetYaml Class(params string[] classes)
    {
        _classes.AddRange(classes);
        return this;
    }

    /// <summary><c>decimals: N</c>, after the classes.</summary>
    public RulesetYaml Decimals(int decimals)
    {
        _decimals = decimals;
        return this;
    }

    /// <summary>A top-level block before <c>dimensions:</c> (e.g. <c>inputs:</c>), as written.</summary>
    public RulesetYaml Top(string yaml)
    {
        _top.Add(yaml);
        return this;
    }

    /// <summary>
    /// Starts a dimension (the first indicator starts <c>d</c> / 维度 when none was); <paramref name="keys"/> are its lines
    /// after id and name (e.g. <c>cap: 20</c>), one a line.
    /// </summary>
    public RulesetYaml Dimension(string id = "d", string name = "维度", string keys = "")
    {
        var head = new StringBuilder($"  - id: {id}\n    name: {name}");
        foreach (var line in Lines(keys)) head.Append("\n    ").Append(line);
        _dimensions.Add((head.ToString(), []));
        return this;
    }

    /// <summary>An indicator as one flow line, <c>{ id: x, name: 指标, weight: 10, method: completion }</c>.</summary>
    public RulesetYaml Indicator(string flow)
    {
        Current().Add("      - " + flow.Trim());
        return this;
    }

    /// <summary>An indicator as a block: id, name, then <paramref name="keys"/> one a line (nested lines keep their indentation).</summary>
    public RulesetYaml Indicator(string id, string name, string keys)
    {
        var block = new StringBuilder($"      - id: {id}\n        name: {name}");
        foreach (var line in Lines(keys)) block.Append("\n        ").Append(line);
        Current().Add(block.ToString());
        return this;
    }

    /// <summary>A top-level block after the dimensions (adjustments, lists, scoring …), as written.</summary>
    public RulesetYaml Then(string yaml)
    {
        _then.Add(yaml);
        return this;
    }

    /// <summary>The grades block, as written (default <see cref="HalfGood"/>).</summary>
    public RulesetYaml Grades(string yaml)
    {
        _grades = yaml;
        return this;
    }

    /// <summary>A top-level block after the grades (lists …), as written.</summary>
    public RulesetYaml Last(string yaml)
    {
        _last.Add(yaml);
        return this;
    }

    /// <summary>No grades block.</summary>
    public RulesetYaml NoGrades()
    {
        _grades = null;
        return this;
    }

    /// <summary>The YAML text (lines joined by <c>\n</c>, no newline after the last).</summary>
    public string Build()
    {
        var lines = new List<string>
        {
            $"id: {_id}",
            $"name: {_name}",
            $"level: {_level}",
            $"classes: [{string.Join(", ", _classes)}]",
        };
        if (_decimals is { } d) lines.Add($"decimals: {d}");
        lines.AddRange(_top);
        lines.Add("dimensions:");
        foreach (var (head, indicators) in _dimensions)
        {
            lines.Add(head);
            lines.Add("    indicators:");
            lines.AddRange(indicators);
        }
        lines.AddRange(_then);
        if (_grades is not null) lines.Add(_grades);
        lines.AddRange(_last);
        return string.Join("\n", lines);
    }

    /// <inheritdoc />
    public override string ToString() => Build();

    private List<string> Current()
    {
        if (_dimensions.Count == 0) Dimension();
        return _dimensions[^1].Indicators;
    }

    private static IEnumerable<string> Lines(string text) =>
        text.Length == 0 ? [] : text.Replace("\r\n", "\n", StringComparison.Ordinal).Trim('\n').Split('\n').Select(l => l.TrimEnd());
}
