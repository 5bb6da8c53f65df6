namespace BaiQianWan.Assess.Samples;

/// <summary>Options of the synthetic province.</summary>
/// <param name="Seed">
/// Seed of every draw. The same options always give the same province, value for value, on any
/// machine; another seed gives other names, classes and figures with the same shape.
/// </param>
/// <param name="Scale">
/// Copies of the 21-city province (at least 1): scale N has 122 × N county-level units and
/// 1,609 × N towns. Beyond 99 cities (scale 5 and up) the city part of every code has three or more
/// digits, so county codes get longer than six digits.
/// </param>
public sealed record ProvinceOptions(int Seed = 2025, int Scale = 1);
