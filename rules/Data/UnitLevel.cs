namespace BaiQianWan.Assess.Rules.Data;

/// <summary>The administrative level a unit is assessed at.</summary>
public enum UnitLevel
{
    /// <summary>County-level unit: 县、县级市、区.</summary>
    County,
    /// <summary>Town or street: 乡镇、街道.</summary>
    Town,
    /// <summary>Administrative village.</summary>
    Village,
    /// <summary>(v3) City: 地级市 (a county's parent may then be a city of the units file).</summary>
    City,
}
