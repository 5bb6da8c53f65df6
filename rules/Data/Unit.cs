namespace BaiQianWan.Assess.Rules.Data;

/// <summary>An assessed unit (a county, town or village) with its classification for the year.</summary>
/// <param name="Code">Unit code, unique, <c>[0-9A-Za-z_-]{1,32}</c>.</param>
/// <param name="Name">Display name (Chinese).</param>
/// <param name="Level">Administrative level.</param>
/// <param name="Parent">Code of the parent unit, if any.</param>
/// <param name="Class">Classification group, e.g. 创先 or 中心镇.</param>
public sealed record Unit(string Code, string Name, UnitLevel Level, string? Parent, string Class);
