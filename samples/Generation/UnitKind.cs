namespace BaiQianWan.Assess.Samples.Generation;

/// <summary>What a generated unit is, beyond its level: it sets its name suffix, code range and profile.</summary>
internal enum UnitKind
{
    /// <summary>Urban district (区).</summary>
    District,
    /// <summary>County (县).</summary>
    County,
    /// <summary>Yao autonomous county (瑶族自治县).</summary>
    AutonomousCounty,
    /// <summary>County-level city (县级市).</summary>
    CountyCity,
    /// <summary>A special area at county level (特别合作区, 新区) with a class the ruleset does not list.</summary>
    SpecialArea,
    /// <summary>Street (街道), town codes 001–099.</summary>
    Street,
    /// <summary>Town (镇), town codes 100–199.</summary>
    Town,
    /// <summary>Ethnic township (民族乡), town codes 200–299.</summary>
    Township,
}
