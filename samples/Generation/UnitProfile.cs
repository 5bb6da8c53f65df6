using BaiQianWan.Assess.Rules.Data;

namespace BaiQianWan.Assess.Samples.Generation;

/// <summary>
/// A generated unit with the hidden traits its figures are drawn from. Performance across indicators
/// follows <see cref="Drive"/>, so a strong unit tends to be strong everywhere and class rankings look
/// like real ones; <see cref="Size"/> sets the magnitudes.
/// </summary>
/// <param name="Unit">The unit as it appears in units.csv.</param>
/// <param name="Kind">District, county, street, town…</param>
/// <param name="Tier">Tier of the unit's city (1 richest, 3 poorest).</param>
/// <param name="Size">Economic size: annual GDP in 亿元 for a county, economic output in 亿元 for a town.</param>
/// <param name="Drive">Execution, from −1 (lagging) to 1 (excellent); shifts completion and growth.</param>
/// <param name="Quirks">Planted flaws and events.</param>
internal sealed record UnitProfile(Unit Unit, UnitKind Kind, int Tier, decimal Size, decimal Drive, Quirks Quirks)
{
    /// <summary>The unit's class.</summary>
    public string Class => Unit.Class;

    /// <summary>True for a street (街道).</summary>
    public bool IsStreet => Kind == UnitKind.Street;
}
